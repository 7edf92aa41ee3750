/**
 * Generic JSON payload: `{"image": "repo:tag"}` or `{"repository": …, "tag": …, "digest"?: …}`.
 * Signed by the sender (see verify.ts); the optional `X-Rollway-Delivery`
 * header names the delivery for deduplication.
 */
import { PayloadError, type SourceParser, isDigest, isStr, parseJsonObject, splitImage, tagRe } from './types.js';

const expected = '{"image":"<repository>:<tag>"} or {"repository":"<repository>","tag":"<tag>","digest":"sha256:…"}';

export const parseGeneric: SourceParser = (body, headers) => {
  const o = parseJsonObject(body, expected);
  let repository: string | undefined;
  let tag: string | undefined;
  let digest: string | undefined;
  if (isStr(o.image)) {
    ({ repository, tag, digest } = splitImage(o.image));
  } else if (isStr(o.repository) && isStr(o.tag)) {
    repository = o.repository;
    tag = o.tag;
    digest = o.digest;
  } else {
    throw new PayloadError(`unknown payload shape; expected ${expected}`);
  }
  if (!repository || !tag || !tagRe.test(tag)) throw new PayloadError(`the image has no valid tag; expected ${expected}`);
  if (digest !== undefined && !isDigest(digest)) throw new PayloadError('digest must be "sha256:" followed by 64 hex digits');
  const id = headers['x-rollway-delivery'];
  return { images: [{ repository, tag, ...(digest ? { digest } : {}) }], ...(digest ? { digest } : {}), ...(isStr(id) ? { deliveryId: id.slice(0, 128) } : {}) };
};
