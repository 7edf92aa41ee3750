/**
 * Fenceposts: how far a rolling update may go above (maxSurge) and below
 * (maxUnavailable) the desired replica count.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/util/deployment_util.go (ResolveFenceposts, MaxSurge, MaxUnavailable)
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/util/intstr/intstr.go (GetScaledValueFromIntOrPercent)
 */
import type { Deployment, IntOrString } from '../k8s/types.js';

/** ScaledValue is a resolved IntOrString, or the reason it could not be resolved. */
export type ScaledValue = { value: number; error?: undefined } | { value: 0; error: string };

/**
 * scaledValue resolves an int as-is, or a `<int>%` string against total,
 * rounding up (ceil) or down (floor). A string without `%`, or with a
 * non-integer before it, is an error.
 *
 * Example: "25%" of 10 is 3 rounded up and 2 rounded down.
 */
export function scaledValue(v: IntOrString | undefined | null, total: number, roundUp: boolean): ScaledValue {
  if (v === undefined || v === null) return { value: 0, error: 'nil value for IntOrString' };
  if (typeof v === 'number') return { value: Math.trunc(v) };
  if (!v.endsWith('%')) {
    return { value: 0, error: `invalid value for IntOrString: invalid type: string is not a percentage` };
  }
  const digits = v.slice(0, -1);
  if (!/^[+-]?\d+$/.test(digits)) {
    return { value: 0, error: `invalid value for IntOrString: invalid value "${v}"` };
  }
  const exact = (Number(digits) * total) / 100;
  return { value: roundUp ? Math.ceil(exact) : Math.floor(exact) };
}

/** Fenceposts are the resolved surge and unavailability of a rolling update. */
export interface Fenceposts {
  surge: number;
  unavailable: number;
  error?: string;
}

/**
 * resolveFenceposts resolves maxSurge (rounded up) and maxUnavailable
 * (rounded down) against desired. Missing values count as 0, and any error
 * gives 0/0 with the error.
 *
 * When both resolve to 0 (validation forbids explicit 0/0, but rounding down
 * can produce it: "10%" of 3 is 0.3 → 0), unavailable becomes 1 so the
 * rollout can still progress even if surge pods cannot be scheduled.
 *
 *  | maxSurge | maxUnavailable | desired | surge | unavailable |
 *  |----------|----------------|---------|-------|-------------|
 *  | 25%      | 25%            | 10      | 3     | 2           |
 *  | 39%      | 39%            | 10      | 4     | 3           |
 *  | 0%       | 0%             | 0       | 0     | 1           |
 */
export function resolveFenceposts(
  maxSurge: IntOrString | undefined | null,
  maxUnavailable: IntOrString | undefined | null,
  desired: number,
): Fenceposts {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  if (surge.error !== undefined) return { surge: 0, unavailable: 0, error: surge.error };
  const unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  if (unavailable.error !== undefined) return { surge: 0, unavailable: 0, error: unavailable.error };
  if (surge.value === 0 && unavailable.value === 0) return { surge: 0, unavailable: 1 };
  return { surge: surge.value, unavailable: unavailable.value };
}

/** isRollingUpdate returns true for the RollingUpdate strategy. */
export function isRollingUpdate(d: Deployment): boolean {
  return d.spec.strategy?.type === 'RollingUpdate';
}

/** replicasOf returns spec.replicas of a Deployment, defaulting a missing value to 1 like the API server. */
export function replicasOf(d: Deployment): number {
  return d.spec.replicas ?? 1;
}

/** maxSurge returns the resolved maxSurge of a RollingUpdate deployment, and 0 otherwise. */
export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec.strategy.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicasOf(d)).surge;
}

/**
 * maxUnavailable returns the resolved maxUnavailable of a RollingUpdate
 * deployment, capped at replicas; 0 for other strategies or 0 replicas.
 */
export function maxUnavailable(d: Deployment): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const ru = d.spec.strategy.rollingUpdate;
  const { unavailable } = resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicas);
  return Math.min(unavailable, replicas);
}

/** minAvailable returns replicas - maxUnavailable for RollingUpdate, and 0 otherwise. */
export function minAvailable(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  return replicasOf(d) - maxUnavailable(d);
}
