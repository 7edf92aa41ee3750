/**
 * The decision of an image trigger, pure: given the trigger's spec, the images
 * a delivery announces and the image the container runs now, which image (if
 * any) to roll to, or why not.
 */
import picomatch from 'picomatch';
import semver from 'semver';
import type { ImageRef } from './sources/types.js';
import { splitImage } from './sources/types.js';

export interface TriggerSpec {
  repository: string;
  tagPolicy?: { type?: string; value?: string };
}

export type Decision =
  | { outcome: 'accepted'; image: string; ref: ImageRef }
  | { outcome: 'unchanged'; reason: string; image: string }
  | { outcome: 'rejected'; reason: string };

/**
 * normalizeRepository puts a repository in canonical form: lower case, Docker
 * Hub's implicit `docker.io/` and `library/` made explicit, the legacy
 * `index.docker.io`/`registry-1.docker.io` hosts folded into `docker.io`.
 */
export function normalizeRepository(repo: string): string {
  let r = repo.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/+$/, '');
  const first = r.split('/')[0];
  const hasHost = r.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasHost) r = `docker.io/${r}`;
  r = r.replace(/^(index\.docker\.io|registry-1\.docker\.io)\//, 'docker.io/');
  if (/^docker\.io\/[^/]+$/.test(r)) r = r.replace(/^docker\.io\//, 'docker.io/library/');
  return r;
}

/** semverOf parses a tag as semver, allowing a leading `v`; undefined when it is not one. */
export function semverOf(tag: string | undefined): semver.SemVer | undefined {
  if (!tag) return undefined;
  return semver.valid(tag, { loose: false }) ? new semver.SemVer(tag) : semver.valid(tag.replace(/^v/, '')) ? new semver.SemVer(tag.replace(/^v/, '')) : undefined;
}

/** tagAllowed says whether a tag passes the policy (without the downgrade rule), and why not. */
export function tagAllowed(tag: string, policy: TriggerSpec['tagPolicy']): { ok: true } | { ok: false; reason: string } {
  const type = policy?.type ?? 'any';
  const value = policy?.value ?? '';
  switch (type) {
    case 'any':
      return { ok: true };
    case 'exact':
      return tag === value ? { ok: true } : { ok: false, reason: `tag ${JSON.stringify(tag)} is not ${JSON.stringify(value)} (exact policy)` };
    case 'glob':
      return picomatch.isMatch(tag, value, { dot: true }) ? { ok: true } : { ok: false, reason: `tag ${JSON.stringify(tag)} does not match ${JSON.stringify(value)} (glob policy)` };
    case 'semver': {
      const v = semverOf(tag);
      if (!v) return { ok: false, reason: `tag ${JSON.stringify(tag)} is not a semantic version (semver policy)` };
      if (value && !semver.satisfies(v, value, { includePrerelease: false })) return { ok: false, reason: `version ${v.version} is outside ${JSON.stringify(value)} (semver policy)` };
      return { ok: true };
    }
    default:
      return { ok: false, reason: `unknown tag policy ${JSON.stringify(type)}` };
  }
}

/**
 * decide picks the image to roll to. Candidates must be of the trigger's
 * repository and pass the tag policy; under semver the highest wins and must
 * be newer than the running tag (no downgrades). The new image is written as
 * `<spec.repository>:<tag>`, the repository as the user spelled it.
 */
export function decide(spec: TriggerSpec, images: ImageRef[], currentImage: string | undefined): Decision {
  const want = normalizeRepository(spec.repository);
  const sameRepo = images.filter((i) => normalizeRepository(i.repository) === want);
  if (!sameRepo.length) {
    const got = [...new Set(images.map((i) => i.repository))].join(', ');
    return { outcome: 'rejected', reason: `repository ${got || '<none>'} is not ${spec.repository}` };
  }
  const reasons: string[] = [];
  const allowed = sameRepo.filter((i) => {
    const r = tagAllowed(i.tag, spec.tagPolicy);
    if (!r.ok) reasons.push(r.reason);
    return r.ok;
  });
  if (!allowed.length) return { outcome: 'rejected', reason: reasons.join('; ') };
  const semverPolicy = (spec.tagPolicy?.type ?? 'any') === 'semver';
  const pick = semverPolicy ? allowed.reduce((a, b) => (semver.gt(semverOf(b.tag)!, semverOf(a.tag)!) ? b : a)) : allowed[allowed.length - 1];
  const image = `${spec.repository}:${pick.tag}`;
  const current = currentImage ? splitImage(currentImage) : undefined;
  const currentSameRepo = current && normalizeRepository(current.repository) === want;
  if (currentSameRepo && current.tag === pick.tag && !current.digest) return { outcome: 'unchanged', reason: `the container already runs ${currentImage}`, image };
  if (semverPolicy && currentSameRepo) {
    const running = semverOf(current.tag);
    const next = semverOf(pick.tag)!;
    if (running && semver.lte(next, running)) {
      return { outcome: 'rejected', reason: `version ${next.version} is not newer than the running ${running.version} (semver policy refuses downgrades)` };
    }
  }
  return { outcome: 'accepted', image, ref: pick };
}
