/**
 * IntOrString (k8s.io/apimachinery/pkg/util/intstr): a JSON number or string.
 * Used by maxSurge/maxUnavailable and probe/lifecycle ports.
 */
import { z } from 'zod';
import { withGoType } from './go-types.js';

export const IntOrStringSchema = withGoType(z.union([z.number().int(), z.string()]), { type: 'intstr.IntOrString' });
export type IntOrString = z.infer<typeof IntOrStringSchema>;

const percentRe = /^[0-9]+%$/;

/** isValidPercent reports whether s is a `<digits>%` string. */
export function isValidPercent(s: string): boolean {
  return percentRe.test(s);
}

/** percentMessage is upstream's IsValidPercent message (the double space is upstream's). */
export const percentMessage =
  "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/**
 * intOrPercentValue returns the number a value stands for in validation: the
 * percentage of a valid percent string, the int itself, and for any other
 * string what Go's strconv.Atoi makes of it (0 when it is not a number).
 */
export function intOrPercentValue(v: IntOrString | undefined): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  if (isValidPercent(v)) return Number.parseInt(v.slice(0, -1), 10);
  return /^[+-]?[0-9]+$/.test(v) ? Number.parseInt(v, 10) : 0;
}
