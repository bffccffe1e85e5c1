/**
 * Vega-Lite chart specs built by typed functions from results (data inlined). Pure.
 *
 *   Results ──▶ ChartSpec[] (id, title, TopLevelSpec) ──▶ *.vl.json, and SVG (render.ts)
 *
 * Every chart is titled and its axes carry units. Series are capped so legends stay
 * readable: a large run shows the jobs with the worst p99 and the highest IOPS, replicas
 * of a job folded into one series (series-choice.ts), and the subtitle says which.
 */
import { clatPercentileNs } from '../results/read.js';
import type { TopLevelSpec } from 'vega-lite';
import type { DirectionResult, Results } from '../results/types.js';
import { foldRows, jobGroups, worstAndBusiest } from './series-choice.js';

export interface ChartSpec {
  id: string;
  title: string;
  spec: TopLevelSpec;
}

const WIDTH = 620;
const HEIGHT = 260;
const MAX_SERIES = 12;
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

interface Series {
  label: string;
  d: DirectionResult;
  source?: string;
}

/** p99 of a direction (the maximum when the run kept no percentiles). */
const p99Of = (d: DirectionResult): number => clatPercentileNs(d, 99, 'max');

function seriesOf(results: Results, source?: string): Series[] {
  const out: Series[] = [];
  for (const j of results.jobs) {
    for (const dir of ['read', 'write'] as const) {
      const d = j[dir];
      if (d.totalIos > 0 && d.clat.bins && d.clat.bins.length > 0) out.push({ label: `${j.hostname ? `${j.name}@${j.hostname}` : j.name} ${dir}`, d, ...(source ? { source } : {}) });
    }
  }
  return out.sort((a, b) => b.d.iops - a.d.iops);
}

/** Latency CDF per job and direction, log latency axis, with p50/p99/p99.9 markers. */
export function latencyCdf(series: Series[], title: string): ChartSpec {
  // measured and predicted series of one job come in pairs: choose jobs, then keep both
  const jobs = [...new Map(series.map((s) => [s.label, { name: s.label, p99: p99Of(s.d), iops: s.d.iops }])).values()];
  const choice = worstAndBusiest(jobs, MAX_SERIES, 'job directions');
  const keep = new Set(choice.shown.map((j) => j.name));
  const shown = series.filter((s) => keep.has(s.label));
  const rows: { series: string; latency_us: number; cumulative: number; source: string }[] = [];
  const marks: { series: string; latency_us: number; cumulative: number; label: string; source: string }[] = [];
  for (const s of shown) {
    const total = s.d.clat.bins!.reduce((a, [, c]) => a + c, 0);
    let acc = 0;
    for (const [ns, c] of s.d.clat.bins!) {
      acc += c;
      rows.push({ series: s.label, latency_us: Math.max(ns / 1e3, 0.01), cumulative: acc / total, source: s.source ?? 'simulated' });
    }
    for (const pct of [50, 99, 99.9]) {
      const ns = clatPercentileNs(s.d, pct);
      if (!Number.isNaN(ns)) marks.push({ series: s.label, latency_us: Math.max(ns / 1e3, 0.01), cumulative: pct / 100, label: `p${pct}`, source: s.source ?? 'simulated' });
    }
  }
  const overlay = shown.some((s) => s.source === 'measured');
  const sub = choice.note;
  return {
    id: 'latency-cdf',
    title,
    spec: {
      $schema: SCHEMA,
      title: { text: title, ...(sub ? { subtitle: sub } : {}) },
      width: WIDTH,
      height: HEIGHT,
      layer: [
        {
          data: { values: rows },
          mark: { type: 'line', interpolate: 'step-after' },
          encoding: {
            x: { field: 'latency_us', type: 'quantitative', scale: { type: 'log' }, title: 'completion latency (µs, log scale)' },
            y: { field: 'cumulative', type: 'quantitative', title: 'share of I/Os at or below', axis: { format: '%' } },
            color: { field: 'series', type: 'nominal', title: 'job, direction' },
            ...(overlay ? { strokeDash: { field: 'source', type: 'nominal', title: 'source' } } : {}),
          },
        },
        {
          data: { values: marks },
          mark: { type: 'point', filled: true, size: 40 },
          encoding: {
            x: { field: 'latency_us', type: 'quantitative', scale: { type: 'log' } },
            y: { field: 'cumulative', type: 'quantitative' },
            color: { field: 'series', type: 'nominal' },
            shape: { field: 'label', type: 'nominal', title: 'percentile' },
            tooltip: [{ field: 'series' }, { field: 'label' }, { field: 'latency_us', format: '.1f', title: 'µs' }],
          },
        },
      ],
    },
  };
}

type TimeRow = { t: number; name: string; value: number; lo?: number; hi?: number };

/** The busiest names (highest mean value) when there are more than MAX_SERIES. */
function busiest(rows: TimeRow[], noun: string): { rows: TimeRow[]; note?: string } {
  const sums = new Map<string, number>();
  for (const r of rows) sums.set(r.name, (sums.get(r.name) ?? 0) + r.value);
  if (sums.size <= MAX_SERIES) return { rows };
  const keep = new Set([...sums].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, MAX_SERIES).map(([n]) => n));
  return { rows: rows.filter((r) => keep.has(r.name)), note: `the ${MAX_SERIES} busiest of ${sums.size} ${noun}` };
}

/** Lines over time from the timeline (with a band from lo to hi where rows carry one). */
/** Moments to mark on a time axis (snapshots), as vertical rules with a label. */
type TimeMark = { t: number; label: string };

function timelineChart(id: string, title: string, rows: TimeRow[], yTitle: string, sub?: string, rule?: number, ruleLabel?: string, marks: TimeMark[] = []): ChartSpec {
  const x = { field: 't', type: 'quantitative' as const, title: 'time (s)' };
  // solid legend swatches whatever the band's opacity
  const color = { field: 'name', type: 'nominal' as const, title: 'name', legend: { symbolOpacity: 1, symbolType: 'stroke', symbolStrokeWidth: 2 } };
  const line = { data: { values: rows }, mark: { type: 'line' as const, point: false }, encoding: { x, y: { field: 'value', type: 'quantitative' as const, title: yTitle }, color } };
  const layers: TopLevelSpec[] = [line as TopLevelSpec];
  if (rows.some((r) => r.lo !== undefined && r.lo !== r.hi)) {
    layers.push({ data: { values: rows }, mark: { type: 'area', opacity: 0.18 }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color } } as TopLevelSpec);
  }
  if (rule !== undefined) {
    layers.push({ data: { values: [{ v: rule, label: ruleLabel ?? '' }] }, mark: { type: 'rule', color: '#c00', strokeDash: [6, 3] }, encoding: { y: { field: 'v', type: 'quantitative' } } } as TopLevelSpec);
    layers.push({ data: { values: [{ v: rule, label: ruleLabel ?? '' }] }, mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: '#c00' }, encoding: { y: { field: 'v', type: 'quantitative' }, text: { field: 'label' }, x: { value: 0 } } } as TopLevelSpec);
  }
  if (marks.length > 0) {
    layers.push({ data: { values: marks }, mark: { type: 'rule', color: '#555', strokeDash: [2, 3] }, encoding: { x: { field: 't', type: 'quantitative' }, tooltip: [{ field: 'label' }, { field: 't', title: 'time (s)' }] } } as TopLevelSpec);
    layers.push({ data: { values: marks }, mark: { type: 'text', angle: 270, align: 'right', baseline: 'bottom', dx: -4, dy: -2, fontSize: 9, color: '#555' }, encoding: { x: { field: 't', type: 'quantitative' }, y: { value: 0 }, text: { field: 'label' } } } as TopLevelSpec);
  }
  return { id, title, spec: { $schema: SCHEMA, title: { text: title, ...(sub ? { subtitle: sub } : {}) }, width: WIDTH, height: HEIGHT, layer: layers } as TopLevelSpec };
}

/** Snapshots taken during the run, to mark on time axes (at most 40, the first ones). */
function snapshotMarks(results: Results): TimeMark[] {
  const marks = (results.volumes ?? []).flatMap((v) => (v.snapshots ?? []).map((s) => ({ t: s.takenUs / 1e6, label: `snapshot ${v.name}` })));
  return marks.sort((a, b) => a.t - b.t).slice(0, 40);
}

function timelineRows(results: Results, entity: string, metric: string, scale = 1): TimeRow[] {
  return (results.timeline ?? []).filter((r) => r.entity === entity && r.metric === metric).map((r) => ({ t: r.timeUs / 1e6, name: r.name, value: r.value * scale }));
}

/** A job metric over time: the jobs a reviewer needs, replicas folded into a median line and a band. */
function jobTimeline(results: Results, id: string, title: string, metric: string, yTitle: string): ChartSpec | undefined {
  const rows = timelineRows(results, 'job', metric);
  if (rows.length === 0) return undefined;
  const groups = jobGroups(results);
  const folded = groups.some((g) => g.members.length > 1);
  const choice = worstAndBusiest(groups, MAX_SERIES, folded ? `jobs (${results.jobs.length.toLocaleString('en')} with replicas)` : 'jobs');
  const groupOf = new Map(choice.shown.flatMap((g) => g.members.map((m) => [m, g.name] as [string, string])));
  const notes = [choice.note, folded ? 'replicas folded: line the median replica, band the lowest to the highest' : undefined].filter(Boolean);
  const marks = snapshotMarks(results);
  if (marks.length > 0) notes.push('dotted lines: snapshots');
  return timelineChart(id, title, foldRows(rows, groupOf), yTitle, notes.length ? notes.join('; ') : undefined, undefined, undefined, marks);
}

/** The charts of a simulated run that apply to it. */
export function runCharts(results: Results): ChartSpec[] {
  const charts: ChartSpec[] = [latencyCdf(seriesOf(results), 'Completion latency distribution per job')];
  for (const c of [
    jobTimeline(results, 'job-iops', 'IOPS per job over time', 'iops', 'IOPS'),
    jobTimeline(results, 'job-p99', 'p99 completion latency per job over time', 'clat_p99_us', 'p99 latency (µs)'),
    jobTimeline(results, 'job-write-iops', 'Write IOPS of mixed jobs over time', 'write_iops', 'write IOPS'),
    jobTimeline(results, 'job-write-p99', 'Write p99 completion latency of mixed jobs over time', 'write_clat_p99_us', 'write p99 latency (µs)'),
  ]) if (c) charts.push(c);
  const util = busiest(timelineRows(results, 'device', 'utilization', 100), 'devices');
  if (util.rows.length > 0) charts.push(timelineChart('device-utilization', 'Device utilization over time', util.rows, 'busy slots (%)', util.note, 100, '100 %'));
  const queue = busiest(timelineRows(results, 'device', 'queue_depth'), 'devices');
  if (queue.rows.length > 0) charts.push(timelineChart('device-queue', 'I/Os at each device over time (in service and waiting)', queue.rows, 'I/Os', queue.note));
  const snap = busiest(timelineRows(results, 'volume', 'snapshot_bytes', 1 / 2 ** 30), 'volumes');
  if (snap.rows.length > 0) charts.push(timelineChart('snapshot-space', 'Space held by snapshots over time', snap.rows, 'snapshot space (GiB)', snap.note));
  for (const p of results.pools ?? []) {
    const rows = timelineRows(results, 'pool', 'allocated_bytes', 1 / 2 ** 30).filter((r) => r.name === p.name);
    if (rows.length > 0) charts.push(timelineChart(`pool-${p.name}`, `Thin pool ${p.name}: allocated space over time`, rows, 'allocated (GiB)', undefined, p.capacityBytes / 2 ** 30, 'capacity'));
  }
  return charts;
}

export interface CompareChartRow {
  job: string;
  figure: 'IOPS' | 'p50 (µs)' | 'p99 (µs)';
  measured: number;
  predicted: number;
  error: number;
  tolerance?: number;
}

/** Measured against predicted per job: one panel per figure, error labels, tolerance band. */
export function compareChart(rows: CompareChartRow[]): ChartSpec {
  const jobs = new Set(rows.map((r) => r.job)).size;
  const panel = (figure: CompareChartRow['figure']): unknown => {
    const mine = rows.filter((r) => r.figure === figure);
    const values = mine.flatMap((r) => [
      { job: r.job, source: 'measured', value: r.measured, label: '' },
      { job: r.job, source: 'predicted', value: r.predicted, label: `${r.error >= 0 ? '+' : ''}${(r.error * 100).toFixed(0)}%` },
    ]);
    const bands = mine.filter((r) => r.tolerance !== undefined).map((r) => ({ job: r.job, lo: r.measured * (1 - r.tolerance!), hi: r.measured * (1 + r.tolerance!) }));
    const y = { field: 'job', type: 'nominal', title: null, axis: figure === 'IOPS' ? {} : null };
    return {
      title: figure,
      width: 190,
      height: Math.max(80, jobs * 30),
      layer: [
        { data: { values: bands }, mark: { type: 'bar', color: '#e4e4e4', height: 22 }, encoding: { y, x: { field: 'lo', type: 'quantitative', title: null }, x2: { field: 'hi' } } },
        { data: { values }, mark: { type: 'bar' }, encoding: { y, yOffset: { field: 'source' }, x: { field: 'value', type: 'quantitative', title: null }, color: { field: 'source', type: 'nominal', title: 'source' } } },
        { data: { values }, mark: { type: 'text', align: 'left', dx: 3, fontSize: 9 }, encoding: { y, yOffset: { field: 'source' }, x: { field: 'value', type: 'quantitative' }, text: { field: 'label' } } },
      ],
    };
  };
  return {
    id: 'compare',
    title: 'Measured and predicted per job',
    spec: {
      $schema: SCHEMA,
      title: { text: 'Measured and predicted per job', subtitle: 'bars: measured and predicted; labels: prediction error; grey band: tolerance around the measurement' },
      hconcat: [panel('IOPS'), panel('p50 (µs)'), panel('p99 (µs)')],
    } as TopLevelSpec,
  };
}

/** Measured and predicted latency CDFs overlaid, for compare. */
export function compareCdf(pairs: { job: string; measured: DirectionResult; predicted: DirectionResult }[]): ChartSpec {
  const series: Series[] = pairs.flatMap((p) => [
    { label: p.job, d: p.measured, source: 'measured' },
    { label: p.job, d: p.predicted, source: 'predicted' },
  ]);
  return { ...latencyCdf(series.filter((s) => s.d.clat.bins && s.d.clat.bins.length > 0), 'Latency distribution: measured (solid) and predicted (dashed)'), id: 'compare-cdf' };
}

export interface LoadPoint {
  /** Workload the point belongs to, e.g. "randread 4 KiB". */
  series: string;
  /** The load: queue depth × jobs, or the swept value. */
  load: number;
  source: 'measured' | 'predicted' | 'simulated';
  iops: number;
  p99Us: number;
}

/** IOPS and p99 against load ("hockey stick"), with the SLO as a rule when there is one. */
export function hockeyStick(points: LoadPoint[], loadTitle: string, sloP99Us?: number): ChartSpec {
  const enc = (field: 'iops' | 'p99Us', title: string, log: boolean) => ({
    x: { field: 'load', type: 'quantitative' as const, title: loadTitle, scale: { type: 'log' as const, base: 2 } },
    y: { field, type: 'quantitative' as const, title, ...(log ? { scale: { type: 'log' as const } } : {}) },
    color: { field: 'series', type: 'nominal' as const, title: 'workload' },
    strokeDash: { field: 'source', type: 'nominal' as const, title: 'source' },
  });
  const p99Layers: unknown[] = [{ mark: { type: 'line', point: true }, encoding: enc('p99Us', 'p99 completion latency (µs, log scale)', true) }];
  if (sloP99Us !== undefined) {
    p99Layers.push({ data: { values: [{ v: sloP99Us }] }, mark: { type: 'rule', color: '#c00', strokeDash: [6, 3] }, encoding: { y: { field: 'v', type: 'quantitative' } } });
  }
  return {
    id: 'hockey-stick',
    title: 'IOPS and p99 latency against load',
    spec: {
      $schema: SCHEMA,
      title: { text: 'IOPS and p99 latency against load', subtitle: `IOPS per job (per replica) and the worst replica's p99${sloP99Us !== undefined ? `; red line: p99 SLO ${sloP99Us} µs` : ''}` },
      data: { values: points },
      vconcat: [
        { width: WIDTH, height: 200, mark: { type: 'line', point: true }, encoding: enc('iops', 'IOPS', false) },
        { width: WIDTH, height: 200, layer: p99Layers },
      ],
    } as TopLevelSpec,
  };
}
