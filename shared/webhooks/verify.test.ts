import { describe, expect, it } from 'vitest';
import { hmacHex, safeEqual, signBody, verifyGitHubSignature, verifyHeaderSecret, verifyRollwaySignature } from './verify.js';

const body = '{"image":"acme/web:v1"}';
const now = 1_700_000_000;

describe('verifyRollwaySignature', () => {
  it.each([
    { name: 'valid', header: signBody('s3cret', body, now), at: now, ok: true },
    { name: 'valid at the window edge', header: signBody('s3cret', body, now - 300), at: now, ok: true },
    { name: 'second v1 of a rotation', header: `${signBody('old', body, now)},v1=${hmacHex('s3cret', `${now}.${body}`)}`, at: now, ok: true },
    { name: 'too old (replay)', header: signBody('s3cret', body, now - 301), at: now, ok: false },
    { name: 'from the future', header: signBody('s3cret', body, now + 301), at: now, ok: false },
    { name: 'wrong secret', header: signBody('other', body, now), at: now, ok: false },
    { name: 'body changed', header: signBody('s3cret', body + ' ', now), at: now, ok: false },
    { name: 'missing', header: undefined, at: now, ok: false },
    { name: 'no timestamp', header: `v1=${hmacHex('s3cret', body)}`, at: now, ok: false },
    { name: 'truncated signature', header: signBody('s3cret', body, now).slice(0, -2), at: now, ok: false },
  ])('$name', ({ header, at, ok }) => {
    expect(verifyRollwaySignature(header, body, 's3cret', at).ok).toBe(ok);
  });
});

describe('verifyGitHubSignature', () => {
  it.each([
    { name: 'valid', header: `sha256=${hmacHex('gh', body)}`, ok: true },
    { name: 'upper-case hex', header: `sha256=${hmacHex('gh', body).toUpperCase()}`, ok: true },
    { name: 'SHA-1 header form', header: `sha1=${hmacHex('gh', body)}`, ok: false },
    { name: 'wrong secret', header: `sha256=${hmacHex('no', body)}`, ok: false },
    { name: 'missing', header: undefined, ok: false },
  ])('$name', ({ header, ok }) => {
    expect(verifyGitHubSignature(header, body, 'gh').ok).toBe(ok);
  });
});

describe('verifyHeaderSecret and safeEqual', () => {
  it.each([
    { name: 'equal', value: 'Bearer abc', ok: true },
    { name: 'different', value: 'Bearer abd', ok: false },
    { name: 'prefix only', value: 'Bearer ab', ok: false },
    { name: 'missing', value: undefined, ok: false },
  ])('$name', ({ value, ok }) => {
    expect(verifyHeaderSecret(value, 'Bearer abc').ok).toBe(ok);
  });
  it('compares strings of different lengths without throwing', () => {
    expect(safeEqual('a', 'abcdef')).toBe(false);
  });
});
