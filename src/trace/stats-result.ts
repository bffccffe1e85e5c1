/**
 * The figures of `blocksim trace stats`, from a finished accumulator. Units in names;
 * shares are 0..1. Rates are over the span from the first to the last issue.
 */
import type { TraceCapabilities } from './record.js';
import type { DirectionAccumulator, TraceStatsAccumulator } from './stats.js';
import type { TimelineBin } from './timeline.js';
import { bucketLowBlocks, DISTANCE_BUCKETS } from './reuse.js';

export interface DirectionStats {
  ios: number;
  bytes: number;
  iops: number;
  bandwidthBytesPerSec: number;
  meanSizeBytes: number;
  /** Share of I/Os that continue a recent I/O of the same file and direction. */
  sequentialFraction: number;
  /** Mean and coefficient of variation of the gaps between issues of this direction (1 for Poisson arrivals, 0 for a fixed rate). */
  meanGapUs: number;
  gapCv: number;
  /** [size in bytes, I/Os], ascending by size. */
  sizes: [number, number][];
  /** I/Os whose sizes were pooled because the trace had more than 4096 distinct sizes. */
  otherSizes: number;
}

export type DepthStats =
  | { known: true; ios: number; meanInflight: number; maxInflight: number; atIssueP50: number; atIssueP99: number; atIssue: [number, number][]; latencyMeanUs: number; latencyP50Us: number; latencyP99Us: number; latencyMaxUs: number; outOfOrder: number }
  | { known: false; reason: string };

export interface TraceStats {
  records: number;
  timed: boolean;
  firstUs: number;
  lastUs: number;
  durationUs: number;
  read: DirectionStats;
  write: DirectionStats;
  trims: { ios: number; bytes: number };
  syncs: number;
  /** Share of data I/Os (and of bytes) that are reads. */
  readShareIos: number;
  readShareBytes: number;
  files: [string, number][];
  fileCount: number;
  spanOffsetBytes: number;
  spanEndBytes: number;
  /** Largest power of two dividing every offset and size (at most 1 GiB). */
  alignBytes: number;
  timeline: { binUs: number; bins: TimelineBin[] };
  workingSet: { blockBytes: number; bytes: number; readBytes: number; writtenBytes: number; samplingRate: number; exact: boolean };
  /**
   * LRU cache hit ratio by cache size, from the smallest size sampling resolves (4 / rate
   * blocks: a sampled distance is a multiple of 1 / rate), and the stack distances.
   */
  reuse: { references: number; reReferenceFraction: number; resolvableFromBytes: number; curve: { cacheBytes: number; hitRatio: number }[]; distances: { fromBytes: number; share: number }[] };
  /** Distinct start offsets among the I/Os that are not sequential (for `trace fit`). */
  randomStarts: { ios: number; distinct: number; exact: boolean };
  depth: DepthStats;
  /** Records whose time is before the record before them. */
  outOfOrder: number;
}

function direction(d: DirectionAccumulator, durationUs: number): DirectionStats {
  const sec = durationUs / 1e6;
  const cv = d.gaps.n > 1 && d.gaps.mean > 0 ? Math.sqrt(d.gaps.m2 / (d.gaps.n - 1)) / d.gaps.mean : NaN;
  return {
    ios: d.ios,
    bytes: d.bytes,
    iops: sec > 0 ? d.ios / sec : NaN,
    bandwidthBytesPerSec: sec > 0 ? d.bytes / sec : NaN,
    meanSizeBytes: d.ios > 0 ? d.bytes / d.ios : NaN,
    sequentialFraction: d.ios > 0 ? d.sequential / d.ios : NaN,
    meanGapUs: d.gaps.n > 0 ? d.gaps.mean : NaN,
    gapCv: cv,
    sizes: [...d.sizes.entries()].sort((a, b) => a[0] - b[0]),
    otherSizes: d.otherSizes,
  };
}

/** The smallest index with at least pct % of the counts at or below it. */
function indexPercentile(counts: ArrayLike<number>, total: number, pct: number): number {
  let sum = 0;
  for (let i = 0; i < counts.length; i++) {
    sum += counts[i]!;
    if (sum >= (pct / 100) * total) return i;
  }
  return counts.length - 1;
}

function depthStats(a: TraceStatsAccumulator, capabilities: TraceCapabilities): DepthStats {
  const d = a.depth;
  if (!capabilities.completions || d.ios === 0) return { known: false, reason: 'the trace records when I/Os were issued but not when they completed (fio iologs never do; blkparse needs C events; a CSV needs a latency column)' };
  const counts = d.atIssue;
  const p50 = indexPercentile(counts, d.ios, 50);
  const p99 = indexPercentile(counts, d.ios, 99);
  const atIssue: [number, number][] = [];
  counts.forEach((c, depth) => c > 0 && atIssue.push([depth, c]));
  const [l50, l99] = d.latencyHistogram.percentiles([50, 99]);
  const span = Math.max(d.lastCompleteUs - d.firstIssueUs, 1e-9);
  return {
    known: true, ios: d.ios, meanInflight: d.latencySumUs / span, maxInflight: d.maxDepth, atIssueP50: p50, atIssueP99: p99, atIssue,
    latencyMeanUs: d.latency.mean, latencyP50Us: l50! / 1e3, latencyP99Us: l99! / 1e3, latencyMaxUs: d.latency.max, outOfOrder: d.outOfOrder,
  };
}

function reuseFigures(a: TraceStatsAccumulator, workingSetBytes: number): TraceStats['reuse'] {
  const r = a.reuse;
  const b = a.blockBytes;
  const curve: { cacheBytes: number; hitRatio: number }[] = [];
  let from = 1;
  while (r.samplingRate < 1 && from < 4 / r.samplingRate) from *= 2;
  for (let blocks = from; blocks <= 2 ** 40; blocks *= 2) {
    curve.push({ cacheBytes: blocks * b, hitRatio: r.hitRatio(blocks) });
    if (blocks * b >= 2 * workingSetBytes) break;
  }
  const distances: { fromBytes: number; share: number }[] = [];
  const total = r.references - r.cold;
  for (let i = 0; i < DISTANCE_BUCKETS; i++) {
    const w = r.distances[i]!;
    if (w > 0 && total > 0) distances.push({ fromBytes: bucketLowBlocks(i) * b, share: w / total });
  }
  return { references: r.references, reReferenceFraction: r.reReferenceFraction(), resolvableFromBytes: from * b, curve, distances };
}

/** Wider bins for a sparse trace, so a chart shows rates rather than single I/Os: at least 20 I/Os a bin on average, or at most 50 bins. */
function coarsen(binUs: number, bins: TimelineBin[], ios: number): TraceStats['timeline'] {
  let width = binUs;
  let out = bins;
  while (out.length > 50 && ios / out.length < 20) {
    const merged: TimelineBin[] = [];
    for (let i = 0; i < out.length; i += 2) {
      const a = out[i]!;
      const b = out[i + 1];
      merged.push(b ? { startUs: a.startUs, readIos: a.readIos + b.readIos, writeIos: a.writeIos + b.writeIos, readBytes: a.readBytes + b.readBytes, writeBytes: a.writeBytes + b.writeBytes, distinctBytes: b.distinctBytes } : a);
    }
    out = merged;
    width *= 2;
  }
  return { binUs: width, bins: out };
}

export function buildStats(a: TraceStatsAccumulator, capabilities: TraceCapabilities): TraceStats {
  const timed = capabilities.times && a.lastUs > a.firstUs;
  const durationUs = timed ? a.lastUs - a.firstUs : 0;
  const dataIos = a.read.ios + a.write.ios;
  const dataBytes = a.read.bytes + a.write.bytes;
  const ws = a.reuse.distinct();
  const wsBytes = ws.blocks * a.blockBytes;
  const files = [...a.fileIndex.entries()].map(([name, i]): [string, number] => [name, a.fileIos[i]!]).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  return {
    records: a.records,
    timed,
    firstUs: Number.isFinite(a.firstUs) ? a.firstUs : 0,
    lastUs: Number.isFinite(a.lastUs) ? a.lastUs : 0,
    durationUs,
    read: direction(a.read, durationUs),
    write: direction(a.write, durationUs),
    trims: { ios: a.trims, bytes: a.trimBytes },
    syncs: a.syncs,
    readShareIos: dataIos > 0 ? a.read.ios / dataIos : NaN,
    readShareBytes: dataBytes > 0 ? a.read.bytes / dataBytes : NaN,
    files: files.slice(0, 20),
    fileCount: files.length,
    spanOffsetBytes: Number.isFinite(a.minOffsetBytes) ? a.minOffsetBytes : 0,
    spanEndBytes: a.maxEndBytes,
    alignBytes: 2 ** a.alignLog2,
    timeline: timed ? coarsen(a.timeline.binUs, a.timeline.bins(), dataIos) : { binUs: a.timeline.binUs, bins: [] },
    workingSet: { blockBytes: a.blockBytes, bytes: wsBytes, readBytes: ws.readBlocks * a.blockBytes, writtenBytes: ws.writtenBlocks * a.blockBytes, samplingRate: a.reuse.samplingRate, exact: a.reuse.samplingRate === 1 },
    reuse: reuseFigures(a, wsBytes),
    randomStarts: { ios: a.randomIos, distinct: a.randomStarts.estimate(), exact: a.randomStarts.exact },
    depth: depthStats(a, capabilities),
    outOfOrder: a.outOfOrder,
  };
}
