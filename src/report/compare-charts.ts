/** The charts of a comparison: per-job bars, CDF overlays, and IOPS/p99 against depth. */
import type { ComparisonRow } from '../compare/compare.js';
import type { Tolerance } from '../compare/error-figures.js';
import type { DirectionResult, Results } from '../results/types.js';
import { compareCdf, compareChart, hockeyStick, type ChartSpec, type CompareChartRow, type LoadPoint } from './charts.js';

export interface ComparePair {
  job: string;
  options: Record<string, string>;
  measured: DirectionResult;
  predicted: DirectionResult;
}

export function collectPairs(into: ComparePair[], measured: Results, predicted: Results, nameOf: (n: string) => string): void {
  for (const m of measured.jobs) {
    const p = predicted.jobs.find((j) => j.name === nameOf(m.name));
    if (!p) continue;
    for (const dir of ['read', 'write'] as const) {
      if (m[dir].totalIos > 0) into.push({ job: `${m.name} ${dir}`, options: { ...measured.globalOptions, ...m.options, direction: dir }, measured: m[dir], predicted: p[dir] });
    }
  }
}

const p = (d: DirectionResult, pct: number): number => (d.clat.percentiles?.find((x) => x.pct === pct)?.ns ?? NaN) / 1e3;

export function compareCharts(rows: ComparisonRow[], pairs: ComparePair[], tol: Tolerance): ChartSpec[] {
  const bars: CompareChartRow[] = rows.flatMap((r) => {
    const pair = pairs.find((x) => x.job === `${r.job} ${r.direction}`);
    if (!pair) return [];
    const label = `${r.job} ${r.direction}`;
    return [
      { job: label, figure: 'IOPS' as const, measured: r.measuredIops, predicted: r.predictedIops, error: r.errors.iops, ...(tol.iops !== undefined ? { tolerance: tol.iops } : {}) },
      { job: label, figure: 'p50 (µs)' as const, measured: p(pair.measured, 50), predicted: p(pair.predicted, 50), error: r.errors.p50, ...(tol.p50 !== undefined ? { tolerance: tol.p50 } : {}) },
      { job: label, figure: 'p99 (µs)' as const, measured: p(pair.measured, 99), predicted: p(pair.predicted, 99), error: r.errors.p99, ...(tol.p99 !== undefined ? { tolerance: tol.p99 } : {}) },
    ];
  });
  const charts = [compareChart(bars), compareCdf(pairs.slice(0, 6))];
  const points: LoadPoint[] = pairs.flatMap((x) => {
    const depth = Number(x.options.iodepth ?? 1) * Number(x.options.numjobs ?? 1);
    const series = `${x.options.rw ?? x.options.readwrite ?? 'read'} ${x.options.bs ?? x.options.blocksize ?? '4k'} ${x.options.direction}`;
    return [
      { series, load: depth, source: 'measured' as const, iops: x.measured.iops, p99Us: p(x.measured, 99) },
      { series, load: depth, source: 'predicted' as const, iops: x.predicted.iops, p99Us: p(x.predicted, 99) },
    ];
  });
  const bySeries = new Map<string, Set<number>>();
  for (const pt of points) bySeries.set(pt.series, (bySeries.get(pt.series) ?? new Set()).add(pt.load));
  const multi = points.filter((pt) => (bySeries.get(pt.series)?.size ?? 0) > 1);
  if (multi.length > 0) charts.push(hockeyStick(multi, 'queue depth × jobs (log scale)'));
  return charts;
}

/** The measured runs as one Results, for the report's summary table. */
export function summaryResults(all: Results[]): Results {
  return { source: 'measured', version: all[0]?.version ?? 'fio', globalOptions: {}, jobs: all.flatMap((r) => r.jobs.filter((j) => j.name !== 'All clients')), devices: [] };
}
