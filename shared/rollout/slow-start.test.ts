import { describe, expect, it } from 'vitest';
import { slowStartBatches } from './slow-start.js';

describe('slowStartBatches', () => {
  const cases: Array<{ n: number; sizes: number[] }> = [
    { n: 0, sizes: [] },
    { n: 1, sizes: [1] },
    { n: 2, sizes: [1, 1] },
    { n: 3, sizes: [1, 2] },
    { n: 4, sizes: [1, 2, 1] },
    { n: 7, sizes: [1, 2, 4] },
    { n: 10, sizes: [1, 2, 4, 3] },
    { n: 500, sizes: [1, 2, 4, 8, 16, 32, 64, 128, 245] },
  ];
  it.each(cases)('splits $n items into batches $sizes', ({ n, sizes }) => {
    const items = Array.from({ length: n }, (_, i) => i);
    const batches = slowStartBatches(items);
    expect(batches.map((b) => b.length)).toEqual(sizes);
    expect(batches.flat()).toEqual(items);
  });
});
