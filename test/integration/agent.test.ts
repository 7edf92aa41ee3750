import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, deploymentManifest, eventually } from '../support/client.js';

describe('agent nodes: the kubelet contract', () => {
  let agent: ChildProcess | undefined;
  afterAll(() => agent?.kill('SIGKILL'));

  it('runs a tenant\'s pods on a node an agent registered, with the status the agent reports', async () => {
    const name = `agents-${Date.now().toString(36)}`;
    const created = await api('/admin/v1/tenants', { method: 'POST', token: inject('adminToken'), body: { name, nodeMode: 'agent' } });
    expect(created.status).toBe(201);
    const token = created.json.token;
    // No simulated nodes for an agent tenant: pods wait unscheduled.
    expect((await api('/api/v1/nodes', { token })).json.items).toEqual([]);
    await api('/apis/apps/v1/namespaces/default/deployments', { method: 'POST', token, body: deploymentManifest('fleet-app', { replicas: 2 }) });
    const pending = await eventually(async () => {
      const pods = (await api('/api/v1/namespaces/default/pods', { token })).json.items;
      return pods.length === 2 && pods.every((p: any) => p.status?.conditions?.some((c: any) => c.reason === 'Unschedulable')) ? pods : undefined;
    });
    expect(pending.every((p: any) => !p.spec.nodeName)).toBe(true);

    const dir = mkdtempSync(join(tmpdir(), 'rollway-agent-'));
    writeFileSync(join(dir, 'ca.crt'), inject('caPem'));
    agent = spawn(process.execPath, ['--import', 'tsx', 'test/support/agent.ts'], {
      env: { ...process.env, ROLLWAY_URL: inject('apiUrl'), ROLLWAY_TOKEN: token, ROLLWAY_CA: join(dir, 'ca.crt'), NODE_NAME: 'edge-1', POD_CIDR_PREFIX: '172.20.9' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let agentErr = '';
    agent.stderr?.on('data', (d) => (agentErr += d));

    const d = await eventually(async () => {
      const d = (await api('/apis/apps/v1/namespaces/default/deployments/fleet-app', { token })).json;
      return d.status?.availableReplicas === 2 ? d : undefined;
    }, 60_000, 250).catch((err) => {
      throw new Error(`${err}; agent stderr: ${agentErr}`);
    });
    expect(d.status.readyReplicas).toBe(2);
    const pods = (await api(`/api/v1/pods?fieldSelector=${encodeURIComponent('spec.nodeName=edge-1')}`, { token })).json.items;
    expect(pods).toHaveLength(2);
    expect(pods.every((p: any) => p.status.podIP.startsWith('172.20.9.'))).toBe(true);
    const node = (await api('/api/v1/nodes/edge-1', { token })).json;
    expect(node.metadata.labels['rollway.dev/agent']).toBe('true');
  });
});
