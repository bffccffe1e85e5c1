/**
 * Service-level objectives for capacity searches: `p99<=2ms`, `p50<=500us`,
 * `mean<=1ms`, `p99.9<=10ms` (completion latency of the worst job considered) and
 * `util<=0.8` (the busiest resource: device slots, a device's bandwidth, or any cap). Pure.
 */
import { parseDuration } from '../scenario/units.js';
import type { PointResult, PointRow } from './evaluate.js';

export type SloMetric = 'mean' | 'p50' | 'p99' | 'p99.9' | 'util';

export interface Slo {
  text: string;
  metric: SloMetric;
  /** µs for latency, 0..1 for util. */
  bound: number;
}

export function parseSlo(text: string): Slo | string {
  const m = /^\s*(mean|p50|p99|p99\.9|util)\s*<=\s*(.+?)\s*$/.exec(text);
  if (!m) return `expected METRIC<=VALUE with METRIC one of mean, p50, p99, p99.9, util (e.g. 'p99<=2ms', 'util<=0.8'), got ${JSON.stringify(text)}`;
  const metric = m[1] as SloMetric;
  if (metric === 'util') {
    const v = m[2]!.endsWith('%') ? Number(m[2]!.slice(0, -1)) / 100 : Number(m[2]);
    return v > 0 && v <= 1 ? { text, metric, bound: v } : `util bound must be in (0, 1] or a percentage, got ${JSON.stringify(m[2])}`;
  }
  const d = parseDuration(m[2]);
  return d.ok && d.value > 0 ? { text, metric, bound: d.value } : `expected a time like 2ms in ${JSON.stringify(text)}`;
}

/** Several SLOs; the first bad one is returned as its message. */
export function parseSlos(texts: string[]): Slo[] | string {
  const out: Slo[] = [];
  for (const t of texts) {
    const s = parseSlo(t);
    if (typeof s === 'string') return s;
    out.push(s);
  }
  return out;
}

const field = (r: PointRow, m: Exclude<SloMetric, 'util'>): number => (m === 'mean' ? r.meanUs : m === 'p50' ? r.p50Us : m === 'p99' ? r.p99Us : r.p999Us);

/** The observed value of an SLO's metric at a point (worst matching job, or busiest resource). */
export function observed(slo: Slo, result: PointResult, jobMatches: (job: string) => boolean): number {
  if (slo.metric === 'util') return result.maxUtilization;
  const values = result.rows.filter((r) => jobMatches(r.job)).map((r) => field(r, slo.metric as Exclude<SloMetric, 'util'>));
  return values.length === 0 ? NaN : Math.max(...values);
}

export function meets(slos: Slo[], result: PointResult, jobMatches: (job: string) => boolean): boolean {
  if (result.error) return false;
  return slos.every((s) => observed(s, result, jobMatches) <= s.bound);
}
