import { describe, expect, it } from 'vitest';
import { decide, normalizeRepository, tagAllowed } from './policy.js';

describe('normalizeRepository', () => {
  it.each([
    ['nginx', 'docker.io/library/nginx'],
    ['acme/web', 'docker.io/acme/web'],
    ['docker.io/nginx', 'docker.io/library/nginx'],
    ['index.docker.io/acme/web', 'docker.io/acme/web'],
    ['GHCR.io/Acme/Web', 'ghcr.io/acme/web'],
    ['localhost:5000/web', 'localhost:5000/web'],
  ])('%s → %s', (input, want) => expect(normalizeRepository(input)).toBe(want));
});

describe('tagAllowed', () => {
  it.each([
    { name: 'any', tag: 'x', policy: { type: 'any' }, ok: true },
    { name: 'exact match', tag: 'stable', policy: { type: 'exact', value: 'stable' }, ok: true },
    { name: 'exact mismatch', tag: 'latest', policy: { type: 'exact', value: 'stable' }, ok: false },
    { name: 'glob match', tag: 'release-42', policy: { type: 'glob', value: 'release-*' }, ok: true },
    { name: 'glob mismatch', tag: 'dev-42', policy: { type: 'glob', value: 'release-*' }, ok: false },
    { name: 'semver plain', tag: '1.2.3', policy: { type: 'semver' }, ok: true },
    { name: 'semver with v', tag: 'v1.2.3', policy: { type: 'semver', value: '^1.0.0' }, ok: true },
    { name: 'semver out of range', tag: '2.0.0', policy: { type: 'semver', value: '^1.0.0' }, ok: false },
    { name: 'semver prerelease outside range', tag: '1.3.0-rc.1', policy: { type: 'semver', value: '^1.0.0' }, ok: false },
    { name: 'not semver', tag: 'latest', policy: { type: 'semver' }, ok: false },
  ])('$name', ({ tag, policy, ok }) => expect(tagAllowed(tag, policy).ok).toBe(ok));
});

describe('decide', () => {
  const img = (repository: string, tag: string) => ({ repository, tag });
  it.each([
    { name: 'accepts a new tag', spec: { repository: 'ghcr.io/acme/web' }, images: [img('ghcr.io/acme/web', 'v2')], current: 'ghcr.io/acme/web:v1', outcome: 'accepted', image: 'ghcr.io/acme/web:v2' },
    { name: 'keeps the spelling of spec.repository', spec: { repository: 'acme/web' }, images: [img('docker.io/acme/web', 'v2')], current: 'acme/web:v1', outcome: 'accepted', image: 'acme/web:v2' },
    { name: 'same image is unchanged', spec: { repository: 'acme/web' }, images: [img('docker.io/acme/web', 'v1')], current: 'docker.io/acme/web:v1', outcome: 'unchanged' },
    { name: 'repository mismatch', spec: { repository: 'acme/web' }, images: [img('docker.io/evil/web', 'v2')], current: 'acme/web:v1', outcome: 'rejected', reason: /is not acme\/web/ },
    { name: 'tag rejected', spec: { repository: 'acme/web', tagPolicy: { type: 'glob', value: 'v*' } }, images: [img('acme/web', 'dev')], current: 'acme/web:v1', outcome: 'rejected', reason: /glob/ },
    { name: 'semver upgrade', spec: { repository: 'acme/web', tagPolicy: { type: 'semver' } }, images: [img('acme/web', '1.3.0')], current: 'acme/web:1.2.0', outcome: 'accepted', image: 'acme/web:1.3.0' },
    { name: 'semver downgrade', spec: { repository: 'acme/web', tagPolicy: { type: 'semver' } }, images: [img('acme/web', '1.1.0')], current: 'acme/web:1.2.0', outcome: 'rejected', reason: /not newer/ },
    { name: 'semver picks the highest', spec: { repository: 'acme/web', tagPolicy: { type: 'semver' } }, images: [img('acme/web', '1.4.0'), img('acme/web', '1.10.0'), img('acme/web', 'latest')], current: 'acme/web:1.2.0', outcome: 'accepted', image: 'acme/web:1.10.0' },
    { name: 'semver from a non-semver running tag', spec: { repository: 'acme/web', tagPolicy: { type: 'semver' } }, images: [img('acme/web', '1.0.0')], current: 'acme/web:latest', outcome: 'accepted', image: 'acme/web:1.0.0' },
  ])('$name', ({ spec, images, current, outcome, image, reason }) => {
    const d = decide(spec, images, current);
    expect(d.outcome).toBe(outcome);
    if (image) expect((d as { image: string }).image).toBe(image);
    if (reason) expect((d as { reason: string }).reason).toMatch(reason);
  });
});
