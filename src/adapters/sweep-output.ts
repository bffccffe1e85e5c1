/**
 * The files of a sweep (sweep.csv, the chart, report.html) from its points' results in
 * grid order. One function for a local sweep, a merge of shards and a queued sweep, so
 * all three write the same bytes.
 */
import { stringify } from 'csv-stringify/sync';
import type { Vary } from '../sweep/grid.js';
import type { PointResult } from '../sweep/evaluate.js';
import { hockeyStick, type LoadPoint } from '../report/charts.js';
import { escapeHtml } from '../report/html.js';
import { VERSION } from '../version.js';
import { reportFiles } from './results-folder.js';

export interface SweepMeta {
  scenario: { name: string; seed: number; durationUs: number };
  varies: Vary[];
  /** p99 bound drawn on the chart, µs. */
  sloUs?: number;
}

function sweepCsv(varies: Vary[], results: PointResult[]): string {
  const header = ['point', ...varies.map((v) => v.text), 'repetition', 'seed', 'job', 'direction', 'iops', 'mean_us', 'p50_us', 'p99_us', 'p99_9_us', 'max_utilization', 'binding_constraint', 'error'];
  const f = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '');
  const rows = results.flatMap((r) => {
    const base = [String(r.point.index), ...varies.map((v) => String(r.point.values[v.text])), String(r.point.repetition), String(r.point.seed)];
    if (r.error) return [[...base, '', '', '', '', '', '', '', '', '', r.error]];
    const binding = r.binding ? `${r.binding.where} ${r.binding.resource}` : '';
    return r.rows.map((x) => [...base, x.job, x.direction, f(x.iops), f(x.meanUs), f(x.p50Us), f(x.p99Us), f(x.p999Us), f(r.maxUtilization), binding, '']);
  });
  return stringify([header, ...rows]);
}

/**
 * One point per container job and direction at each value: replicas fold together (IOPS
 * averaged per replica, p99 the worst replica's), so the number of series does not grow
 * with a swept replica count.
 */
function chartPoints(results: PointResult[], first: Vary): LoadPoint[] {
  const groups = new Map<string, { load: number; series: string; iops: number[]; p99: number[] }>();
  for (const r of results) {
    const load = Number(r.point.values[first.text]);
    for (const x of r.rows) {
      const parts = x.job.split('.');
      const series = `${parts.length === 3 ? `${parts[0]}.${parts[2]}` : x.job} ${x.direction}`;
      const key = `${load}|${series}`;
      const g = groups.get(key) ?? { load, series, iops: [], p99: [] };
      g.iops.push(x.iops);
      g.p99.push(x.p99Us);
      groups.set(key, g);
    }
  }
  return [...groups.values()].map((g) => ({ series: g.series, load: g.load, source: 'simulated' as const, iops: g.iops.reduce((a, b) => a + b, 0) / g.iops.length, p99Us: Math.max(...g.p99) }));
}

export async function sweepFiles(meta: SweepMeta, results: PointResult[]): Promise<Record<string, string>> {
  const first = meta.varies[0]!;
  const loadPoints = chartPoints(results, first);
  const charts = first.values.every((v) => typeof v === 'number' && v > 0) ? [{ ...hockeyStick(loadPoints.filter((_, i) => i < 2000), first.text, meta.sloUs), id: 'sweep' }] : [];
  const csv = sweepCsv(meta.varies, results);
  const summary = results.map((r) => `${Object.entries(r.point.values).map(([k, v]) => `${k}=${v}`).join(' ')} r${r.point.repetition}: ${r.error ? `invalid: ${r.error}` : r.rows.map((x) => `${x.job} ${x.direction} ${x.iops.toFixed(0)} IOPS p99 ${x.p99Us.toFixed(0)} µs`).slice(0, 4).join('; ')}`);
  const { name, seed, durationUs } = meta.scenario;
  const report = await reportFiles(`blocksim sweep: ${name}`, { source: 'simulated', version: `blocksim-${VERSION}`, scenario: name, seed, durationUs, globalOptions: {}, jobs: [], devices: [] }, charts, ['sweep.csv'], undefined, [['Points', summary.length > 25 ? `<details><summary>All ${summary.length} points</summary><pre>${escapeHtml(summary.join('\n'))}</pre></details>` : `<pre>${escapeHtml(summary.join('\n'))}</pre>`]]);
  return { 'sweep.csv': csv, ...report };
}
