import { request } from 'node:https';
import type { ClientRequest } from 'node:http';
import { inject } from 'vitest';

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: any;
}

/**
 * openWatch streams watch events from the local stack and calls `onEvent`
 * for each, in order. Returns a function that closes the stream.
 */
export function openWatch(path: string, token: string, onEvent: (e: WatchEvent) => void): Promise<() => void> {
  const base = new URL(inject('apiUrl'));
  return new Promise((resolve, reject) => {
    let req: ClientRequest;
    req = request(
      { host: base.hostname, port: base.port, path, method: 'GET', ca: inject('caPem'), headers: { authorization: `Bearer ${token}`, accept: 'application/json' } },
      (res) => {
        if (res.statusCode !== 200) {
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

/** PodTracker keeps the live set of a deployment's pods from a watch, with their readiness. */
export class PodTracker {
  pods = new Map<string, any>();
  apply(e: WatchEvent): void {
    if (e.type === 'DELETED') this.pods.delete(e.object.metadata.name);
    else if (e.type === 'ADDED' || e.type === 'MODIFIED') this.pods.set(e.object.metadata.name, e.object);
  }
  get total(): number {
    return [...this.pods.values()].filter((p) => !p.metadata.deletionTimestamp).length;
  }
  get ready(): number {
    return [...this.pods.values()].filter((p) => isReady(p)).length;
  }
  byHash(): Map<string, { total: number; ready: number; running: number }> {
    const m = new Map<string, { total: number; ready: number; running: number }>();
    for (const p of this.pods.values()) {
      const h = p.metadata.labels?.['pod-template-hash'] ?? '';
      const e = m.get(h) ?? { total: 0, ready: 0, running: 0 };
      e.total++;
      if (isReady(p)) e.ready++;
      if (p.status?.phase === 'Running') e.running++;
      m.set(h, e);
    }
    return m;
  }
}

export function isReady(pod: any): boolean {
  return !pod.metadata.deletionTimestamp && (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}
