/** The plain-text summaries `blocksim trace stats` and `trace fit` print. Pure. */
import type { FeedSummary } from '../trace/feed.js';
import type { FitFigure } from '../trace/fit-check.js';
import type { DirectionStats, TraceStats } from '../trace/stats-result.js';
import { formatBytes, formatDuration } from '../scenario/units.js';
import { formatLatencyNs } from '../util/format.js';

export const FORMAT_NAMES: Record<FeedSummary['format'], string> = {
  iolog2: 'fio iolog version 2',
  iolog3: 'fio iolog version 3',
  blkparse: 'blkparse text',
  csv: 'CSV',
};

const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)} %` : '-');
const num = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : '-');

function pad(cells: string[][]): string {
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return cells.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd()).join('\n');
}

export function traceHeadline(feed: FeedSummary, s: TraceStats): string {
  const span = s.timed ? `over ${formatDuration(s.durationUs)}` : 'without times';
  const files = s.fileCount === 1 ? `1 ${feed.format === 'blkparse' ? 'device' : 'file'}` : `${s.fileCount} ${feed.format === 'blkparse' ? 'devices' : 'files'}`;
  return `${feed.file}: ${FORMAT_NAMES[feed.format]}, ${s.records.toLocaleString('en')} records ${span} (${files})`;
}

function directionRows(r: DirectionStats, w: DirectionStats): string[][] {
  const row = (name: string, f: (d: DirectionStats) => string): string[] => [name, f(r), f(w)];
  return [
    ['', 'reads', 'writes'],
    row('I/Os', (d) => d.ios.toLocaleString('en')),
    row('IOPS', (d) => num(d.iops)),
    row('MiB/s', (d) => num(d.bandwidthBytesPerSec / 2 ** 20, 2)),
    row('mean size', (d) => (Number.isFinite(d.meanSizeBytes) ? formatBytes(d.meanSizeBytes) : '-')),
    row('sequential', (d) => pct(d.sequentialFraction)),
    row('gap stddev/mean', (d) => num(d.gapCv, 2)),
  ];
}

function topSizes(s: TraceStats, n = 6): string {
  const all = new Map<number, number>();
  for (const [size, c] of [...s.read.sizes, ...s.write.sizes]) all.set(size, (all.get(size) ?? 0) + c);
  const total = s.read.ios + s.write.ios;
  const top = [...all].sort((a, b) => b[1] - a[1]).slice(0, n);
  return top.map(([size, c]) => `${formatBytes(size)} ${pct(c / total)}`).join(', ') + (all.size > n ? ` (${all.size} sizes in all)` : '');
}

function depthLine(s: TraceStats): string {
  const d = s.depth;
  if (!d.known) return `queue depth: unknown: ${d.reason}`;
  return `queue depth: ${d.meanInflight.toFixed(2)} in flight on average; at issue p50 ${d.atIssueP50}, p99 ${d.atIssueP99}, max ${d.maxInflight}; device latency mean ${formatLatencyNs(d.latencyMeanUs * 1e3)}, p50 ${formatLatencyNs(d.latencyP50Us * 1e3)}, p99 ${formatLatencyNs(d.latencyP99Us * 1e3)}`;
}

function reuseLine(s: TraceStats): string {
  const ws = s.workingSet;
  const curve = s.reuse.curve.filter((c) => c.hitRatio > 0);
  const points = [0.01, 0.1, 0.5].map((share) => curve.find((c) => c.cacheBytes >= share * ws.bytes)).filter((c, i, a) => c && a.indexOf(c) === i);
  const hits = points.map((c) => `${pct(c!.hitRatio)} at ${formatBytes(c!.cacheBytes)}`).join(', ');
  return `reuse: ${pct(s.reuse.reReferenceFraction)} of block references return to a block seen before${hits ? `; LRU cache hit ratio ${hits}` : ''}`;
}

export function traceStatsTable(feed: FeedSummary, s: TraceStats): string {
  const ws = s.workingSet;
  const lines = [
    traceHeadline(feed, s),
    '',
    pad(directionRows(s.read, s.write)),
    '',
    `mix: ${pct(s.readShareIos)} of I/Os and ${pct(s.readShareBytes)} of bytes are reads; ${s.trims.ios} trims (${formatBytes(s.trims.bytes)}), ${s.syncs} syncs`,
    `sizes: ${topSizes(s) || '-'}`,
    `working set: ${formatBytes(ws.bytes)} in ${formatBytes(ws.blockBytes)} blocks (read ${formatBytes(ws.readBytes)}, written ${formatBytes(ws.writtenBytes)}; ${ws.exact ? 'exact' : `estimated from a ${pct(ws.samplingRate)} hashed sample, about ±${pct(1 / Math.sqrt(ws.samplingRate * ws.bytes / ws.blockBytes))}`})`,
    `span: ${formatBytes(s.spanOffsetBytes)} to ${formatBytes(s.spanEndBytes)}`,
    reuseLine(s),
    depthLine(s),
  ];
  if (s.outOfOrder > 0) lines.push(`${s.outOfOrder} records are earlier than the record before them`);
  return lines.join('\n');
}

/** Bad records skipped and the parser's notes, for stderr. */
export function feedNotes(feed: FeedSummary): string[] {
  const out = feed.notes.map((n) => `note: ${n}`);
  if (feed.badRecords > 0) {
    out.push(`skipped ${feed.badRecords} bad record${feed.badRecords === 1 ? '' : 's'}; the first:`);
    for (const b of feed.firstBad) out.push(`  ${feed.file}:${b.line}: ${b.message}`);
  }
  return out;
}

function figure(x: number, unit: string): string {
  if (!Number.isFinite(x)) return '-';
  if (unit.startsWith('share')) return pct(x);
  if (unit.startsWith('bytes')) return formatBytes(x);
  return x >= 100 ? x.toFixed(0) : x.toFixed(2);
}

export function fitTable(rows: FitFigure[]): string {
  const cells = [['figure', 'trace', 'fitted job', 'difference']];
  for (const r of rows) {
    if (!Number.isFinite(r.trace) && !Number.isFinite(r.fitted)) continue;
    cells.push([r.figure, figure(r.trace, r.unit), figure(r.fitted, r.unit), Number.isFinite(r.difference) ? `${r.difference >= 0 ? '+' : ''}${(r.difference * 100).toFixed(1)} %` : '-']);
  }
  return pad(cells);
}
