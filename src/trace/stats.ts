/**
 * What a trace is, in one streaming pass and bounded memory: rates over time, the
 * read/write mix, sizes, sequential share, working set and reuse, and queue depth where
 * the format records completions. Pure: records in (`add`), figures out (`result`).
 *
 *   TraceRecord ─▶ per direction: counts, sizes, gaps ─┐
 *              ├─▶ Timeline (adaptive bins)            ├─▶ TraceStats
 *              ├─▶ SequentialDetector, DistinctSampler │
 *              ├─▶ ReuseTracker (block references)     │
 *              └─▶ DepthTracker (issue, completion)   ─┘
 *
 * Trims and syncs are counted but carry no data: rates, sizes, sequential share and the
 * working set are over reads and writes.
 */
import { DepthTracker } from './depth.js';
import { DistinctSampler } from './distinct.js';
import type { TraceCapabilities, TraceRecord } from './record.js';
import { ReuseTracker } from './reuse.js';
import { SequentialDetector } from './sequential.js';
import { Timeline } from './timeline.js';
import { Welford } from '../stats/welford.js';
import { assertNever } from '../util/assert-never.js';
import { buildStats, type TraceStats } from './stats-result.js';

export interface TraceStatsOptions {
  /** Block size of the working set and reuse figures (default 4096). */
  blockBytes?: number;
  /** Blocks tracked exactly before sampling begins (default 2^16). */
  maxSampled?: number;
}

/** Sizes counted one by one up to this many distinct sizes; rarer sizes beyond it are pooled. */
const MAX_SIZES = 4096;

export class DirectionAccumulator {
  ios = 0;
  bytes = 0;
  sequential = 0;
  readonly sizes = new Map<number, number>();
  otherSizes = 0;
  readonly gaps = new Welford();
  lastUs = NaN;

  addSize(sizeBytes: number): void {
    const c = this.sizes.get(sizeBytes);
    if (c !== undefined) this.sizes.set(sizeBytes, c + 1);
    else if (this.sizes.size < MAX_SIZES) this.sizes.set(sizeBytes, 1);
    else this.otherSizes++;
  }
}

export class TraceStatsAccumulator {
  readonly blockBytes: number;
  readonly read = new DirectionAccumulator();
  readonly write = new DirectionAccumulator();
  readonly timeline = new Timeline();
  readonly reuse: ReuseTracker;
  readonly randomStarts: DistinctSampler;
  readonly depth = new DepthTracker();
  private readonly sequential = new SequentialDetector();
  readonly fileIndex = new Map<string, number>();
  readonly fileIos: number[] = [];
  records = 0;
  trims = 0;
  trimBytes = 0;
  syncs = 0;
  randomIos = 0;
  outOfOrder = 0;
  beforeOrigin = 0;
  originUs = NaN;
  firstUs = Infinity;
  lastUs = -Infinity;
  minOffsetBytes = Infinity;
  maxEndBytes = 0;
  /** Lowest set bit over all offsets and sizes (the alignment), as a power of two exponent. */
  alignLog2 = 30;
  private prevUs = -Infinity;
  private lastFile = '';
  private lastFileNo = -1;
  private lastBin = -1;

  constructor(options: TraceStatsOptions = {}) {
    this.blockBytes = options.blockBytes ?? 4096;
    if (!(Number.isInteger(this.blockBytes) && this.blockBytes >= 1)) throw new Error(`block size must be a positive integer, got ${this.blockBytes}`);
    this.reuse = new ReuseTracker(options.maxSampled);
    this.randomStarts = new DistinctSampler(options.maxSampled);
  }

  add(r: TraceRecord): void {
    this.records++;
    const t = r.timeUs;
    if (t < this.prevUs) this.outOfOrder++;
    this.prevUs = t;
    if (t < this.firstUs) this.firstUs = t;
    if (t > this.lastUs) this.lastUs = t;
    if (r.completeUs !== undefined) this.depth.add(t, r.completeUs);
    const file = this.fileNumber(r.file);
    this.fileIos[file]!++;
    switch (r.direction) {
      case 'read':
        return this.data(r, file, this.read, false);
      case 'write':
        return this.data(r, file, this.write, true);
      case 'trim':
        this.trims++;
        this.trimBytes += r.sizeBytes;
        return;
      case 'sync':
        this.syncs++;
        return;
      default:
        assertNever(r.direction);
    }
  }

  private data(r: TraceRecord, file: number, d: DirectionAccumulator, write: boolean): void {
    const t = r.timeUs;
    const offset = r.offsetBytes;
    const size = r.sizeBytes;
    d.ios++;
    d.bytes += size;
    d.addSize(size);
    if (t >= d.lastUs) d.gaps.add(t - d.lastUs);
    d.lastUs = t;
    if (this.sequential.check(file, write, offset, size)) d.sequential++;
    else {
      this.randomIos++;
      this.randomStarts.add(file, offset);
    }
    if (offset < this.minOffsetBytes) this.minOffsetBytes = offset;
    if (offset + size > this.maxEndBytes) this.maxEndBytes = offset + size;
    this.align(offset);
    this.align(size);
    if (Number.isNaN(this.originUs)) this.originUs = t;
    const bin = this.timeline.bin(t - this.originUs);
    if (bin < 0) this.beforeOrigin++;
    else {
      if (bin !== this.lastBin && this.lastBin >= 0) this.timeline.setDistinct(this.lastBin, this.reuse.distinct().blocks * this.blockBytes);
      this.lastBin = bin;
      this.timeline.add(bin, write, size);
    }
    const b = this.blockBytes;
    const last = Math.floor((offset + size - 1) / b);
    this.reuse.accessRange(file, Math.floor(offset / b), last, write);
  }

  private align(v: number): void {
    if (v === 0) return;
    const lo = v % 4294967296;
    const tz = lo !== 0 ? 31 - Math.clz32(lo & -lo) : 32 + 31 - Math.clz32((v / 4294967296) & -(v / 4294967296));
    if (tz < this.alignLog2) this.alignLog2 = tz;
  }

  private fileNumber(name: string): number {
    if (name === this.lastFile) return this.lastFileNo;
    let n = this.fileIndex.get(name);
    if (n === undefined) {
      n = this.fileIndex.size;
      this.fileIndex.set(name, n);
      this.fileIos.push(0);
    }
    this.lastFile = name;
    this.lastFileNo = n;
    return n;
  }

  result(capabilities: TraceCapabilities): TraceStats {
    if (this.lastBin >= 0) this.timeline.setDistinct(this.lastBin, this.reuse.distinct().blocks * this.blockBytes);
    return buildStats(this, capabilities);
  }
}
