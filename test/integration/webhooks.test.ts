import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, deploymentManifest, eventually, newTenant } from '../support/client.js';
import { hmacHex, signBody } from '../../shared/webhooks/verify.js';
import { DIGEST_A, DIGEST_B, dockerHubPush, ecrPush, githubPackage, harborPush, quayPush } from '../../shared/webhooks/sources/fixtures.js';

const run = promisify(execFile);
const D = '/apis/apps/v1/namespaces/default/deployments';
const RS = '/apis/apps/v1/namespaces/default/replicasets';
const ITR = '/apis/rollway.dev/v1/namespaces/default/imagetriggers';
const SECRETS = '/api/v1/namespaces/default/secrets';

let tenant: { name: string; token: string; kubeconfig: string };
let kubeconfigPath: string;

async function kubectl(...args: string[]) {
  return run('kubectl', args, { env: { ...process.env, KUBECONFIG: kubeconfigPath, KUBECACHEDIR: mkdtempSync(join(tmpdir(), 'kc-')) } });
}

async function deployment(name: string, image: string) {
  const res = await api(D, { method: 'POST', token: tenant.token, body: deploymentManifest(name, { replicas: 1, image }) });
  expect(res.status).toBe(201);
}

async function image(name: string): Promise<string> {
  return (await api(`${D}/${name}`, { token: tenant.token })).json.spec.template.spec.containers[0].image;
}

/** trigger creates an ImageTrigger (and its Secret) and returns its endpoint path once the server issued it. */
async function trigger(name: string, spec: Record<string, unknown>, secret?: string): Promise<string> {
  if (secret !== undefined) {
    const s = await api(SECRETS, { method: 'POST', token: tenant.token, body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: `${name}-secret` }, stringData: { secret } } });
    expect(s.status).toBe(201);
  }
  const body = { apiVersion: 'rollway.dev/v1', kind: 'ImageTrigger', metadata: { name }, spec: { ...spec, ...(secret !== undefined ? { secretRef: { name: `${name}-secret`, key: 'secret' } } : {}) } };
  const res = await api(ITR, { method: 'POST', token: tenant.token, body });
  expect(res.status, res.text).toBe(201);
  return eventually(async () => (await api(`${ITR}/${name}`, { token: tenant.token })).json.status?.endpointURL as string | undefined);
}

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return api(path, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers });
}

async function rolledTo(name: string, img: string) {
  return eventually(async () => {
    const rs = (await api(RS, { token: tenant.token })).json.items.filter((r: any) => r.metadata.ownerReferences?.[0]?.name === name);
    return rs.find((r: any) => r.spec.template.spec.containers[0].image === img);
  }, 30_000);
}

beforeAll(async () => {
  tenant = await newTenant('wh');
  kubeconfigPath = join(mkdtempSync(join(tmpdir(), 'wh-')), 'kubeconfig');
  writeFileSync(kubeconfigPath, tenant.kubeconfig);
});

describe('webhook-triggered rollouts', () => {
  it('a Docker Hub push rolls the deployment and kubectl rollout history shows the change-cause', async () => {
    await deployment('hub', 'acme/web:v1');
    const path = await trigger('hub', { deploymentName: 'hub', containerName: 'nodejs', source: 'dockerhub', repository: 'acme/web' });
    expect(path).toMatch(new RegExp(`^/webhooks/${tenant.name}/default/hub/[A-Za-z0-9_-]{32}$`));
    const res = await post(path, dockerHubPush('acme/web', 'v2'));
    expect(res.status, res.text).toBe(202);
    expect(res.json).toMatchObject({ outcome: 'accepted', image: 'acme/web:v2' });
    const rs = await rolledTo('hub', 'acme/web:v2');
    expect(rs.metadata.annotations['kubernetes.io/change-cause']).toMatch(/^image-trigger hub: acme\/web:v2 \(dockerhub delivery sha256:[0-9a-f]{64}\)$/);
    const { stdout } = await kubectl('rollout', 'history', 'deployment/hub');
    expect(stdout).toMatch(/2\s+image-trigger hub: acme\/web:v2/);
    const t = (await api(`${ITR}/hub`, { token: tenant.token })).json;
    expect(t.status.lastResult).toMatchObject({ outcome: 'accepted' });
    expect(t.status.lastDelivery).toMatchObject({ image: 'acme/web:v2' });
    // Same body again: a redelivery, acknowledged and not acted on.
    const again = await post(path, dockerHubPush('acme/web', 'v2'));
    expect(again.status).toBe(200);
    expect(again.json.outcome).toBe('duplicate');
  });

  it('a signed GitHub package event rolls; a bad signature is 401 and changes nothing', async () => {
    await deployment('gh', 'ghcr.io/acme/web:v1');
    const path = await trigger('gh', { deploymentName: 'gh', containerName: 'nodejs', source: 'github', repository: 'ghcr.io/acme/web' }, 'gh-secret');
    const body = JSON.stringify(githubPackage('acme', 'web', 'v2', DIGEST_A));
    const bad = await post(path, body, { 'x-github-event': 'package', 'x-github-delivery': 'g-1', 'x-hub-signature-256': `sha256=${hmacHex('wrong', body)}` });
    expect(bad.status).toBe(401);
    expect(await image('gh')).toBe('ghcr.io/acme/web:v1');
    const ping = await post(path, '{"zen":"hi"}', { 'x-github-event': 'ping', 'x-github-delivery': 'g-0', 'x-hub-signature-256': `sha256=${hmacHex('gh-secret', '{"zen":"hi"}')}` });
    expect(ping.status).toBe(200);
    const ok = await post(path, body, { 'x-github-event': 'package', 'x-github-delivery': 'g-1', 'x-hub-signature-256': `sha256=${hmacHex('gh-secret', body)}` });
    expect(ok.status, ok.text).toBe(202);
    const rs = await rolledTo('gh', 'ghcr.io/acme/web:v2');
    expect(rs.metadata.annotations['kubernetes.io/change-cause']).toBe('image-trigger gh: ghcr.io/acme/web:v2 (github delivery g-1)');
    // A second event for the same digest (new delivery id, another tag) is a duplicate.
    const body2 = JSON.stringify(githubPackage('acme', 'web', 'v2-again', DIGEST_A));
    const dup = await post(path, body2, { 'x-github-event': 'package', 'x-github-delivery': 'g-2', 'x-hub-signature-256': `sha256=${hmacHex('gh-secret', body2)}` });
    expect(dup.status).toBe(200);
    expect(dup.json.outcome).toBe('duplicate');
    expect(await image('gh')).toBe('ghcr.io/acme/web:v2');
  });

  it('an ECR push through an EventBridge API destination rolls with the header secret', async () => {
    const repo = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web';
    await deployment('ecr', `${repo}:v1`);
    const path = await trigger('ecr', { deploymentName: 'ecr', containerName: 'nodejs', source: 'ecr', repository: repo }, 'Bearer ecr-key');
    const body = ecrPush('123456789012', 'eu-west-1', 'team/web', 'v2', DIGEST_B, 'evt-1');
    expect((await post(path, body, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await post(path, body)).status).toBe(401);
    const ok = await post(path, body, { authorization: 'Bearer ecr-key' });
    expect(ok.status, ok.text).toBe(202);
    const rs = await rolledTo('ecr', `${repo}:v2`);
    expect(rs.metadata.annotations['kubernetes.io/change-cause']).toBe(`image-trigger ecr: ${repo}:v2 (ecr delivery evt-1)`);
  });

  it('a Harbor PUSH_ARTIFACT rolls with the Authorization header', async () => {
    await deployment('harbor', 'harbor.example.com/lib/web:v1');
    const path = await trigger('harbor', { deploymentName: 'harbor', containerName: 'nodejs', source: 'harbor', repository: 'harbor.example.com/lib/web' }, 'harbor-auth');
    const body = harborPush('harbor.example.com', 'lib', 'web', 'v2', DIGEST_A);
    expect((await post(path, body, { authorization: 'harbor-auth-x' })).status).toBe(401);
    const ok = await post(path, body, { authorization: 'harbor-auth' });
    expect(ok.status, ok.text).toBe(202);
    await rolledTo('harbor', 'harbor.example.com/lib/web:v2');
  });

  it('a generic signed delivery rolls; replays, stale signatures, rejected tags, bad JSON and big bodies change nothing', async () => {
    await deployment('gen', 'registry.example.com/web:1.0.0');
    const path = await trigger('gen', { deploymentName: 'gen', containerName: 'nodejs', source: 'generic', repository: 'registry.example.com/web', tagPolicy: { type: 'semver', value: '>=1.0.0' } }, 'gen-secret');
    const sign = (b: string, t = Math.floor(Date.now() / 1000)) => ({ 'x-rollway-signature': signBody('gen-secret', b, t) });
    const body = JSON.stringify({ image: 'registry.example.com/web:1.1.0' });

    const stale = await post(path, body, sign(body, Math.floor(Date.now() / 1000) - 600));
    expect(stale.status).toBe(401);
    const wrong = await post(path, body, { 'x-rollway-signature': signBody('nope', body, Math.floor(Date.now() / 1000)) });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toMatchObject({ kind: 'Status', code: 401, reason: 'Unauthorized' });

    const headers = sign(body);
    const ok = await post(path, body, headers);
    expect(ok.status, ok.text).toBe(202);
    const replay = await post(path, body, headers);
    expect(replay.status).toBe(200);
    expect(replay.json.outcome).toBe('duplicate');
    await rolledTo('gen', 'registry.example.com/web:1.1.0');

    const cases = [
      { name: 'downgrade', body: JSON.stringify({ image: 'registry.example.com/web:1.0.5' }), status: 200, outcome: 'rejected', reason: /not newer/ },
      { name: 'not semver', body: JSON.stringify({ repository: 'registry.example.com/web', tag: 'latest' }), status: 200, outcome: 'rejected', reason: /not a semantic version/ },
      { name: 'other repository', body: JSON.stringify({ image: 'evil.example.com/web:9.9.9' }), status: 200, outcome: 'rejected', reason: /is not registry.example.com\/web/ },
      { name: 'same image', body: JSON.stringify({ image: 'registry.example.com/web:1.1.0', n: 1 }), status: 200, outcome: 'unchanged', reason: /already runs/ },
    ];
    for (const c of cases) {
      const r = await post(path, c.body, sign(c.body));
      expect(r.status, c.name).toBe(c.status);
      expect(r.json.outcome, c.name).toBe(c.outcome);
      expect(r.json.reason, c.name).toMatch(c.reason);
    }
    const malformed = '{"image": ';
    const m = await post(path, malformed, sign(malformed));
    expect(m.status).toBe(400);
    expect(m.json.message).toMatch(/expected \{"image"/);
    const big = JSON.stringify({ image: 'registry.example.com/web:2.0.0', pad: 'x'.repeat(300 * 1024) });
    const b = await post(path, big, sign(big));
    expect(b.status).toBe(413);
    expect(await image('gen')).toBe('registry.example.com/web:1.1.0');
    const t = (await api(`${ITR}/gen`, { token: tenant.token })).json;
    expect(t.status.lastResult.outcome).toBe('unchanged');
  });

  it('unknown triggers, wrong tokens and other tenants all get the same 401', async () => {
    await deployment('quay', 'quay.io/acme/web:v1');
    const path = await trigger('quay', { deploymentName: 'quay', containerName: 'nodejs', source: 'quay', repository: 'quay.io/acme/web', tagPolicy: { type: 'glob', value: 'v*' } });
    const token = path.split('/').at(-1)!;
    const body = quayPush('acme/web', ['v2']);
    const responses = await Promise.all([
      post(path.replace(/[^/]+$/, 'A'.repeat(32)), body),
      post(`/webhooks/${tenant.name}/default/nope/${token}`, body),
      post(`/webhooks/other-tenant/default/quay/${token}`, body),
    ]);
    for (const r of responses) {
      expect(r.status).toBe(401);
      expect(r.json.message).toBe(responses[0].json.message);
    }
    const rejected = await post(path, quayPush('acme/web', ['dev']));
    expect(rejected.json).toMatchObject({ outcome: 'rejected' });
    const ok = await post(path, body);
    expect(ok.status, ok.text).toBe(202);
    await rolledTo('quay', 'quay.io/acme/web:v2');
  });

  it('rotating the token through the annotation retires the old URL', async () => {
    await deployment('rot', 'acme/rot:v1');
    const old = await trigger('rot', { deploymentName: 'rot', containerName: 'nodejs', source: 'dockerhub', repository: 'acme/rot' });
    const res = await api(`${ITR}/rot`, { method: 'PATCH', token: tenant.token, contentType: 'application/merge-patch+json', body: { metadata: { annotations: { 'rollway.dev/rotate-token': '1' } } } });
    expect(res.status).toBe(200);
    const fresh = await eventually(async () => {
      const url = (await api(`${ITR}/rot`, { token: tenant.token })).json.status?.endpointURL;
      return url !== old ? (url as string) : undefined;
    });
    expect((await post(old, dockerHubPush('acme/rot', 'v2'))).status).toBe(401);
    expect((await post(fresh, dockerHubPush('acme/rot', 'v2'))).status).toBe(202);
  });

  it('kubectl get and describe show image triggers', async () => {
    const { stdout } = await kubectl('get', 'imagetriggers');
    expect(stdout.split('\n')[0]).toMatch(/^NAME\s+DEPLOYMENT\s+CONTAINER\s+SOURCE\s+LAST-RESULT\s+AGE$/);
    expect(stdout).toMatch(/hub\s+hub\s+nodejs\s+dockerhub\s+accepted/);
    const short = await kubectl('get', 'itr', 'gh', '-o', 'jsonpath={.spec.source}');
    expect(short.stdout).toBe('github');
    const d = await kubectl('describe', 'imagetrigger', 'gen');
    expect(d.stdout).toMatch(/Endpoint URL:\s+\/webhooks\//);
  });

  it('a tenant over its rate limit gets 429 with Retry-After', async () => {
    const t2 = await newTenant('whrate');
    const path = `/webhooks/${t2.name}/default/none/${'A'.repeat(32)}`;
    const statuses = await Promise.all(Array.from({ length: 100 }, () => post(path, '{}')));
    const limited = statuses.find((r) => r.status === 429);
    expect(limited).toBeDefined();
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited!.json).toMatchObject({ kind: 'Status', reason: 'TooManyRequests' });
  });
});
