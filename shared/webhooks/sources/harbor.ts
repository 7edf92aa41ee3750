/**
 * Harbor artifact pushes: the Default format (`type` PUSH_ARTIFACT, or 1.x
 * `pushImage`, with `event_data`) and the CloudEvents format (`type`
 * harbor.artifact.pushed, with `data`). Authenticated by the configured
 * Auth Header, which arrives as `Authorization` (verify.ts).
 */
import { PayloadError, type ImageRef, type SourceParser, isDigest, isStr, parseJsonObject, splitImage, tagRe } from './types.js';

const expected = 'a Harbor PUSH_ARTIFACT event (Default or CloudEvents format) with event_data.resources (or data.resources)';

export const parseHarbor: SourceParser = (body) => {
  const o = parseJsonObject(body, expected);
  let data: Record<string, any> | undefined;
  let deliveryId: string | undefined;
  if (o.type === 'PUSH_ARTIFACT' || o.type === 'pushImage') data = o.event_data;
  else if (o.specversion && o.type === 'harbor.artifact.pushed') {
    data = o.data;
    if (isStr(o.id)) deliveryId = o.id.slice(0, 128);
  } else if (isStr(o.type) && (o.event_data || o.specversion)) {
    return { images: [], ignore: `event type ${o.type}` };
  } else throw new PayloadError(`unknown payload shape; expected ${expected}`);
  if (!data || !Array.isArray(data.resources)) throw new PayloadError(`unknown payload shape; expected ${expected}`);
  const fullName = data.repository?.repo_full_name;
  const images: ImageRef[] = [];
  let digest: string | undefined;
  for (const r of data.resources as Array<Record<string, any>>) {
    if (!r || typeof r !== 'object') continue;
    const d = isDigest(r.digest) ? (r.digest as string) : undefined;
    digest ??= d;
    if (!isStr(r.tag)) continue;
    if (!tagRe.test(r.tag)) throw new PayloadError('a resource tag is not a valid image tag');
    const repository = isStr(r.resource_url) ? splitImage(r.resource_url).repository : isStr(fullName) ? fullName : undefined;
    if (!repository) throw new PayloadError(`resources[].resource_url or repository.repo_full_name is required; expected ${expected}`);
    images.push({ repository: repository.toLowerCase(), tag: r.tag, ...(d ? { digest: d } : {}) });
  }
  if (!images.length) return { images, ignore: 'untagged artifact', ...(digest ? { digest } : {}), ...(deliveryId ? { deliveryId } : {}) };
  return { images, ...(digest ? { digest } : {}), ...(deliveryId ? { deliveryId } : {}) };
};
