/**
 * Docker Hub push webhook: `push_data.tag` and `repository.repo_name`. Docker
 * Hub signs nothing and sends no digest or delivery id: the per-trigger URL
 * token is the only authentication and the body hash is the dedupe key.
 */
import { PayloadError, type SourceParser, isStr, parseJsonObject, tagRe } from './types.js';

const expected = 'a Docker Hub push event with push_data.tag and repository.repo_name';

export const parseDockerHub: SourceParser = (body) => {
  const o = parseJsonObject(body, expected);
  const tag = o.push_data?.tag;
  const repoName = o.repository?.repo_name;
  if (!isStr(repoName) || typeof o.push_data !== 'object' || o.push_data === null) throw new PayloadError(`unknown payload shape; expected ${expected}`);
  if (!isStr(tag)) return { images: [], ignore: 'the push has no tag' };
  if (!tagRe.test(tag)) throw new PayloadError(`push_data.tag is not a valid tag; expected ${expected}`);
  const path = repoName.includes('/') ? repoName : `library/${repoName}`;
  return { images: [{ repository: `docker.io/${path.toLowerCase()}`, tag }] };
};
