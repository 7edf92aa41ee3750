import { Agent, request } from 'node:https';
import type { ClientRequest } from 'node:http';
import type { WatchEvent } from './watch.js';

/**
 * StackClient talks HTTPS to any local stack (not only the shared test
 * stack), over keep-alive connections, with a per-request timeout. Used by
 * the benchmarks and by test files that start a stack of their own.
 */
export interface StackResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

export interface StackRequest {
  method?: string;
  token?: string;
  body?: unknown;
  contentType?: string;
  accept?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export class StackClient {
  readonly agent: Agent;
  private readonly base: URL;

  constructor(
    apiUrl: string,
    private readonly caPem: string,
    opts: { maxSockets?: number } = {},
  ) {
    this.base = new URL(apiUrl);
    this.agent = new Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 64, ca: caPem });
  }

  request(path: string, opts: StackRequest = {}): Promise<StackResponse> {
    const body = opts.body === undefined ? undefined : typeof opts.body === 'string' || Buffer.isBuffer(opts.body) ? opts.body : JSON.stringify(opts.body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.base.hostname,
          port: this.base.port,
          path,
          method: opts.method ?? 'GET',
          agent: this.agent,
          ca: this.caPem,
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
            clearTimeout(timer);
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
          });
          res.on('error', reject);
        },
      );
      const timer = setTimeout(() => {
        req.destroy(new Error(`request ${opts.method ?? 'GET'} ${path.slice(0, 120)} timed out after ${opts.timeoutMs ?? 30_000} ms`));
      }, opts.timeoutMs ?? 30_000);
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  /** watch streams events of a watch request; the returned function closes it. */
  watch(path: string, token: string, onEvent: (e: WatchEvent) => void): Promise<() => void> {
    return new Promise((resolve, reject) => {
      let req: ClientRequest;
      // eslint-disable-next-line prefer-const
      req = request(
        { host: this.base.hostname, port: this.base.port, path, method: 'GET', ca: this.caPem, headers: { authorization: `Bearer ${token}`, accept: 'application/json' } },
        (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            reject(new Error(`watch failed: ${res.statusCode}`));
            return;
          }
          let buf = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buf += chunk;
            let i: number;
            while ((i = buf.indexOf('\n')) >= 0) {
              const line = buf.slice(0, i).trim();
              buf = buf.slice(i + 1);
              if (line) onEvent(JSON.parse(line));
            }
          });
          res.on('error', () => undefined);
          resolve(() => req.destroy());
        },
      );
      req.on('error', (err: Error) => {
        if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err);
      });
      req.end();
    });
  }

  /** newTenant creates a tenant through the admin API. */
  async newTenant(adminToken: string, name: string): Promise<{ name: string; token: string; tokenId: string }> {
    const res = await this.request('/admin/v1/tenants', { method: 'POST', token: adminToken, body: { name } });
    if (res.status !== 201) throw new Error(`tenant creation failed: ${res.status} ${res.text}`);
    return { name, token: res.json.token, tokenId: res.json.tokenId };
  }

  close(): void {
    this.agent.destroy();
  }
}
