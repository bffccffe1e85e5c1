/** The chunk table behaves as a Map from whole numbers below 2^53 to epochs. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ChunkTable } from '../../src/model/chunk-table.js';

describe('ChunkTable', () => {
  it('agrees with a Map over random sets and gets, through growth, for keys up to 2^53', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.maxSafeNat()), fc.integer({ min: 1, max: 2 ** 32 - 1 })), { maxLength: 3000 }),
        (ops) => {
          const t = new ChunkTable(4);
          const m = new Map<number, number>();
          for (const [k, v] of ops) {
            t.set(k, v);
            m.set(k, v);
          }
          expect(t.size).toBe(m.size);
          for (const [k, v] of m) expect(t.get(k)).toBe(v);
          for (const [k] of ops) expect(t.has(k + 0.5 > 2 ** 53 ? k : k + 1)).toBe(m.has(k + 0.5 > 2 ** 53 ? k : k + 1));
          expect(t.get(2 ** 53 - 7) === (m.get(2 ** 53 - 7) ?? 0)).toBe(true);
        },
      ),
      { numRuns: 100, seed: 7 },
    );
  });
});
