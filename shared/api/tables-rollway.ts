/**
 * Server-side printing of the rollway.dev kinds (ImageTrigger, Notifier) for
 * `kubectl get`. Registered into tables.ts by one line; this file imports
 * only types from it, so the two never depend on each other at load time.
 */
import type { KubeObject } from '../k8s/types.js';
import type { TableColumnDefinition, TableRow } from './tables.js';

type Obj = KubeObject & Record<string, any>;
type Printer = (obj: Obj, now: number) => { cells: unknown[]; conditions?: TableRow['conditions'] };

const col = (name: string, type: string, description: string, priority = 0, format = ''): TableColumnDefinition => ({ name, type, format, description, priority });
const nameCol = () => col('Name', 'string', 'Name must be unique within a namespace.', 0, 'name');
const ageCol = () => col('Age', 'date', 'CreationTimestamp is a timestamp representing the server time when this object was created.');

/** age renders creationTimestamp as kubectl's HumanDuration (kept local: see the file comment). */
export function age(ts: unknown, now: number): string {
  const t = typeof ts === 'string' ? Date.parse(ts) : NaN;
  if (Number.isNaN(t)) return '<unknown>';
  const s = Math.floor(Math.max(0, now - t) / 1000);
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return h % 24 ? `${d}d${h % 24}h` : `${d}d`;
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

const str = (s: unknown): string => (typeof s === 'string' ? s : '');

export const rollwayColumns: Record<string, () => TableColumnDefinition[]> = {
  ImageTrigger: () => [
    nameCol(),
    col('Deployment', 'string', 'The Deployment whose container this trigger updates.'),
    col('Container', 'string', 'The container whose image is set.'),
    col('Source', 'string', 'The registry that sends the webhook.'),
    col('Last-Result', 'string', 'Outcome of the last delivery.'),
    ageCol(),
    col('Repository', 'string', 'The image repository accepted.', 1),
    col('Policy', 'string', 'The tag policy.', 1),
  ],
  Notifier: () => [
    nameCol(),
    col('URL', 'string', 'Where notifications are sent.'),
    col('Events', 'string', 'Rollout events sent.'),
    col('Last-Result', 'string', 'Outcome of the last delivery attempt.'),
    ageCol(),
  ],
};

function printImageTrigger(t: Obj, now: number): { cells: unknown[] } {
  const s = t.spec ?? {};
  const p = s.tagPolicy ?? {};
  return {
    cells: [
      t.metadata.name,
      str(s.deploymentName),
      str(s.containerName),
      str(s.source),
      str(t.status?.lastResult?.outcome) || '<none>',
      age(t.metadata.creationTimestamp, now),
      str(s.repository),
      p.value ? `${str(p.type)}:${str(p.value)}` : str(p.type),
    ],
  };
}

function printNotifier(n: Obj, now: number): { cells: unknown[] } {
  const s = n.spec ?? {};
  let host = str(s.url);
  try {
    const u = new URL(host);
    host = `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`; // never print query strings (tokens)
  } catch {
    /* shown as is */
  }
  return { cells: [n.metadata.name, host, (s.events ?? []).join(','), str(n.status?.lastAttempt?.outcome) || '<none>', age(n.metadata.creationTimestamp, now)] };
}

export const rollwayPrinters: Record<string, Printer> = {
  ImageTrigger: printImageTrigger,
  Notifier: printNotifier,
};
