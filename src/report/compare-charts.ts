/** The charts of a comparison: per-job bars, CDF overlays, and IOPS/p99 against depth. */
import type { ComparisonRow } from '../compare/compare.js';
import type { Tolerance } from '../compare/error-figures.js';
import { groupSource, pooledDirection, type PairGroup } from '../compare/pairing.js';
import type { DirectionResult, JobResult, Results } from '../results/types.js';
import { clatPercentileNs } from '../results/read.js';
import { compareCdf, compareChart, hockeyStick, type ChartSpec, type CompareChartRow, type LoadPoint } from './charts.js';

export interface ComparePair {
  job: string;
  options: Record<string, string>;
  /** I/Os in flight the job asked for: iodepth × numjobs of the workload that ran (1 per thread with a sync engine). */
  depth: number;
  measured: DirectionResult;
  predicted: DirectionResult;
}

/** A row's name in the charts: its run and job (the same job name recurs across runs). */
export const chartLabel = (source: string, job: string): string => (source === job ? job : `${source}:${job}`);

/** The prediction's typed workload says what ran; options text only when a result has none. */
function depthOf(predicted: JobResult, measuredOptions: Record<string, string>): number {
  const w = predicted.workload;
  return w ? w.iodepth * w.numjobs : Number(measuredOptions.iodepth ?? 1) * Number(measuredOptions.numjobs ?? 1);
}

/** The chart pairs of the compared groups: the mean of each group's repetitions against its prediction. */
export function chartPairs(groups: PairGroup[]): ComparePair[] {
  return groups.flatMap((g) =>
    (['read', 'write'] as const).flatMap((dir) => {
      const m = pooledDirection(g, dir);
      const options = { ...g.global, ...g.measured[0]!.options };
      return m ? [{ job: `${chartLabel(groupSource(g), g.job)} ${dir}`, options: { ...options, direction: dir }, depth: depthOf(g.predicted, options), measured: m, predicted: g.predicted[dir] }] : [];
    }),
  );
}

const p = (d: DirectionResult, pct: number): number => clatPercentileNs(d, pct) / 1e3;

export function compareCharts(rows: ComparisonRow[], pairs: ComparePair[], tol: Tolerance): ChartSpec[] {
  const bars: CompareChartRow[] = rows.flatMap((r) => {
    const label = `${chartLabel(r.source, r.job)} ${r.direction}`;
    const pair = pairs.find((x) => x.job === label);
    if (!pair) return [];
    return [
      { job: label, figure: 'IOPS' as const, measured: r.measuredIops, predicted: r.predictedIops, error: r.errors.iops, ...(tol.iops !== undefined ? { tolerance: tol.iops } : {}) },
      { job: label, figure: 'p50 (µs)' as const, measured: p(pair.measured, 50), predicted: p(pair.predicted, 50), error: r.errors.p50, ...(tol.p50 !== undefined ? { tolerance: tol.p50 } : {}) },
      { job: label, figure: 'p99 (µs)' as const, measured: p(pair.measured, 99), predicted: p(pair.predicted, 99), error: r.errors.p99, ...(tol.p99 !== undefined ? { tolerance: tol.p99 } : {}) },
    ];
  });
  const charts = [compareChart(bars), compareCdf(pairs.slice(0, 6))];
  const points: LoadPoint[] = pairs.flatMap((x) => {
    const depth = x.depth;
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
