/**
 * Vega-Lite charts of a trace (and, for `trace fit`, of the trace beside the one the
 * fitted job issues, told apart by stroke or bar offset). Typed builders, data inlined,
 * every chart titled with units on its axes. Pure.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ChartSpec } from './charts.js';
import type { TraceStats } from '../trace/stats-result.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const WIDTH = 620;
const HEIGHT = 240;

export interface Series {
  /** "trace" or "fitted job". */
  source: string;
  stats: TraceStats;
}

function spec(title: string, subtitle: string | undefined, body: Record<string, unknown>): TopLevelSpec {
  return { $schema: SCHEMA, title: { text: title, ...(subtitle ? { subtitle } : {}) }, width: WIDTH, height: HEIGHT, ...body } as TopLevelSpec;
}

const overlay = (series: Series[]): boolean => series.length > 1;

/** The source encoding of overlaid series: the first (the trace) solid, the others dashed. */
function sourceDash(series: Series[]): Record<string, unknown> {
  return overlay(series) ? { strokeDash: { field: 'source', type: 'nominal', title: 'source', scale: { domain: series.map((x) => x.source), range: [[1, 0], [6, 3], [2, 2]] } } } : {};
}

/** Axis labels of a byte count: KiB, MiB, GiB, TiB. */
const BYTES_LABEL =
  "datum.value >= 1099511627776 ? format(datum.value / 1099511627776, '~g') + ' TiB' : datum.value >= 1073741824 ? format(datum.value / 1073741824, '~g') + ' GiB' : datum.value >= 1048576 ? format(datum.value / 1048576, '~g') + ' MiB' : format(datum.value / 1024, '~g') + ' KiB'";

/** Per-second rates over time: IOPS or MiB/s per direction. */
function rateChart(id: string, title: string, series: Series[], yTitle: string, value: (readIos: number, writeIos: number, readBytes: number, writeBytes: number, sec: number) => [number, number]): ChartSpec {
  const rows: { t: number; direction: string; value: number; source: string }[] = [];
  for (const { source, stats } of series) {
    const sec = stats.timeline.binUs / 1e6;
    for (const b of stats.timeline.bins) {
      const [r, w] = value(b.readIos, b.writeIos, b.readBytes, b.writeBytes, sec);
      rows.push({ t: b.startUs / 1e6, direction: 'read', value: r, source }, { t: b.startUs / 1e6, direction: 'write', value: w, source });
    }
  }
  const binMs = (series[0]?.stats.timeline.binUs ?? 0) / 1e3;
  return {
    id,
    title,
    spec: spec(title, `${binMs} ms bins`, {
      data: { values: rows },
      mark: { type: 'line', interpolate: 'step-after' },
      encoding: {
        x: { field: 't', type: 'quantitative', title: 'time since the first I/O (s)' },
        y: { field: 'value', type: 'quantitative', title: yTitle },
        color: { field: 'direction', type: 'nominal', title: 'direction' },
        ...sourceDash(series),
      },
    }),
  };
}

export function iopsChart(series: Series[]): ChartSpec {
  return rateChart('trace-iops', 'IOPS over time', series, 'IOPS', (r, w, _rb, _wb, sec) => [r / sec, w / sec]);
}

export function bandwidthChart(series: Series[]): ChartSpec {
  return rateChart('trace-bandwidth', 'Bandwidth over time', series, 'MiB/s', (_r, _w, rb, wb, sec) => [rb / sec / 2 ** 20, wb / sec / 2 ** 20]);
}

/** I/O sizes: share of each direction's I/Os per size, sizes in ascending order. */
export function sizeChart(series: Series[]): ChartSpec {
  const rows: { size: string; bytes: number; direction: string; share: number; source: string; bar: string }[] = [];
  for (const { source, stats } of series) {
    for (const dir of ['read', 'write'] as const) {
      const d = stats[dir];
      for (const [bytes, n] of d.sizes) rows.push({ size: sizeLabel(bytes), bytes, direction: dir, share: n / d.ios, source, bar: `${dir}, ${source}` });
    }
  }
  const order = [...new Map(rows.map((r) => [r.size, r.bytes])).entries()].sort((a, b) => a[1] - b[1]).map(([s]) => s).slice(0, 64);
  const shown = rows.filter((r) => order.includes(r.size));
  return {
    id: 'trace-sizes',
    title: 'I/O sizes',
    spec: spec('I/O sizes', order.length < new Set(rows.map((r) => r.size)).size ? 'the 64 smallest sizes' : undefined, {
      data: { values: shown },
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'size', type: 'ordinal', sort: order, title: 'I/O size' },
        y: { field: 'share', type: 'quantitative', title: "share of the direction's I/Os", axis: { format: '%' } },
        color: { field: 'direction', type: 'nominal', title: 'direction' },
        xOffset: { field: 'bar', type: 'nominal', sort: ['read', 'write'].flatMap((d) => series.map((x) => `${d}, ${x.source}`)) },
        ...(overlay(series) ? { opacity: { field: 'source', type: 'nominal', title: 'source', scale: { domain: series.map((x) => x.source), range: [1, 0.45] } } } : {}),
      },
    }),
  };
}

function sizeLabel(bytes: number): string {
  if (bytes >= 2 ** 20 && bytes % 2 ** 20 === 0) return `${bytes / 2 ** 20} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} B`;
}

/** LRU hit ratio by cache size (log scale): the miss-ratio curve a cache sizing needs. */
export function hitRatioChart(series: Series[]): ChartSpec {
  const rows = series.flatMap(({ source, stats }) => stats.reuse.curve.map((c) => ({ cacheBytes: c.cacheBytes, hitRatio: c.hitRatio, source })));
  const ws = series[0]!.stats.workingSet;
  return {
    id: 'trace-hit-ratio',
    title: 'LRU cache hit ratio by cache size',
    spec: spec('LRU cache hit ratio by cache size', `block references of ${ws.blockBytes / 1024} KiB blocks${ws.exact ? '' : `; estimated from a ${(ws.samplingRate * 100).toPrecision(2)} % hashed sample of blocks`}`, {
      data: { values: rows },
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'cacheBytes', type: 'quantitative', scale: { type: 'log', base: 2 }, title: 'cache size (log scale)', axis: { labelExpr: BYTES_LABEL } },
        y: { field: 'hitRatio', type: 'quantitative', title: 'hit ratio', axis: { format: '%' }, scale: { domain: [0, 1] } },
        ...sourceDash(series),
      },
    }),
  };
}

/** Distinct bytes referenced since the start: how the working set grows. */
export function workingSetChart(series: Series[]): ChartSpec {
  const most = Math.max(1, ...series.map(({ stats }) => stats.workingSet.bytes));
  const [unit, scale] = ([['TiB', 2 ** 40], ['GiB', 2 ** 30], ['MiB', 2 ** 20]] as const).find(([, m]) => most >= m) ?? ['KiB', 1024];
  const rows = series.flatMap(({ source, stats }) => stats.timeline.bins.map((b) => ({ t: (b.startUs + stats.timeline.binUs) / 1e6, size: b.distinctBytes / scale, source })));
  return {
    id: 'trace-working-set',
    title: 'Working set over time',
    spec: spec('Working set over time', 'distinct bytes referenced since the first I/O', {
      data: { values: rows },
      mark: { type: 'line' },
      encoding: {
        x: { field: 't', type: 'quantitative', title: 'time since the first I/O (s)' },
        y: { field: 'size', type: 'quantitative', title: `working set (${unit})` },
        ...sourceDash(series),
      },
    }),
  };
}

/** I/Os in flight when each I/O was issued (from issue and completion times). */
export function depthChart(s: TraceStats): ChartSpec | undefined {
  if (!s.depth.known) return undefined;
  const total = s.depth.ios;
  const rows = s.depth.atIssue.map(([depth, n]) => ({ depth, share: n / total }));
  return {
    id: 'trace-depth',
    title: 'I/Os in flight at issue',
    spec: spec('I/Os in flight at issue', `this I/O and those issued before it and not yet complete; mean over time ${s.depth.meanInflight.toFixed(2)}`, {
      data: { values: rows },
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'depth', type: 'ordinal', title: 'I/Os in flight' },
        y: { field: 'share', type: 'quantitative', title: 'share of issues', axis: { format: '%' } },
      },
    }),
  };
}

export function traceStatsCharts(s: TraceStats): ChartSpec[] {
  const one = [{ source: 'trace', stats: s }];
  const charts: ChartSpec[] = [];
  if (s.timeline.bins.length > 0) charts.push(iopsChart(one), bandwidthChart(one));
  charts.push(sizeChart(one), hitRatioChart(one));
  if (s.timeline.bins.length > 0) charts.push(workingSetChart(one));
  const depth = depthChart(s);
  if (depth) charts.push(depth);
  return charts;
}

export function traceFitCharts(trace: TraceStats, fitted: TraceStats): ChartSpec[] {
  const both = [{ source: 'trace', stats: trace }, { source: 'fitted job', stats: fitted }];
  const charts: ChartSpec[] = [];
  if (trace.timeline.bins.length > 0) charts.push(iopsChart(both));
  charts.push(sizeChart(both), hitRatioChart(both));
  if (trace.timeline.bins.length > 0) charts.push(workingSetChart(both));
  return charts;
}
