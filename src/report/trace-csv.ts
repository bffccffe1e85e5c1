/**
 * CSV files of `blocksim trace stats` and `trace fit`, with units in the header names.
 * Numbers are rounded to fixed decimals so files are byte-stable.
 */
import { stringify } from 'csv-stringify/sync';
import type { FitFigure } from '../trace/fit-check.js';
import type { TraceStats } from '../trace/stats-result.js';

const r3 = (x: number): string => (Number.isFinite(x) ? (Number.isInteger(x) ? String(x) : x.toFixed(3)) : '');
const r6 = (x: number): string => (Number.isFinite(x) ? x.toFixed(6) : '');

/** One figure per row: figure, direction, value, unit. */
export function traceSummaryCsv(s: TraceStats): string {
  const rows: string[][] = [['figure', 'direction', 'value', 'unit']];
  const add = (figure: string, direction: string, value: number, unit: string): void => void rows.push([figure, direction, r3(value), unit]);
  add('records', 'all', s.records, 'count');
  add('duration', 'all', s.durationUs, 'us');
  for (const dir of ['read', 'write'] as const) {
    const d = s[dir];
    add('ios', dir, d.ios, 'count');
    add('bytes', dir, d.bytes, 'bytes');
    add('iops', dir, d.iops, 'per_s');
    add('bandwidth', dir, d.bandwidthBytesPerSec, 'bytes_per_s');
    add('mean_size', dir, d.meanSizeBytes, 'bytes');
    add('sequential_fraction', dir, d.sequentialFraction, 'share');
    add('gap_cv', dir, d.gapCv, 'ratio');
  }
  add('trims', 'trim', s.trims.ios, 'count');
  add('trim_bytes', 'trim', s.trims.bytes, 'bytes');
  add('syncs', 'sync', s.syncs, 'count');
  add('read_share_ios', 'all', s.readShareIos, 'share');
  add('read_share_bytes', 'all', s.readShareBytes, 'share');
  add('working_set', 'all', s.workingSet.bytes, 'bytes');
  add('working_set_read', 'read', s.workingSet.readBytes, 'bytes');
  add('working_set_written', 'write', s.workingSet.writtenBytes, 'bytes');
  add('working_set_block', 'all', s.workingSet.blockBytes, 'bytes');
  add('working_set_sampling_rate', 'all', s.workingSet.samplingRate, 'share');
  add('re_reference_fraction', 'all', s.reuse.reReferenceFraction, 'share');
  add('span_offset', 'all', s.spanOffsetBytes, 'bytes');
  add('span_end', 'all', s.spanEndBytes, 'bytes');
  if (s.depth.known) {
    add('mean_inflight', 'all', s.depth.meanInflight, 'ios');
    add('inflight_at_issue_p50', 'all', s.depth.atIssueP50, 'ios');
    add('inflight_at_issue_p99', 'all', s.depth.atIssueP99, 'ios');
    add('inflight_max', 'all', s.depth.maxInflight, 'ios');
    add('device_latency_mean', 'all', s.depth.latencyMeanUs, 'us');
    add('device_latency_p50', 'all', s.depth.latencyP50Us, 'us');
    add('device_latency_p99', 'all', s.depth.latencyP99Us, 'us');
  }
  return stringify(rows);
}

export function traceTimelineCsv(s: TraceStats): string {
  const sec = s.timeline.binUs / 1e6;
  const rows = s.timeline.bins.map((b) => [r6(b.startUs / 1e6), r3(b.readIos / sec), r3(b.writeIos / sec), r3(b.readBytes / sec), r3(b.writeBytes / sec), r3(b.distinctBytes)]);
  return stringify([['time_s', 'read_iops', 'write_iops', 'read_bw_bytes_per_s', 'write_bw_bytes_per_s', 'working_set_bytes'], ...rows]);
}

export function traceSizesCsv(s: TraceStats): string {
  const sizes = new Map<number, [number, number]>();
  for (const [size, c] of s.read.sizes) sizes.set(size, [c, 0]);
  for (const [size, c] of s.write.sizes) sizes.set(size, [sizes.get(size)?.[0] ?? 0, c]);
  const rows = [...sizes].sort((a, b) => a[0] - b[0]).map(([size, [r, w]]) => [String(size), String(r), String(w)]);
  return stringify([['size_bytes', 'reads', 'writes'], ...rows]);
}

export function traceReuseCsv(s: TraceStats): string {
  return stringify([['cache_bytes', 'lru_hit_ratio'], ...s.reuse.curve.map((c) => [String(c.cacheBytes), r6(c.hitRatio)])]);
}

export function traceDepthCsv(s: TraceStats): string | undefined {
  if (!s.depth.known) return undefined;
  return stringify([['inflight_at_issue', 'ios'], ...s.depth.atIssue.map(([d, n]) => [String(d), String(n)])]);
}

export function fitCsv(rows: FitFigure[]): string {
  return stringify([['figure', 'unit', 'trace', 'fitted', 'difference'], ...rows.map((r) => [r.figure, r.unit, r6(r.trace), r6(r.fitted), r6(r.difference)])]);
}
