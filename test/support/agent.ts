/**
 * A minimal node agent speaking the same contract a kubelet has with the
 * Kubernetes API (see docs/agents.md): register a Node, keep it Ready, list
 * the pods bound to it, and report each pod's status. It "runs" a pod by
 * declaring it Running and Ready at once, with an address of its own range.
 *
 * Env: ROLLWAY_URL, ROLLWAY_TOKEN, ROLLWAY_CA (PEM file), NODE_NAME, POD_CIDR_PREFIX (e.g. 172.20.1).
 */
import { request } from 'node:https';
import { readFileSync } from 'node:fs';

const base = new URL(process.env.ROLLWAY_URL!);
const token = process.env.ROLLWAY_TOKEN!;
const ca = readFileSync(process.env.ROLLWAY_CA!, 'utf8');
const nodeName = process.env.NODE_NAME ?? 'agent-node-1';
const prefix = process.env.POD_CIDR_PREFIX ?? '172.20.1';

function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: base.hostname, port: base.port, path, method, ca, headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(data ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(data)) } : {}) } },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

async function register(): Promise<void> {
  const node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: nodeName, labels: { 'kubernetes.io/hostname': nodeName, 'rollway.dev/agent': 'true' } },
    spec: {},
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'agent is posting ready status', lastHeartbeatTime: now(), lastTransitionTime: now() }],
      addresses: [{ type: 'InternalIP', address: `${prefix}.1` }],
      nodeInfo: { kubeletVersion: 'v1.32.0-rollway-agent', osImage: 'example agent', kernelVersion: '', containerRuntimeVersion: 'example://1', operatingSystem: 'linux', architecture: 'amd64' },
    },
  };
  const res = await call('POST', '/api/v1/nodes', node);
  if (res.status !== 201 && res.status !== 409) throw new Error(`node registration failed: ${res.status} ${JSON.stringify(res.json)}`);
}

let next = 10;
const addresses = new Map<string, string>();

async function syncPods(): Promise<void> {
  const list = await call('GET', `/api/v1/pods?fieldSelector=${encodeURIComponent(`spec.nodeName=${nodeName}`)}`);
  for (const pod of list.json?.items ?? []) {
    const ready = (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
    if (ready || pod.metadata.deletionTimestamp) continue;
    const ip = addresses.get(pod.metadata.uid) ?? `${prefix}.${next++}`;
    addresses.set(pod.metadata.uid, ip);
    const t = now();
    const cond = (type: string) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: t });
    const status = {
      phase: 'Running',
      conditions: [cond('Initialized'), cond('Ready'), cond('ContainersReady'), cond('PodScheduled')],
      hostIP: `${prefix}.1`,
      podIP: ip,
      podIPs: [{ ip }],
      startTime: t,
      containerStatuses: pod.spec.containers.map((c: any) => ({ name: c.name, image: c.image, imageID: '', ready: true, started: true, restartCount: 0, state: { running: { startedAt: t } } })),
    };
    const res = await call('PUT', `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/status`, { ...pod, status });
    if (res.status >= 300 && res.status !== 409) process.stderr.write(`status write for ${pod.metadata.name}: ${res.status} ${JSON.stringify(res.json)}\n`);
  }
}

await register();
process.stdout.write(`agent ${nodeName} registered\n`);
for (;;) {
  try {
    await syncPods();
  } catch (err) {
    process.stderr.write(`sync failed: ${String(err)}\n`);
  }
  await new Promise((r) => setTimeout(r, 300));
}
