/**
 * slowStartBatches splits the pods a sync creates into batches of 1, 2, 4, ...
 * (upstream's slowStartBatch with an initial size of 1). A batch runs in
 * parallel and a failure ends the sync, so a quota or admission error costs
 * one write rather than hundreds, while a healthy scale-up of n pods takes
 * about log2(n) round trips instead of n.
 */
export function slowStartBatches<T>(items: readonly T[]): T[][] {
  const batches: T[][] = [];
  for (let i = 0, size = 1; i < items.length; i += size, size *= 2) batches.push(items.slice(i, i + size));
  return batches;
}
