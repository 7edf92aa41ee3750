import { request } from 'node:https';
import { inject } from 'vitest';

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

export interface RequestOptions {
  method?: string;
  token?: string;
  body?: unknown;
  /** Sent as-is when a string or Buffer; JSON-encoded otherwise. */
  contentType?: string;
  accept?: string;
  headers?: Record<string, string>;
}

/** api sends one HTTPS request to the local stack, trusting its CA. */
export function api(path: string, opts: RequestOptions = {}): Promise<HttpResponse> {
  const base = new URL(inject('apiUrl'));
  const body = opts.body === undefined ? undefined : typeof opts.body === 'string' || Buffer.isBuffer(opts.body) ? opts.body : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        path,
        method: opts.method ?? 'GET',
        ca: inject('caPem'),
        headers: {
          ...(opts.token !== undefined ? { authorization: `Bearer ${opts.token}` } : {}),
          ...(body !== undefined ? { 'content-type': opts.contentType ?? 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}),
          accept: opts.accept ?? 'application/json',
          ...opts.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

let counter = 0;

/** newTenant creates a fresh tenant through the admin API and returns its token. */
export async function newTenant(prefix = 't'): Promise<{ name: string; token: string; kubeconfig: string }> {
  const name = `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter++}`.toLowerCase().slice(0, 63);
  const res = await api('/admin/v1/tenants', { method: 'POST', token: inject('adminToken'), body: { name } });
  if (res.status !== 201) throw new Error(`tenant creation failed: ${res.status} ${res.text}`);
  return { name, token: res.json.token, kubeconfig: res.json.kubeconfig };
}

/** eventually polls `fn` until it returns a truthy value or the time runs out. */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 30_000, stepMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export function deploymentManifest(name: string, opts: { replicas?: number; image?: string; labels?: Record<string, string>; strategy?: unknown; extra?: Record<string, unknown> } = {}) {
  const labels = opts.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      replicas: opts.replicas ?? 3,
      selector: { matchLabels: labels },
      ...(opts.strategy ? { strategy: opts.strategy } : {}),
      template: { metadata: { labels }, spec: { containers: [{ name: 'nodejs', image: opts.image ?? 'luksa/kubia:v1' }] } },
      ...opts.extra,
    },
  };
}
