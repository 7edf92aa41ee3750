/**
 * Quay repository push notifications: `repository`, `docker_url` and
 * `updated_tags` (an array of tag names, or in older samples a tag → image
 * id map). Quay signs nothing and sends no digest: the URL token is the only
 * authentication and the body hash the dedupe key.
 */
import { PayloadError, type SourceParser, isStr, parseJsonObject, tagRe } from './types.js';

const expected = 'a Quay repository push notification with repository and updated_tags';

export const parseQuay: SourceParser = (body) => {
  const o = parseJsonObject(body, expected);
  if (!isStr(o.repository) || o.updated_tags === undefined || o.updated_tags === null || typeof o.updated_tags !== 'object') {
    throw new PayloadError(`unknown payload shape; expected ${expected}`);
  }
  const tags: unknown[] = Array.isArray(o.updated_tags) ? o.updated_tags : Object.keys(o.updated_tags);
  const repository = (isStr(o.docker_url) ? o.docker_url : `quay.io/${o.repository}`).replace(/^https?:\/\//, '').toLowerCase();
  const images = [];
  for (const t of tags) {
    if (!isStr(t) || !tagRe.test(t)) throw new PayloadError('updated_tags holds an invalid tag');
    images.push({ repository, tag: t });
  }
  return images.length ? { images } : { images, ignore: 'no tags were updated' };
};
