/**
 * Reading figures out of results, in one place: a direction's clat percentile (and what
 * stands in when a run kept none), the lower median of repetitions, and pooling the
 * latency figures of several runs or jobs. Pairing measured with predicted jobs is
 * compare/pairing.ts. Pure.
 */
import type { DirectionResult, LatencyStats } from './types.js';

/**
 * What stands in for a percentile a run did not keep: NaN (a figure left blank), the
 * mean (a fit that needs a number near the body), or the maximum (a chart's bound).
 */
export type WhenAbsent = 'nan' | 'mean' | 'max';

/** A clat percentile of a direction in ns (pct as fio keys it: 50, 99, 99.9). */
export function clatPercentileNs(d: DirectionResult, pct: number, absent: WhenAbsent = 'nan'): number {
  const p = d.clat.percentiles?.find((x) => Math.abs(x.pct - pct) < 1e-9);
  if (p) return p.ns;
  return absent === 'mean' ? d.clat.meanNs : absent === 'max' ? d.clat.maxNs : NaN;
}

/** The lower of the two middle values (an observed value, never an average of two); NaN when empty. */
export function lowMedian(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** Latency figures of several runs or jobs as one: counts added, means weighted, variances pooled around the new mean. */
export function poolLatency(ls: readonly LatencyStats[]): LatencyStats {
  const n = ls.reduce((s, l) => s + l.n, 0);
  if (n === 0) return { ...ls[0]! };
  const m = ls.reduce((s, l) => s + l.meanNs * l.n, 0) / n;
  const ss = ls.reduce((s, l) => s + l.stddevNs ** 2 * Math.max(0, l.n - 1) + l.n * (l.meanNs - m) ** 2, 0);
  const present = ls.filter((l) => l.n > 0);
  return { n, minNs: Math.min(...present.map((l) => l.minNs)), maxNs: Math.max(...ls.map((l) => l.maxNs)), meanNs: m, stddevNs: n > 1 ? Math.sqrt(ss / (n - 1)) : 0 };
}

