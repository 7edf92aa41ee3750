/**
 * Kubernetes timestamps: RFC 3339 in UTC at whole-second precision
 * (`2026-11-26T09:00:00Z`), like metav1.Time on the wire.
 */

/** formatTime renders epoch ms as an RFC 3339 string without fractional seconds. */
export function formatTime(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** parseTime returns epoch ms for an RFC 3339 string, or undefined when missing or unparseable (a "zero" time). */
export function parseTime(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
