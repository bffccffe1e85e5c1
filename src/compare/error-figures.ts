/**
 * How far a prediction is from a measurement, per job and direction: relative errors of
 * IOPS, bandwidth, mean and percentile latencies, and DiskSim's demerit figure: the
 * root-mean-square horizontal distance between the two latency CDFs, sampled at every
 * 0.0001 of cumulative probability (computed from json+ bins; from the percentile lists
 * when bins are missing), in µs and as a share of the measured mean. Pure.
 */
import type { DirectionResult } from '../results/types.js';
import { clatPercentileNs } from '../results/read.js';

export interface ErrorFigures {
  iops: number;
  bw: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  demeritUs: number;
  demeritPct: number;
}

export const FIGURES = ['iops', 'bw', 'mean', 'p50', 'p90', 'p99', 'p999', 'demeritPct'] as const;
export type Figure = (typeof FIGURES)[number];

/** Signed relative error of a prediction: (predicted - measured) / measured. */
export function relError(predicted: number, measured: number): number {
  if (measured === 0) return predicted === 0 ? 0 : Infinity;
  return (predicted - measured) / measured;
}

const pct = (d: DirectionResult, p: number): number => clatPercentileNs(d, p);

/** A quantile function from [value, count] bins (bins as fio reports them: values ascending). */
function quantiles(bins: [number, number][]): (p: number) => number {
  const total = bins.reduce((s, [, c]) => s + c, 0);
  const cum: number[] = [];
  let acc = 0;
  for (const [, c] of bins) cum.push((acc += c) / total);
  return (p) => {
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! >= p) hi = mid;
      else lo = mid + 1;
    }
    return bins[lo]![0];
  };
}

function binsOf(d: DirectionResult): [number, number][] | undefined {
  if (d.clat.bins && d.clat.bins.length > 0) return d.clat.bins;
  const ps = d.clat.percentiles;
  if (!ps || ps.length === 0) return undefined;
  // a step CDF through the percentile list: each percentile holds the mass up to it
  let prev = 0;
  return ps.map((p) => {
    const w = p.pct - prev;
    prev = p.pct;
    return [p.ns, w] as [number, number];
  });
}

export function demerit(predicted: DirectionResult, measured: DirectionResult): { us: number; pct: number } {
  const a = binsOf(predicted);
  const b = binsOf(measured);
  if (!a || !b) return { us: NaN, pct: NaN };
  const qa = quantiles(a);
  const qb = quantiles(b);
  let sum = 0;
  let n = 0;
  for (let i = 1; i < 10000; i++) {
    const p = i / 10000;
    const d = qa(p) - qb(p);
    sum += d * d;
    n++;
  }
  const us = Math.sqrt(sum / n) / 1e3;
  return { us, pct: measured.clat.meanNs > 0 ? (us * 1e3) / measured.clat.meanNs : NaN };
}

export function errorFigures(predicted: DirectionResult, measured: DirectionResult): ErrorFigures {
  const dm = demerit(predicted, measured);
  return {
    iops: relError(predicted.iops, measured.iops),
    bw: relError(predicted.bwBytesPerSec, measured.bwBytesPerSec),
    mean: relError(predicted.clat.meanNs, measured.clat.meanNs),
    p50: relError(pct(predicted, 50), pct(measured, 50)),
    p90: relError(pct(predicted, 90), pct(measured, 90)),
    p99: relError(pct(predicted, 99), pct(measured, 99)),
    p999: relError(pct(predicted, 99.9), pct(measured, 99.9)),
    demeritUs: dm.us,
    demeritPct: dm.pct,
  };
}

export type Tolerance = Partial<Record<Figure, number>>;

/** "iops=10%,p50=15%,p99=30%" → { iops: 0.1, p50: 0.15, p99: 0.3 }. */
export function parseTolerance(text: string): Tolerance | string {
  const out: Tolerance = {};
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z0-9.]+)\s*=\s*([0-9.]+)\s*(%?)$/i.exec(part);
    const key = m?.[1] === 'p99.9' ? 'p999' : m?.[1] === 'demerit' ? 'demeritPct' : m?.[1];
    if (!m || !(FIGURES as readonly string[]).includes(key ?? '')) return `expected FIGURE=N% with FIGURE one of ${FIGURES.join(', ').replace('p999', 'p99.9').replace('demeritPct', 'demerit')}, got ${JSON.stringify(part)}`;
    out[key as Figure] = Number(m[2]) / (m[3] ? 100 : 1);
  }
  return out;
}

export const DEFAULT_TOLERANCE: Tolerance = { iops: 0.1, p50: 0.15, p99: 0.3 };

/** Figures outside tolerance (absolute relative error above the bound). */
export function outside(e: ErrorFigures, tol: Tolerance): Figure[] {
  return (Object.keys(tol) as Figure[]).filter((k) => {
    const v = k === 'demeritPct' ? e.demeritPct : e[k];
    return !(Math.abs(v) <= tol[k]!);
  });
}
