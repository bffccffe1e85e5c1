import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/random/rng.js';
import { exponential, normalQuantile, ZipfSampler } from '../../src/random/distributions.js';

describe('Rng', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = Rng.fromSeed(42);
    const b = Rng.fromSeed(42);
    const c = Rng.fromSeed(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
  });

  it('forks depend on the name, not on how much the parent drew', () => {
    const p1 = Rng.fromSeed(7);
    const p2 = Rng.fromSeed(7);
    for (let i = 0; i < 100; i++) p2.next();
    expect(p1.fork('offsets').next()).toBe(p2.fork('offsets').next());
    expect(p1.fork('offsets').next()).not.toBe(p1.fork('sizes').next());
  });

  it('is uniform: chi-square over 100 cells below the 0.999 quantile', () => {
    const r = Rng.fromSeed(1);
    const cells = new Array(100).fill(0);
    const n = 1_000_000;
    for (let i = 0; i < n; i++) cells[Math.floor(r.next() * 100)]++;
    const e = n / 100;
    const chi2 = cells.reduce((s, o) => s + ((o - e) * (o - e)) / e, 0);
    expect(chi2).toBeLessThan(148.2); // chi-square(99) 0.999 quantile
  });

  it('forked streams are uncorrelated', () => {
    const root = Rng.fromSeed(5);
    const a = root.fork('a');
    const b = root.fork('b');
    const n = 200_000;
    let sab = 0;
    for (let i = 0; i < n; i++) sab += (a.next() - 0.5) * (b.next() - 0.5);
    const corr = sab / n / (1 / 12);
    expect(Math.abs(corr)).toBeLessThan(4 / Math.sqrt(n)); // 4 standard errors
  });
});

describe('distributions', () => {
  it('exponential has the requested mean', () => {
    const r = Rng.fromSeed(2);
    let s = 0;
    const n = 500_000;
    for (let i = 0; i < n; i++) s += exponential(r, 100);
    expect(Math.abs(s / n - 100)).toBeLessThan(100 * (4 / Math.sqrt(n)));
  });

  it('normal quantile matches known values', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 8);
    expect(normalQuantile(0.99)).toBeCloseTo(2.326347874, 7);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963985, 7);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306, 7);
  });

  it('zipf ranks follow 1/k^θ', () => {
    const r = Rng.fromSeed(4);
    const n = 1000;
    const theta = 1.2;
    const z = new ZipfSampler(n, theta);
    const counts = new Array(n + 1).fill(0);
    const draws = 400_000;
    for (let i = 0; i < draws; i++) counts[z.sample(r)]++;
    let h = 0;
    for (let k = 1; k <= n; k++) h += 1 / k ** theta;
    for (const k of [1, 2, 5, 10]) {
      const expected = draws / k ** theta / h;
      expect(Math.abs(counts[k] - expected)).toBeLessThan(4 * Math.sqrt(expected));
    }
  });
});
