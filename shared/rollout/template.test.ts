import { describe, expect, it } from 'vitest';
import type { PodTemplateSpec } from '../k8s/types.js';
import { canonicalJson, templatesEqualIgnoringHash } from './template.js';
import { newTemplate } from './test-fixtures.js';

describe('templatesEqualIgnoringHash', () => {
  const t = newTemplate('nginx:1');
  const withHash = (tpl: PodTemplateSpec, hash: string): PodTemplateSpec => ({ ...tpl, metadata: { ...tpl.metadata, labels: { ...tpl.metadata!.labels, 'pod-template-hash': hash } } });
  it.each([
    { name: 'identical', a: t, b: newTemplate('nginx:1'), equal: true },
    { name: 'hash label on one side only', a: t, b: withHash(t, 'abc'), equal: true },
    { name: 'different hash labels', a: withHash(t, 'x'), b: withHash(t, 'y'), equal: true },
    { name: 'nil labels vs empty labels', a: { spec: t.spec }, b: { metadata: { labels: {} }, spec: t.spec }, equal: true },
    { name: 'only a hash label vs none', a: { spec: t.spec }, b: { metadata: { labels: { 'pod-template-hash': 'h' } }, spec: t.spec }, equal: true },
    { name: 'null vs missing vs [] vs {}', a: { ...t, spec: { ...t.spec, volumes: null, tolerations: [] } }, b: { ...t, spec: { ...t.spec, affinity: {} } }, equal: true },
    { name: 'different image', a: t, b: newTemplate('nginx:2'), equal: false },
    { name: 'extra label', a: t, b: { ...t, metadata: { labels: { app: 'kubia', tier: 'web' } } }, equal: false },
    { name: 'container order matters', a: { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] } }, b: { spec: { containers: [{ name: 'b', image: 'y' }, { name: 'a', image: 'x' }] } }, equal: false },
  ])('$name', ({ a, b, equal }) => {
    expect(templatesEqualIgnoringHash(a as PodTemplateSpec, b as PodTemplateSpec)).toBe(equal);
  });

  it('does not mutate its inputs', () => {
    const a = { metadata: { labels: { app: 'x', 'pod-template-hash': 'h' } }, spec: t.spec };
    templatesEqualIgnoringHash(a, t);
    expect(a.metadata.labels['pod-template-hash']).toBe('h');
  });
});

describe('canonicalJson', () => {
  it('sorts keys and prunes empties recursively', () => {
    expect(canonicalJson({ b: 1, a: { c: {}, d: [] }, e: null, f: [{}, 2] })).toBe('{"b":1,"f":[null,2]}');
  });
});
