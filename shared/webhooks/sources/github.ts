/**
 * GitHub `package` / `registry_package` (and `package_v2`) webhooks for GHCR
 * container packages, signed with X-Hub-Signature-256 (verify.ts). `ping`
 * is acknowledged; an untagged per-platform manifest is acknowledged and skipped.
 */
import { PayloadError, type SourceParser, isDigest, isStr, parseJsonObject, tagRe } from './types.js';

const expected = 'a GitHub package event (X-GitHub-Event: package or registry_package) with package.package_version.container_metadata.tag';
const EVENTS = new Set(['package', 'registry_package', 'package_v2']);

export const parseGitHub: SourceParser = (body, headers) => {
  const event = headers['x-github-event'] ?? '';
  const deliveryId = headers['x-github-delivery'];
  const idPart = isStr(deliveryId) ? { deliveryId: deliveryId.slice(0, 128) } : {};
  const o = parseJsonObject(body, expected);
  if (event === 'ping') return { images: [], ignore: 'ping', ...idPart };
  if (!EVENTS.has(event)) throw new PayloadError(`unsupported X-GitHub-Event ${JSON.stringify(event)}; expected ${expected}`);
  const pkg = o.package ?? o.registry_package;
  if (!pkg || typeof pkg !== 'object') throw new PayloadError(`unknown payload shape; expected ${expected}`);
  if (o.action !== 'published' && o.action !== 'updated') return { images: [], ignore: `action ${String(o.action)}`, ...idPart };
  const type = String(pkg.package_type ?? '').toLowerCase();
  if (type !== 'container' && type !== 'docker') return { images: [], ignore: `package type ${String(pkg.package_type)}`, ...idPart };
  const version = pkg.package_version ?? {};
  const meta = version.container_metadata ?? {};
  const tag = meta.tag?.name ?? (type === 'docker' ? version.version : undefined);
  const digest = isDigest(meta.tag?.digest) ? meta.tag.digest : isDigest(version.name) ? version.name : undefined;
  const namespace = isStr(pkg.namespace) ? pkg.namespace : pkg.owner?.login;
  if (!isStr(pkg.name) || !isStr(namespace)) throw new PayloadError(`package.name and package.namespace are required; expected ${expected}`);
  if (!isStr(tag)) return { images: [], ignore: 'untagged manifest', ...idPart, ...(digest ? { digest } : {}) };
  if (!tagRe.test(tag)) throw new PayloadError('the package tag is not a valid image tag');
  const repository =
    type === 'container' ? `ghcr.io/${namespace}/${pkg.name}`.toLowerCase() : `docker.pkg.github.com/${String(o.repository?.full_name ?? namespace)}/${pkg.name}`.toLowerCase();
  return { images: [{ repository, tag, ...(digest ? { digest } : {}) }], ...(digest ? { digest } : {}), ...idPart };
};
