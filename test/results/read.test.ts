import { describe, expect, it } from 'vitest';
import { mean, sampleStandardDeviation } from 'simple-statistics';
import { clatPercentileNs, lowMedian, poolLatency } from '../../src/results/read.js';
import type { DirectionResult, LatencyStats } from '../../src/results/types.js';

const stats = (xs: number[]): LatencyStats => ({ n: xs.length, minNs: Math.min(...xs), maxNs: Math.max(...xs), meanNs: mean(xs), stddevNs: xs.length > 1 ? sampleStandardDeviation(xs) : 0 });
const dir = (clat: LatencyStats): DirectionResult => ({ totalIos: clat.n, ioBytes: 0, runtimeMs: 1, iops: clat.n, bwBytesPerSec: 0, slat: clat, clat, lat: clat });

describe('reading results', () => {
  it('a clat percentile, and what stands in when the run kept none', () => {
    const kept = dir({ ...stats([100, 200, 900]), percentiles: [{ pct: 50, ns: 200 }, { pct: 99, ns: 880 }, { pct: 99.9, ns: 899 }] });
    expect(clatPercentileNs(kept, 99)).toBe(880);
    expect(clatPercentileNs(kept, 99.9, 'max')).toBe(899);
    const none = dir(stats([100, 200, 900]));
    expect(clatPercentileNs(none, 99)).toBeNaN();
    expect(clatPercentileNs(none, 99, 'mean')).toBe(400);
    expect(clatPercentileNs(none, 99, 'max')).toBe(900);
    expect(clatPercentileNs(kept, 90)).toBeNaN();
  });

  it('the lower median is an observed value', () => {
    expect(lowMedian([4, 1, 3, 2])).toBe(2);
    expect(lowMedian([5, 9, 1])).toBe(5);
    expect(lowMedian([])).toBeNaN();
  });

  it('pooled latency figures are those of all the samples together', () => {
    const a = [10, 12, 15, 30];
    const b = [100, 90];
    const c = [55];
    const pooled = poolLatency([stats(a), stats(b), stats(c)]);
    const all = stats([...a, ...b, ...c]);
    expect(pooled.n).toBe(all.n);
    expect(pooled.minNs).toBe(10);
    expect(pooled.maxNs).toBe(100);
    expect(pooled.meanNs).toBeCloseTo(all.meanNs, 9);
    expect(pooled.stddevNs).toBeCloseTo(all.stddevNs, 9);
    const empty = { n: 0, minNs: 0, maxNs: 0, meanNs: 0, stddevNs: 0 };
    expect(poolLatency([empty, stats([7, 9])]).minNs).toBe(7);
  });

});
