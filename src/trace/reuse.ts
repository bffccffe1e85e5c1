/**
 * Working set and reuse (LRU stack) distance of block references in bounded memory, by
 * spatially hashed sampling (SHARDS: Waldspurger et al., "Efficient MRC Construction
 * with SHARDS", FAST 2015), in its fixed-size form:
 *
 * - A block is tracked when hash(file, block) < T. T starts above every hash, so a trace
 *   touching at most `maxSampled` distinct blocks is tracked exactly. When more are
 *   tracked, T halves and the blocks above it are dropped: the sampling rate R = T / 2^32
 *   halves, memory stays at most `maxSampled` blocks.
 * - For a tracked block, the stack distance (distinct other blocks referenced since its
 *   previous reference) is counted among tracked blocks with a Fenwick tree over
 *   reference times, then scaled by 1/R; each reference weighs 1/R. Distinct blocks are
 *   estimated as tracked / R.
 *
 * Hashing picks blocks, not references, so a block is either always or never sampled
 * and its reuse pattern is kept whole. Error: the distinct-block estimate has a relative
 * standard error of about 1/sqrt(tracked) (at most 1.1 % with the default 2^14, since
 * at least 2^13 blocks stay tracked);
 * the hit ratio curve's error is measured in test/trace/reuse.test.ts.
 */
import { assertNever } from '../util/assert-never.js';

/** Exact buckets for distances below this many blocks, then SUB buckets per power of two. */
const EXACT = 64;
const SUB = 8;
const MAX_LOG2 = 48;
export const DISTANCE_BUCKETS = EXACT + (MAX_LOG2 - 6) * SUB;
const TWO_32 = 4294967296;

export function distanceBucket(d: number): number {
  if (d < EXACT) return Math.floor(d);
  const l = Math.log2(d);
  const b = EXACT + Math.floor((l - 6) * SUB);
  return b < DISTANCE_BUCKETS ? b : DISTANCE_BUCKETS - 1;
}

/** Smallest distance in a bucket (a cache of this many blocks or fewer misses its references). */
export function bucketLowBlocks(b: number): number {
  return b < EXACT ? b : 2 ** (6 + (b - EXACT) / SUB);
}

export function hashBlock(file: number, block: number): number {
  let h = Math.imul((block / TWO_32) >>> 0 ^ Math.imul(file, 0x9e3779b9), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ (block >>> 0), 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

export type Access = 'read' | 'write';

export class ReuseTracker {
  /** Blocks are tracked when hash < threshold; 2^32 tracks all. */
  private threshold = TWO_32;
  /** Open-addressing table (linear probing) of slot + 1 by hash; 0 = empty. */
  private readonly table: Int32Array;
  private readonly mask: number;
  private readonly slotTime: Int32Array;
  private readonly slotBlock: Float64Array;
  private readonly slotFile: Int32Array;
  private readonly slotHash: Float64Array;
  private readonly slotFlags: Uint8Array;
  private readonly freeSlots: number[] = [];
  private nextSlot = 0;
  private readonly fenwick: Int32Array;
  private readonly byTime: Int32Array;
  private clock = 0;
  private tracked = 0;
  /**
   * The previous time and distance of the block just referenced in this range: when the
   * next block's previous time is one later (the two were referenced together before),
   * its distance is the same, and the tree need not be asked.
   */
  private runPrev = -2;
  private runDistance = 0;
  private trackedRead = 0;
  private trackedWritten = 0;
  /** Weighted references by distance bucket, and first references. */
  readonly distances = new Float64Array(DISTANCE_BUCKETS);
  cold = 0;
  /** Every reference, sampled or not. */
  references = 0;

  constructor(readonly maxSampled = 1 << 14) {
    const slots = maxSampled + 1;
    this.slotTime = new Int32Array(slots);
    this.slotBlock = new Float64Array(slots);
    this.slotFile = new Int32Array(slots);
    this.slotHash = new Float64Array(slots);
    this.slotFlags = new Uint8Array(slots);
    let size = 1;
    while (size < 2 * slots) size *= 2;
    this.table = new Int32Array(size);
    this.mask = size - 1;
    this.fenwick = new Int32Array(8 * maxSampled + 1);
    this.byTime = new Int32Array(8 * maxSampled);
  }

  get samplingRate(): number {
    return this.threshold / TWO_32;
  }

  /** References to blocks first..last (inclusive) of file number `file`, in order. */
  accessRange(file: number, first: number, last: number, write: boolean): void {
    this.references += last - first + 1;
    this.runPrev = -2;
    const flag = write ? 2 : 1;
    for (let block = first; block <= last; block++) {
      const h = hashBlock(file, block);
      if (h < this.threshold) this.track(file, block, h, flag);
    }
  }

  /** One reference (tests and callers with single blocks). */
  access(file: number, block: number, kind: Access): void {
    this.accessRange(file, block, block, kind === 'write' ? true : kind === 'read' ? false : assertNever(kind));
  }

  private track(file: number, block: number, h: number, flag: number): void {
    const weight = TWO_32 / this.threshold;
    if (this.clock >= this.byTime.length) {
      this.compact();
      this.runPrev = -2;
    }
    const now = this.clock++;
    const table = this.table;
    let i = h & this.mask;
    let slot = -1;
    for (let e = table[i]!; e !== 0; i = (i + 1) & this.mask, e = table[i]!) {
      if (this.slotBlock[e - 1] === block && this.slotFile[e - 1] === file) {
        slot = e - 1;
        break;
      }
    }
    if (slot < 0) {
      this.runPrev = -2;
      slot = this.freeSlots.pop() ?? this.nextSlot++;
      table[i] = slot + 1;
      this.slotBlock[slot] = block;
      this.slotFile[slot] = file;
      this.slotHash[slot] = h;
      this.slotFlags[slot] = 0;
      this.tracked++;
      this.cold += weight;
    } else {
      const prev = this.slotTime[slot]!;
      const d = prev === this.runPrev + 1 ? this.runDistance : this.tracked - this.prefix(prev);
      this.runPrev = prev;
      this.runDistance = d;
      this.distances[distanceBucket(d * weight)]! += weight;
      this.add(prev, -1);
    }
    if ((this.slotFlags[slot]! & flag) === 0) {
      this.slotFlags[slot]! |= flag;
      if (flag === 1) this.trackedRead++;
      else this.trackedWritten++;
    }
    this.slotTime[slot] = now;
    this.byTime[now] = slot;
    this.add(now, 1);
    if (this.tracked > this.maxSampled) this.halve();
  }

  /** Distinct blocks referenced (estimated once sampling began), and those read and written. */
  distinct(): { blocks: number; readBlocks: number; writtenBlocks: number } {
    const w = TWO_32 / this.threshold;
    return { blocks: this.tracked * w, readBlocks: this.trackedRead * w, writtenBlocks: this.trackedWritten * w };
  }

  /**
   * Share of references an LRU cache of `cacheBlocks` blocks would hit. The sampled
   * weights are scaled so they add up to every reference (SHARDS_adj puts the
   * difference at distance 0, where sampling errs most).
   */
  hitRatio(cacheBlocks: number): number {
    if (this.references === 0) return 0;
    let weight = this.references - this.cold;
    for (let b = 0; b < DISTANCE_BUCKETS; b++) weight -= this.distances[b]!;
    let hits = weight; // SHARDS_adj correction, at distance 0
    for (let b = 0; b < DISTANCE_BUCKETS && bucketLowBlocks(b) < cacheBlocks; b++) hits += this.distances[b]!;
    return Math.min(1, Math.max(0, hits / this.references));
  }

  /** Share of references to a block referenced before. */
  reReferenceFraction(): number {
    return this.references === 0 ? 0 : Math.min(1, Math.max(0, 1 - this.cold / this.references));
  }

  private prefix(i: number): number {
    const f = this.fenwick;
    let s = 0;
    for (let j = i + 1; j > 0; j -= j & -j) s += f[j]!;
    return s;
  }

  private add(i: number, v: number): void {
    const f = this.fenwick;
    for (let j = i + 1; j < f.length; j += j & -j) f[j]! += v;
  }

  /** Renumbers reference times 0..tracked-1 in order (each live slot's time is unique), so the tree never grows. */
  private compact(): void {
    const f = this.fenwick;
    f.fill(0);
    let t = 0;
    for (let old = 0; old < this.clock; old++) {
      const slot = this.byTime[old]!;
      if (this.slotTime[slot] !== old || this.slotHash[slot]! >= this.threshold) continue; // since referenced again, or dropped
      this.slotTime[slot] = t;
      this.byTime[t] = slot;
      f[++t] = 1;
    }
    for (let j = 1; j < f.length; j++) {
      const parent = j + (j & -j);
      if (parent < f.length) f[parent]! += f[j]!;
    }
    this.clock = t;
  }

  /** Halves the sampling rate: drops the tracked blocks above the new threshold and rebuilds the table. */
  private halve(): void {
    this.threshold /= 2;
    this.table.fill(0);
    const before = this.threshold * 2;
    for (let slot = 0; slot < this.nextSlot; slot++) {
      const h = this.slotHash[slot]!;
      if (h >= before) continue; // free already
      if (h >= this.threshold) {
        this.slotHash[slot] = Infinity;
        this.add(this.slotTime[slot]!, -1);
        const flags = this.slotFlags[slot]!;
        if (flags & 1) this.trackedRead--;
        if (flags & 2) this.trackedWritten--;
        this.tracked--;
        this.freeSlots.push(slot);
        continue;
      }
      let i = h & this.mask;
      while (this.table[i] !== 0) i = (i + 1) & this.mask;
      this.table[i] = slot + 1;
    }
  }
}
