/**
 * The sampled working set and LRU hit-ratio curve against the exact ones (the same
 * tracker with a budget above the trace's distinct blocks), on Zipf and uniform block
 * streams of 10^6 references over 2·10^5 to 10^6 blocks: the measured errors of the
 * default budget (2^14 blocks) are printed and bounded here.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/random/rng.js';
import { ZipfSampler } from '../../src/random/distributions.js';
import { ReuseTracker } from '../../src/trace/reuse.js';
import { DistinctSampler } from '../../src/trace/distinct.js';

const REFS = 1_000_000;

function stream(kind: 'zipf' | 'uniform', blocks: number, seed: number): Float64Array {
  const rng = Rng.fromSeed(seed);
  const zipf = new ZipfSampler(blocks, 0.9);
  const out = new Float64Array(REFS);
  for (let i = 0; i < REFS; i++) {
    const rank = kind === 'zipf' ? zipf.sample(rng) - 1 : Math.floor(rng.next() * blocks);
    out[i] = (rank * 2654435761) % blocks; // scatter ranks over the blocks
  }
  return out;
}

function run(refs: Float64Array, maxSampled: number): ReuseTracker {
  const t = new ReuseTracker(maxSampled);
  for (let i = 0; i < refs.length; i++) t.accessRange(0, refs[i]!, refs[i]!, i % 3 === 0);
  return t;
}

describe('sampled reuse against exact', () => {
  for (const [kind, blocks] of [['zipf', 200_000], ['uniform', 1_000_000]] as const) {
    it(`${kind} over ${blocks} blocks: working set within 3.5 %, hit ratios within 0.02 from 4 / rate blocks`, () => {
      const refs = stream(kind, blocks, 5);
      const exact = run(refs, 1 << 21);
      const sampled = run(refs, 1 << 14);
      expect(exact.samplingRate).toBe(1);
      expect(sampled.samplingRate).toBeLessThan(1 / 8);
      const wsError = sampled.distinct().blocks / exact.distinct().blocks - 1;
      let worst = 0;
      for (let c = 4 / sampled.samplingRate; c <= 2 * blocks; c *= 2) worst = Math.max(worst, Math.abs(sampled.hitRatio(c) - exact.hitRatio(c)));
      console.log(`${kind}: sampling rate ${sampled.samplingRate}, working set error ${(wsError * 100).toFixed(2)} %, largest hit-ratio error ${worst.toFixed(4)}`);
      expect(Math.abs(wsError)).toBeLessThan(0.035); // 3 standard errors with at least 2^13 blocks tracked
      expect(worst).toBeLessThan(0.02);
      expect(Math.abs(sampled.reReferenceFraction() - exact.reReferenceFraction())).toBeLessThan(0.02);
    });
  }

  it('hit ratio of an LRU cache is exact on a cyclic scan (every distance is the loop length)', () => {
    const t = new ReuseTracker(1 << 10);
    for (let pass = 0; pass < 10; pass++) for (let b = 0; b < 50; b++) t.access(0, b, 'read');
    expect(t.hitRatio(49)).toBe(0); // a cache one block short of the loop never hits
    expect(t.hitRatio(50)).toBe(0.9);
  });
});

describe('DistinctSampler', () => {
  it('is exact under its budget and within 3 % above it', () => {
    const small = new DistinctSampler(5000);
    for (let i = 0; i < 9000; i++) small.add(i % 3, i % 1000); // 3000 distinct (file, key) pairs
    expect(small.exact).toBe(true);
    expect(small.estimate()).toBe(3000);
    const big = new DistinctSampler(1 << 14);
    for (let i = 0; i < 300_000; i++) big.add(0, i * 4096);
    expect(big.exact).toBe(false);
    expect(Math.abs(big.estimate() / 300_000 - 1)).toBeLessThan(0.03);
  });
});

describe('multi-block references', () => {
  it('give the same distances whether a range is referenced at once or block by block', () => {
    for (const budget of [1 << 12, 1 << 9]) {
      const rng = Rng.fromSeed(9);
      const ranged = new ReuseTracker(budget);
      const single = new ReuseTracker(budget);
      for (let i = 0; i < 100_000; i++) {
        const first = Math.floor(rng.next() * 3000);
        const len = 1 + Math.floor(rng.next() * 16);
        ranged.accessRange(0, first, first + len - 1, false);
        for (let b = first; b < first + len; b++) single.accessRange(0, b, b, false); // no run shortcut across calls
      }
      expect(ranged.samplingRate).toBe(budget === 1 << 12 ? 1 : single.samplingRate);
      expect([...ranged.distances]).toEqual([...single.distances]);
      expect(ranged.cold).toBe(single.cold);
    }
  });
});
