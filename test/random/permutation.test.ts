/** The seeded permutation is a bijection of [0, n), for any n, in O(1) memory. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Permutation } from '../../src/random/permutation.js';
import { Rng } from '../../src/random/rng.js';

describe('Permutation', () => {
  it('maps [0, n) onto [0, n) one to one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 0, max: 1000 }), (n, seed) => {
        const p = new Permutation(n, Rng.fromSeed(seed));
        const seen = new Uint8Array(n);
        for (let i = 0; i < n; i++) {
          const v = p.at(i);
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThan(n);
          expect(seen[v]).toBe(0);
          seen[v] = 1;
        }
      }),
      { numRuns: 200, seed: 3 },
    );
  });

  it('handles spans of 2^44 blocks (a 64 PiB volume in 4 KiB blocks) and looks uniform', () => {
    const n = 2 ** 44;
    const p = new Permutation(n, Rng.fromSeed(9));
    const buckets = new Array<number>(16).fill(0);
    for (let i = 0; i < 16_000; i++) buckets[Math.floor(p.at(i) / 2 ** 40)]!++;
    for (const b of buckets) expect(Math.abs(b - 1000)).toBeLessThan(150); // ±4.7 σ of a binomial(16000, 1/16)
  });
});
