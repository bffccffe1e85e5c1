/**
 * What a replay makes of each trace record, the same for the simulator
 * (trace-driver.ts) and for fio (the iolog adapters/replay-log.ts writes), so both
 * replay exactly the same I/Os at the same times. Pure.
 *
 *   record ─▶ device filter ─▶ trims, syncs: skipped, counted ─▶ offset onto the span ─▶ gap since the previous I/O ÷ speed
 *
 * Offsets (remap):
 * - wrap (default): an I/O that does not fit the span moves to its offset modulo the
 *   span's size, and to the span's start if it would cross the end. A trace that fits is
 *   replayed unchanged; sizes, alignment and sequential runs are kept, and a larger traced
 *   device folds onto the span (distinct regions may then share blocks).
 * - scale: offset × span / trace size, rounded down to the alignment the offset had (up to
 *   4 KiB): the trace's spread over its device is kept (hot and cold regions stay apart),
 *   but sequential runs of I/Os smaller than the scaled step become overlapping or gapped.
 *
 * Times: the first replayed I/O is due when the job starts; each next one the trace's
 * gap (÷ speed) after the previous one, never less than 0 (a trace whose times go back,
 * such as a csv out of order, is replayed in file order).
 */
import type { TraceReplaySpec } from '../scenario/types.js';
import { TraceLineError } from '../scenario/issues.js';
import type { ReplayRecord } from './trace-source.js';

import type { ReplayCounts } from '../results/types.js';

export type { ReplayCounts };

export const emptyCounts = (): ReplayCounts => ({ records: 0, replayed: 0, writes: 0, trims: 0, syncs: 0, otherDevice: 0, remapped: 0 });

export interface ReplaySpan {
  offsetBytes: number;
  sizeBytes: number;
}

export class ReplayMapper {
  readonly counts = emptyCounts();
  /** Set by accept(): the I/O's direction (0 read, 1 write), its offset on the volume, its size. */
  dir = 0;
  offsetBytes = 0;
  sizeBytes = 0;
  /** Set by accept(): µs since the previous accepted I/O (scaled), and since the first. */
  gapUs = 0;
  elapsedUs = 0;
  private prevTimeUs = NaN;
  private readonly scale: number;

  constructor(
    private readonly spec: TraceReplaySpec,
    private readonly span: ReplaySpan,
    /** The trace's name in messages. */
    private readonly name: string,
    /** remap scale: the traced device's size. */
    traceSizeBytes?: number,
  ) {
    this.scale = spec.remap === 'scale' ? span.sizeBytes / Math.max(1, spec.traceSizeBytes ?? traceSizeBytes ?? span.sizeBytes) : 1;
  }

  /** False when the record is not replayed (counted); true with dir, offsetBytes, sizeBytes and the gap set. */
  accept(r: ReplayRecord): boolean {
    const c = this.counts;
    c.records++;
    const device = this.spec.device;
    if (device !== undefined && r.file !== device) {
      c.otherDevice++;
      return false;
    }
    switch (r.direction) {
      case 'read':
        this.dir = 0;
        break;
      case 'write':
        this.dir = 1;
        break;
      case 'trim':
        c.trims++;
        return false;
      case 'sync':
        c.syncs++;
        return false;
    }
    this.sizeBytes = r.sizeBytes;
    this.offsetBytes = this.span.offsetBytes + this.place(r);
    const t = r.timeUs;
    const gap = this.prevTimeUs === this.prevTimeUs ? (t - this.prevTimeUs) / this.spec.speed : 0;
    this.gapUs = gap > 0 ? gap : 0;
    this.elapsedUs += this.gapUs;
    this.prevTimeUs = t;
    c.replayed++;
    c.writes += this.dir;
    return true;
  }

  /** The record's offset within the span. */
  private place(r: ReplayRecord): number {
    const length = this.span.sizeBytes;
    const n = r.sizeBytes;
    if (n > length) throw new TraceLineError(this.name, r.line, `a ${n}-byte ${r.direction} does not fit the ${length} bytes the job addresses (its offset and size)`);
    const o = r.offsetBytes;
    if (this.spec.remap === 'wrap') {
      if (o + n <= length) return o;
      this.counts.remapped++;
      const wrapped = o % length;
      return wrapped + n <= length ? wrapped : 0;
    }
    const align = alignmentOf(o);
    let s = Math.floor((o * this.scale) / align) * align;
    if (s + n > length) s = Math.floor((length - n) / align) * align;
    if (s !== o) this.counts.remapped++;
    return s;
  }
}

/** The largest power of two up to 4 KiB that divides the offset. */
function alignmentOf(offsetBytes: number): number {
  let a = 1;
  while (a < 4096 && offsetBytes % (a * 2) === 0) a *= 2;
  return a;
}

/** Counts of several replays (clones, replicas) added up. */
export function addCounts(a: ReplayCounts, b: ReplayCounts): ReplayCounts {
  return {
    records: a.records + b.records,
    replayed: a.replayed + b.replayed,
    writes: a.writes + b.writes,
    trims: a.trims + b.trims,
    syncs: a.syncs + b.syncs,
    otherDevice: a.otherDevice + b.otherDevice,
    remapped: a.remapped + b.remapped,
  };
}
