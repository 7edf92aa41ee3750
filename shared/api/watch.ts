import type { KubeObject } from '../k8s/types.js';
import type { ResourceInfo } from './resources.js';
import type { ObjectStore, WatchEventType } from '../store/object-store.js';
import { type FieldRequirement, type LabelRequirement, matchesFields, matchesRequirements } from '../k8s/selectors.js';
import { statusBody, GoneError } from '../errors.js';

/**
 * ChangeNotifier wakes watches in the same process as soon as a write lands,
 * so local watches answer at once; elsewhere watches fall back to polling.
 */
export class ChangeNotifier {
  private waiters = new Map<string, Set<() => void>>();

  notify(tenant: string): void {
    const set = this.waiters.get(tenant);
    if (!set) return;
    this.waiters.delete(tenant);
    for (const wake of set) wake();
  }

  /** wait resolves on the tenant's next write or after `ms`, whichever is first. */
  wait(tenant: string, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let set = this.waiters.get(tenant);
      if (!set) this.waiters.set(tenant, (set = new Set()));
      const done = () => {
        clearTimeout(timer);
        set!.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}

export interface WatchOptions {
  store: ObjectStore;
  tenant: string;
  resource: ResourceInfo;
  namespace?: string;
  labels: LabelRequirement[];
  fields: FieldRequirement[];
  /** Send events newer than this; 0 means "send the current objects as ADDED first". */
  resourceVersion: number;
  sendInitialList: boolean;
  timeoutSeconds: number;
  bookmarks: boolean;
  /** Renders one event's object (raw, converted to the client's version, or as a Table row). */
  render: (obj: KubeObject, first: boolean) => unknown;
  notifier?: ChangeNotifier;
  /** How long a missing resourceVersion is waited for before it is presumed to be a failed write. */
  gapGraceMs?: number;
  pollMs?: number;
  now?: () => number;
}

const encoder = new TextEncoder();

/**
 * watchStream produces Kubernetes watch events, one JSON object per line.
 *
 * resourceVersions are taken from a per-tenant counter before the write
 * commits, so a write holding rv 6 can land after one holding rv 7. A reader
 * that moved past 7 would miss 6; so the stream remembers the gaps it has
 * seen and keeps reading from the oldest gap until it fills or its grace
 * period passes (a write that failed its condition leaves a gap forever).
 */
export function watchStream(opts: WatchOptions): ReadableStream<Uint8Array> {
  const now = opts.now ?? Date.now;
  const poll = opts.pollMs ?? 250;
  const grace = opts.gapGraceMs ?? 3000;
  const resourceKey = `${opts.resource.group}/${opts.resource.plural}`;
  const abort = new AbortController();
  let first = true;

  const matches = (obj: KubeObject) =>
    (!opts.namespace || obj.metadata.namespace === opts.namespace) && matchesRequirements(obj.metadata.labels, opts.labels) && matchesFields(obj, opts.fields);

  const line = (type: WatchEventType | 'BOOKMARK' | 'ERROR', object: unknown) => encoder.encode(JSON.stringify({ type, object }) + '\n');

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const deadline = now() + opts.timeoutSeconds * 1000;
      let cursor = opts.resourceVersion;
      const delivered = new Set<number>();
      const gaps = new Map<number, number>(); // rv -> first seen missing at
      let lastBookmark = now();
      try {
        if (opts.sendInitialList) {
          const list = await opts.store.list(opts.tenant, opts.resource, { namespace: opts.namespace, filter: matches });
          for (const obj of list.items) {
            controller.enqueue(line('ADDED', opts.render(obj, first)));
            first = false;
          }
          cursor = Number(list.resourceVersion);
        } else {
          await opts.store.assertWatchable(opts.tenant, cursor);
        }
        let low = cursor;
        while (!abort.signal.aborted && now() < deadline) {
          const changes = await opts.store.changesSince(opts.tenant, low);
          let expected = low + 1;
          for (const c of changes) {
            for (let missing = expected; missing < c.rv; missing++) if (!delivered.has(missing) && !gaps.has(missing) && missing > cursor - 0) gaps.set(missing, now());
            expected = c.rv + 1;
            gaps.delete(c.rv);
            if (delivered.has(c.rv)) continue;
            delivered.add(c.rv);
            if (c.resource !== resourceKey) continue;
            if (!matches(c.object)) continue;
            controller.enqueue(line(c.type, opts.render(c.object, first)));
            first = false;
          }
          const highest = Math.max(low, expected - 1);
          for (const [rv, since] of gaps) if (now() - since > grace) gaps.delete(rv);
          // Read again from just below the oldest open gap, or from the newest record seen.
          low = gaps.size ? Math.min(...gaps.keys()) - 1 : highest;
          for (const rv of delivered) if (rv <= low) delivered.delete(rv);
          if (changes.length >= 500) continue;
          if (opts.bookmarks && now() - lastBookmark > 60_000) {
            lastBookmark = now();
            controller.enqueue(line('BOOKMARK', { kind: opts.resource.kind, apiVersion: opts.resource.group ? `${opts.resource.group}/${opts.resource.versions[0]}` : 'v1', metadata: { resourceVersion: String(highest), annotations: { 'k8s.io/initial-events-end': 'true' } } }));
          }
          const wait = Math.min(gaps.size ? Math.min(poll, 100) : poll * 4, Math.max(0, deadline - now()));
          if (opts.notifier) await opts.notifier.wait(opts.tenant, wait, abort.signal);
          else await new Promise((r) => setTimeout(r, gaps.size ? Math.min(poll, 100) : poll));
        }
      } catch (err) {
        if (err instanceof GoneError) controller.enqueue(line('ERROR', statusBody(err).body));
        else if (!abort.signal.aborted) controller.enqueue(line('ERROR', statusBody(err).body));
      }
      try {
        controller.close();
      } catch {
        /* already closed by the client */
      }
    },
    cancel() {
      abort.abort();
    },
  });
}
