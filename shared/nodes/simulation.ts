import { createHash } from 'node:crypto';
import type { Pod } from '../k8s/types.js';

/**
 * How a simulated node runs a pod, chosen per pod so a team can rehearse a
 * bad release: by the annotation `rollway.dev/simulate` on the pod template,
 * or by the image tag (`…:never-ready`, `…-crashloop`, `…-slow`).
 */
export type SimulatedBehaviour = 'healthy' | 'never-ready' | 'crash-loop' | 'slow-start';

export const SIMULATE_ANNOTATION = 'rollway.dev/simulate';
export const START_DELAY_ANNOTATION = 'rollway.dev/start-delay-ms';
/** A slow start takes this many times the normal delay. */
export const SLOW_START_FACTOR = 10;
/** A crash-looping container restarts this often. */
export const CRASH_LOOP_PERIOD_MS = 10_000;

export function simulatedBehaviour(pod: Pod): SimulatedBehaviour {
  const a = pod.metadata.annotations?.[SIMULATE_ANNOTATION];
  if (a === 'never-ready' || a === 'crash-loop' || a === 'slow-start' || a === 'healthy') return a;
  for (const c of pod.spec?.containers ?? []) {
    const tag = String(c.image ?? '').split('/').pop()!.split(':')[1] ?? '';
    if (/never-?ready/.test(tag)) return 'never-ready';
    if (/crash-?loop/.test(tag)) return 'crash-loop';
    if (/slow/.test(tag)) return 'slow-start';
  }
  return 'healthy';
}

/** startDelayMs is how long after binding a simulated pod takes to become ready. */
export function startDelayMs(pod: Pod, defaultMs: number): number {
  const raw = pod.metadata.annotations?.[START_DELAY_ANNOTATION];
  const base = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : defaultMs;
  return simulatedBehaviour(pod) === 'slow-start' ? base * SLOW_START_FACTOR : base;
}

/** podIp gives a stable address in 10.244.0.0/16 from the pod's uid (per tenant, address spaces are separate). */
export function podIp(uid: string): string {
  const h = createHash('sha256').update(uid).digest();
  return `10.244.${h[0]}.${(h[1] % 254) + 1}`;
}

/** simulatedNodeNames are the nodes each simulated tenant gets. */
export const SIMULATED_NODES = ['sim-node-1', 'sim-node-2', 'sim-node-3'];
