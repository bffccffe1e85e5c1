/**
 * Regression check between two sets of results (fio or simulated): per job and
 * direction, lower IOPS or higher latency beyond tolerance is a regression, the opposite
 * an improvement. With several repetitions on the baseline side, a change must also
 * exceed the baseline's own spread (max − min over the median) to count. Pure.
 */
import { median } from 'simple-statistics';
import type { DirectionResult, Results } from '../results/types.js';
import { formatChange, formatIops, formatLatencyNs } from '../util/format.js';
import { clatPercentileNs } from '../results/read.js';

export interface RegressTolerance {
  iops: number;
  p50: number;
  p99: number;
}

export const DEFAULT_REGRESS_TOLERANCE: RegressTolerance = { iops: 0.1, p50: 0.15, p99: 0.3 };

export type Verdict = 'regression' | 'improvement' | 'unchanged';

export interface RegressRow {
  job: string;
  direction: 'read' | 'write';
  metric: 'iops' | 'p50' | 'p99';
  baseline: number;
  current: number;
  change: number;
  /** Relative spread of the baseline repetitions (0 with one). */
  spread: number;
  verdict: Verdict;
}

function metric(d: DirectionResult, m: 'iops' | 'p50' | 'p99'): number {
  if (m === 'iops') return d.iops;
  return clatPercentileNs(d, m === 'p50' ? 50 : 99);
}

export function regress(baseline: Results[], current: Results[], tol: RegressTolerance): RegressRow[] {
  const rows: RegressRow[] = [];
  const names = new Set(baseline.flatMap((b) => b.jobs.map((j) => j.name)));
  for (const name of [...names].sort()) {
    for (const direction of ['read', 'write'] as const) {
      const base = baseline.flatMap((b) => b.jobs.filter((j) => j.name === name && j[direction].totalIos > 0).map((j) => j[direction]));
      const cur = current.flatMap((c) => c.jobs.filter((j) => j.name === name && j[direction].totalIos > 0).map((j) => j[direction]));
      if (base.length === 0 || cur.length === 0) continue;
      for (const m of ['iops', 'p50', 'p99'] as const) {
        const bv = base.map((d) => metric(d, m)).filter(Number.isFinite);
        const cv = cur.map((d) => metric(d, m)).filter(Number.isFinite);
        if (bv.length === 0 || cv.length === 0) continue;
        const b = median(bv);
        const c = median(cv);
        const change = (c - b) / b;
        const spread = bv.length > 1 ? (Math.max(...bv) - Math.min(...bv)) / b : 0;
        const worse = m === 'iops' ? -change : change;
        const beyond = Math.abs(change) > tol[m] && Math.abs(change) > spread;
        rows.push({ job: name, direction, metric: m, baseline: b, current: c, change, spread, verdict: !beyond ? 'unchanged' : worse > 0 ? 'regression' : 'improvement' });
      }
    }
  }
  return rows;
}

/** A figure with its unit: IOPS, or a latency in ns/µs/ms/s. */
export function formatFigure(metric: RegressRow['metric'], value: number): string {
  return metric === 'iops' ? `${formatIops(value)} IOPS` : formatLatencyNs(value);
}

/** "p99 236 µs -> 378 µs (+60.0 %, baseline spread 4.0 %)" */
export function describeChange(r: RegressRow): string {
  const spread = r.spread > 0 ? `, baseline spread ${formatChange(r.spread).replace('+', '')}` : '';
  return `${r.metric}: ${formatFigure(r.metric, r.baseline)} -> ${formatFigure(r.metric, r.current)} (${formatChange(r.change)}${spread})`;
}

const esc = (s: string): string => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/** JUnit XML: one test case per job and direction; a regression is a failure. */
export function junitXml(rows: RegressRow[]): string {
  const cases = new Map<string, RegressRow[]>();
  for (const r of rows) cases.set(`${r.job} ${r.direction}`, [...(cases.get(`${r.job} ${r.direction}`) ?? []), r]);
  const failures = [...cases.values()].filter((rs) => rs.some((r) => r.verdict === 'regression')).length;
  const body = [...cases.entries()].map(([name, rs]) => {
    const bad = rs.filter((r) => r.verdict === 'regression');
    const text = rs.map((r) => `${describeChange(r)}, ${r.verdict}`).join('\n');
    const fail = bad.length > 0 ? `\n    <failure message="${esc(bad.map((r) => `${r.metric} ${formatChange(r.change)}`).join(', '))}">${esc(text)}</failure>` : '';
    return `  <testcase classname="blocksim.regress" name="${esc(name)}">${fail}\n    <system-out>${esc(text)}</system-out>\n  </testcase>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="blocksim regress" tests="${cases.size}" failures="${failures}">\n${body.join('\n')}\n</testsuite>\n`;
}
