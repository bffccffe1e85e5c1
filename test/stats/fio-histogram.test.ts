/**
 * The histogram against fio's own C code, re-stated here with BigInt exactly as
 * fio/stat.c writes plat_val_to_idx and plat_idx_to_val, and against exact percentiles.
 */
import { describe, expect, it } from 'vitest';
import { FioHistogram, PLAT_NR, bucketIndex, bucketValue, bucketLow } from '../../src/stats/fio-histogram.js';
import { Rng } from '../../src/random/rng.js';
import { Welford } from '../../src/stats/welford.js';

function fioValToIdx(val: bigint): number {
  const msb = val === 0n ? 0 : val.toString(2).length - 1;
  if (msb <= 6) return Number(val);
  const errorBits = msb - 6;
  const base = (errorBits + 1) << 6;
  const offset = Number((val >> BigInt(errorBits)) & 63n);
  return Math.min(base + offset, PLAT_NR - 1);
}

function fioIdxToVal(idx: number): number {
  if (idx < 128) return idx;
  const errorBits = (idx >> 6) - 1;
  const base = 2n ** BigInt(errorBits + 6);
  const k = idx % 64;
  return Number(base) + Math.floor((k + 0.5) * 2 ** errorBits);
}

describe('fio bucket layout', () => {
  it('matches fio for small, boundary and random values up to hours', () => {
    const rng = Rng.fromSeed(8);
    const values = [0, 1, 63, 64, 127, 128, 129, 255, 256, 1000, 4095, 4096, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 12345];
    for (let i = 0; i < 20000; i++) values.push(Math.floor(Math.exp(rng.next() * 30)));
    for (const v of values) expect(bucketIndex(v), `value ${v}`).toBe(fioValToIdx(BigInt(v)));
  });

  it('reports bucket midpoints as fio does, and buckets are ordered and contiguous', () => {
    for (let i = 0; i < PLAT_NR - 1; i++) {
      expect(bucketValue(i)).toBe(fioIdxToVal(i));
      expect(bucketIndex(bucketLow(i))).toBe(i);
      expect(bucketLow(i + 1)).toBeGreaterThan(bucketLow(i));
    }
  });
});

describe('percentiles from the histogram', () => {
  it('agree with exact percentiles of the same samples within the bucket error (1/128)', () => {
    const rng = Rng.fromSeed(12);
    const h = new FioHistogram();
    const samples: number[] = [];
    for (let i = 0; i < 200_000; i++) {
      const v = Math.round(Math.exp(11 + 0.8 * (rng.next() + rng.next() + rng.next() - 1.5)) + 50_000 * -Math.log(1 - rng.next()));
      samples.push(v);
      h.add(v);
    }
    samples.sort((a, b) => a - b);
    const list = [1, 10, 50, 90, 99, 99.9, 99.99];
    const got = h.percentiles(list);
    list.forEach((pct, i) => {
      const exact = samples[Math.ceil((pct / 100) * samples.length) - 1]!;
      expect(Math.abs(got[i]! - exact) / exact, `p${pct}`).toBeLessThan(1 / 128 + 1e-9);
    });
  });

  it('merging histograms equals adding all samples to one', () => {
    const a = new FioHistogram();
    const b = new FioHistogram();
    const all = new FioHistogram();
    const rng = Rng.fromSeed(3);
    for (let i = 0; i < 1000; i++) {
      const v = Math.floor(rng.next() * 1e6);
      (i % 2 ? a : b).add(v);
      all.add(v);
    }
    a.merge(b);
    expect(a.bins()).toEqual(all.bins());
    expect(a.percentiles()).toEqual(all.percentiles());
  });
});

describe('Welford', () => {
  it('matches two-pass mean and sample stddev, and merges exactly', () => {
    const rng = Rng.fromSeed(6);
    const xs = Array.from({ length: 10001 }, () => 1e6 + rng.next() * 1000);
    const w = new Welford();
    const w1 = new Welford();
    const w2 = new Welford();
    xs.forEach((x, i) => {
      w.add(x);
      (i < 4000 ? w1 : w2).add(x);
    });
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
    expect(w.mean).toBeCloseTo(mean, 6);
    expect(w.stddev).toBeCloseTo(sd, 6);
    w1.merge(w2);
    expect(w1.mean).toBeCloseTo(mean, 6);
    expect(w1.stddev).toBeCloseTo(sd, 6);
    expect(w1.min).toBe(Math.min(...xs));
    expect(w1.max).toBe(Math.max(...xs));
  });
});
