import { describe, expect, it } from 'vitest';
import { demerit, errorFigures, outside, parseTolerance, relError } from '../../src/compare/error-figures.js';
import { FioHistogram, FIO_DEFAULT_PERCENTILES } from '../../src/stats/fio-histogram.js';
import { Rng } from '../../src/random/rng.js';
import type { DirectionResult } from '../../src/results/types.js';

function dirFrom(samples: number[]): DirectionResult {
  const h = new FioHistogram();
  samples.forEach((s) => h.add(s));
  const values = h.percentiles();
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const lat = { n: samples.length, minNs: Math.min(...samples), maxNs: Math.max(...samples), meanNs: mean, stddevNs: 0 };
  return {
    totalIos: samples.length, ioBytes: samples.length * 4096, runtimeMs: 1000, iops: samples.length, bwBytesPerSec: samples.length * 4096,
    slat: lat, lat, clat: { ...lat, percentiles: FIO_DEFAULT_PERCENTILES.map((pct, i) => ({ pct, ns: values[i]! })), bins: h.bins() },
  };
}

describe('error figures', () => {
  const rng = Rng.fromSeed(4);
  const base = Array.from({ length: 50_000 }, () => Math.round(50_000 - 20_000 * Math.log(1 - rng.next())));

  it('identical distributions: zero error and zero demerit', () => {
    const e = errorFigures(dirFrom(base), dirFrom(base));
    expect(e.iops).toBe(0);
    expect(e.p99).toBe(0);
    expect(e.demeritUs).toBe(0);
  });

  it('demerit of a distribution shifted by Δ is Δ (within the bucket error)', () => {
    const shifted = base.map((x) => x + 10_000);
    const d = demerit(dirFrom(shifted), dirFrom(base));
    expect(Math.abs(d.us - 10) / 10).toBeLessThan(0.05);
    expect(d.pct).toBeCloseTo(10_000 / (base.reduce((a, b) => a + b, 0) / base.length), 1);
  });

  it('relative errors are signed (predicted − measured) / measured', () => {
    expect(relError(110, 100)).toBeCloseTo(0.1);
    expect(relError(90, 100)).toBeCloseTo(-0.1);
  });

  it('tolerances parse, and figures beyond them are listed', () => {
    const t = parseTolerance('iops=10%,p99.9=40%,demerit=15%');
    expect(t).toEqual({ iops: 0.1, p999: 0.4, demeritPct: 0.15 });
    expect(typeof parseTolerance('speed=10%')).toBe('string');
    const e = errorFigures(dirFrom(base.map((x) => x * 1.5)), dirFrom(base));
    expect(outside(e, { iops: 0.1, p50: 0.2 })).toEqual(['p50']);
  });
});
