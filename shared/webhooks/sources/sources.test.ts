import { describe, expect, it } from 'vitest';
import { parsers, PayloadError, splitImage, type Headers, type ParsedDelivery } from './index.js';
import { DIGEST_A, dockerHubPush, ecrPush, githubPackage, harborCloudEvent, harborPush, quayPush } from './fixtures.js';

type Case = { name: string; source: keyof typeof parsers; body: unknown; headers?: Headers; want: Partial<ParsedDelivery> };

const gh = (event: string, id = 'd-1'): Headers => ({ 'x-github-event': event, 'x-github-delivery': id });

const ok: Case[] = [
  { name: 'generic image string', source: 'generic', body: { image: 'ghcr.io/acme/web:1.2.3' }, want: { images: [{ repository: 'ghcr.io/acme/web', tag: '1.2.3' }] } },
  { name: 'generic with registry port', source: 'generic', body: { image: 'localhost:5000/web:v2' }, want: { images: [{ repository: 'localhost:5000/web', tag: 'v2' }] } },
  {
    name: 'generic fields with digest and delivery header',
    source: 'generic',
    body: { repository: 'acme/web', tag: 'v1', digest: DIGEST_A },
    headers: { 'x-rollway-delivery': 'abc' },
    want: { images: [{ repository: 'acme/web', tag: 'v1', digest: DIGEST_A }], digest: DIGEST_A, deliveryId: 'abc' },
  },
  { name: 'docker hub push', source: 'dockerhub', body: dockerHubPush('acme/web', 'v2'), want: { images: [{ repository: 'docker.io/acme/web', tag: 'v2' }] } },
  { name: 'docker hub official image', source: 'dockerhub', body: dockerHubPush('nginx', '1.27'), want: { images: [{ repository: 'docker.io/library/nginx', tag: '1.27' }] } },
  {
    name: 'github package published',
    source: 'github',
    body: githubPackage('Acme', 'web', 'v3'),
    headers: gh('package'),
    want: { images: [{ repository: 'ghcr.io/acme/web', tag: 'v3', digest: DIGEST_A }], digest: DIGEST_A, deliveryId: 'd-1' },
  },
  {
    name: 'github legacy registry_package',
    source: 'github',
    body: (() => {
      const b: any = githubPackage('acme', 'web', 'v3');
      b.registry_package = b.package;
      delete b.package;
      return b;
    })(),
    headers: gh('registry_package'),
    want: { images: [{ repository: 'ghcr.io/acme/web', tag: 'v3', digest: DIGEST_A }] },
  },
  { name: 'github ping', source: 'github', body: { zen: 'Keep it simple.', hook_id: 1 }, headers: gh('ping'), want: { images: [], ignore: 'ping' } },
  { name: 'github untagged manifest', source: 'github', body: githubPackage('acme', 'web', ''), headers: gh('package'), want: { images: [], ignore: 'untagged manifest' } },
  {
    name: 'ecr push',
    source: 'ecr',
    body: ecrPush('123456789012', 'eu-west-1', 'team/web', 'v4'),
    want: { images: [{ repository: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web', tag: 'v4', digest: DIGEST_A }], deliveryId: '4f5ec4d5-4de4-7aad-a046-56d5cfe1df0e' },
  },
  { name: 'ecr untagged push', source: 'ecr', body: ecrPush('123456789012', 'eu-west-1', 'web', undefined), want: { images: [], ignore: 'untagged image' } },
  { name: 'ecr delete', source: 'ecr', body: { ...ecrPush('123456789012', 'eu-west-1', 'web', 'v1'), detail: { 'action-type': 'DELETE', result: 'SUCCESS', 'repository-name': 'web' } }, want: { images: [], ignore: 'DELETE SUCCESS' } },
  { name: 'harbor 2.x default', source: 'harbor', body: harborPush('harbor.example.com', 'lib', 'web', 'v5'), want: { images: [{ repository: 'harbor.example.com/lib/web', tag: 'v5', digest: DIGEST_A }], digest: DIGEST_A } },
  { name: 'harbor 1.x pushImage', source: 'harbor', body: harborPush('harbor.example.com', 'lib', 'web', 'v5', DIGEST_A, 'pushImage'), want: { images: [{ repository: 'harbor.example.com/lib/web', tag: 'v5', digest: DIGEST_A }] } },
  {
    name: 'harbor CloudEvents',
    source: 'harbor',
    body: harborCloudEvent('harbor.example.com', 'lib', 'web', 'v6'),
    want: { images: [{ repository: 'harbor.example.com/lib/web', tag: 'v6', digest: DIGEST_A }], deliveryId: 'b9f9a1c2-0d8e-4c55-8f7e-3f2d7a9a1e11' },
  },
  { name: 'quay tag list', source: 'quay', body: quayPush('acme/web', ['v7', 'latest']), want: { images: [{ repository: 'quay.io/acme/web', tag: 'v7' }, { repository: 'quay.io/acme/web', tag: 'latest' }] } },
  { name: 'quay legacy tag map', source: 'quay', body: quayPush('acme/web', { v8: 'abc123' }), want: { images: [{ repository: 'quay.io/acme/web', tag: 'v8' }] } },
];

describe('registry payload parsers', () => {
  it.each(ok)('$name', ({ source, body, headers, want }) => {
    const got = parsers[source](JSON.stringify(body), headers ?? {});
    expect(got).toMatchObject(want);
    if (want.images) expect(got.images).toEqual(want.images);
  });

  const bad: Array<{ name: string; source: keyof typeof parsers; body: string; headers?: Headers; message: RegExp }> = [
    { name: 'malformed JSON', source: 'generic', body: '{"image":', message: /not valid JSON; expected/ },
    { name: 'JSON array', source: 'generic', body: '[1]', message: /not a JSON object/ },
    { name: 'generic without image', source: 'generic', body: '{"foo":1}', message: /expected \{"image"/ },
    { name: 'generic without tag', source: 'generic', body: '{"image":"acme/web"}', message: /no valid tag/ },
    { name: 'generic bad digest', source: 'generic', body: '{"repository":"a/b","tag":"v1","digest":"md5:x"}', message: /sha256/ },
    { name: 'docker hub shape', source: 'dockerhub', body: '{"image":"a:b"}', message: /Docker Hub push event/ },
    { name: 'github unknown event', source: 'github', body: '{}', headers: gh('push'), message: /X-GitHub-Event/ },
    { name: 'github no package', source: 'github', body: '{"action":"published"}', headers: gh('package'), message: /GitHub package event/ },
    { name: 'ecr shape', source: 'ecr', body: '{"detail":{}}', message: /aws\.ecr/ },
    { name: 'harbor shape', source: 'harbor', body: '{"foo":1}', message: /PUSH_ARTIFACT/ },
    { name: 'quay shape', source: 'quay', body: '{"repository":"a/b"}', message: /updated_tags/ },
    { name: 'quay bad tag', source: 'quay', body: '{"repository":"a/b","updated_tags":["bad tag"]}', message: /invalid tag/ },
  ];
  it.each(bad)('rejects $name', ({ source, body, headers, message }) => {
    let err: unknown;
    try {
      parsers[source](body, headers ?? {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PayloadError);
    expect((err as Error).message).toMatch(message);
  });
});

describe('splitImage', () => {
  it.each([
    { ref: 'nginx', want: { repository: 'nginx' } },
    { ref: 'nginx:1.27', want: { repository: 'nginx', tag: '1.27' } },
    { ref: 'host:5000/a/b:v1', want: { repository: 'host:5000/a/b', tag: 'v1' } },
    { ref: 'host:5000/a/b', want: { repository: 'host:5000/a/b' } },
    { ref: `a/b:v1@${DIGEST_A}`, want: { repository: 'a/b', tag: 'v1', digest: DIGEST_A } },
  ])('$ref', ({ ref, want }) => {
    expect(JSON.parse(JSON.stringify(splitImage(ref)))).toEqual(want);
  });
});
