import { describe, expect, it } from 'vitest';
import { computePodTemplateHash, fnv1a32, safeEncodeString } from './hash.js';
import { newTemplate } from './test-fixtures.js';

describe('fnv1a32', () => {
  it.each([
    { name: 'empty input is the offset basis', input: '', expected: 0x811c9dc5 },
    { name: '"a"', input: 'a', expected: 0xe40c292c },
    { name: '"foobar"', input: 'foobar', expected: 0xbf9cf968 },
  ])('$name', ({ input, expected }) => {
    expect(fnv1a32(new TextEncoder().encode(input))).toBe(expected);
  });
});

describe('safeEncodeString', () => {
  it('maps digits 0-9 to 4 5 6 7 8 9 b c d f', () => {
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
  });
});

describe('computePodTemplateHash', () => {
  const base = newTemplate('nginx:1');
  it.each([
    { name: 'same template → same hash', a: base, b: newTemplate('nginx:1'), same: true },
    { name: 'key order does not matter', a: base, b: { spec: { containers: [{ image: 'nginx:1', name: 'app' }] }, metadata: { labels: { app: 'kubia' } } }, same: true },
    { name: 'empty map, empty list and null are like missing', a: base, b: { ...base, metadata: { ...base.metadata, annotations: {} }, spec: { ...base.spec, volumes: [], nodeSelector: null } }, same: true },
    { name: 'image change → new hash', a: base, b: newTemplate('nginx:2'), same: false },
    { name: 'label change → new hash', a: base, b: newTemplate('nginx:1', 'other'), same: false },
  ])('$name', ({ a, b, same }) => {
    expect(computePodTemplateHash(a) === computePodTemplateHash(b as typeof a)).toBe(same);
  });

  it('is deterministic, 1-10 chars of the safe alphabet', () => {
    const h = computePodTemplateHash(base);
    expect(h).toBe(computePodTemplateHash(structuredClone(base)));
    expect(h).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(h).toMatch(/^[456789bcdf]+$/); // decimal digits only map to these
  });

  it('changes with collisionCount, and collisionCount 0 differs from none', () => {
    const hashes = new Set([undefined, 0, 1, 2].map((c) => computePodTemplateHash(base, c)));
    expect(hashes.size).toBe(4);
  });
});
