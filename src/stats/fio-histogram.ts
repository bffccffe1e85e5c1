/**
 * Latency histogram with fio's log-linear bucket layout (fio stat.h: FIO_IO_U_PLAT_BITS
 * = 6, FIO_IO_U_PLAT_VAL = 64, FIO_IO_U_PLAT_GROUP_NR = 29): values in nanoseconds;
 * below 128 ns one bucket per ns; above, each power of two is split into 64 buckets.
 * A bucket's width is at most 1/64 of its lower bound, and its reported value is its
 * midpoint, so a reported percentile is within 1/128 (0.78 %) of the true sample value.
 * Percentiles are computed exactly as fio's calc_clat_percentiles does, so simulated and
 * measured percentiles mean the same thing, and json+ bins compare bucket by bucket.
 */
export const PLAT_BITS = 6;
export const PLAT_VAL = 1 << PLAT_BITS;
export const PLAT_GROUP_NR = 29;
export const PLAT_NR = PLAT_GROUP_NR * PLAT_VAL;

/** fio's default percentile list (percentile_list). */
export const FIO_DEFAULT_PERCENTILES = [1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 99.5, 99.9, 99.95, 99.99];

const TWO_32 = 4294967296;

/** Bucket index of a value in ns (fio's plat_val_to_idx). */
export function bucketIndex(ns: number): number {
  if (ns < 2 * PLAT_VAL) return ns < 0 ? 0 : Math.floor(ns);
  if (ns < TWO_32) {
    const v = ns >>> 0; // whole ns below 2^32: shifts are exact
    const errorBits = 31 - Math.clz32(v) - PLAT_BITS;
    return ((errorBits + 1) << PLAT_BITS) + ((v >>> errorBits) & (PLAT_VAL - 1));
  }
  const v = Math.floor(ns);
  const msb = 63 - Math.clz32(Math.floor(v / TWO_32));
  const errorBits = msb - PLAT_BITS;
  const idx = ((errorBits + 1) << PLAT_BITS) + ((PLAT_VAL - 1) & Math.floor(v / 2 ** errorBits));
  return idx < PLAT_NR - 1 ? idx : PLAT_NR - 1;
}

/** Reported value of a bucket in ns: its midpoint (fio's plat_idx_to_val). */
export function bucketValue(idx: number): number {
  if (idx < PLAT_VAL << 1) return idx;
  const errorBits = (idx >> PLAT_BITS) - 1;
  const base = 2 ** (errorBits + PLAT_BITS);
  const k = idx % PLAT_VAL;
  return Math.floor(base + (k + 0.5) * 2 ** errorBits);
}

/** Lowest value in ns that falls into a bucket. */
export function bucketLow(idx: number): number {
  if (idx < PLAT_VAL << 1) return idx;
  const errorBits = (idx >> PLAT_BITS) - 1;
  return 2 ** (errorBits + PLAT_BITS) + (idx % PLAT_VAL) * 2 ** errorBits;
}

/**
 * Counts start as 32-bit integers (7.3 KiB per histogram: a run of 1,000 jobs keeps its
 * 2,000 histograms' hot buckets in cache) and widen to doubles the moment a bucket would
 * pass 2^32 - 1, so no count is ever lost.
 */
export class FioHistogram {
  counts: Uint32Array | Float64Array = new Uint32Array(PLAT_NR);
  total = 0;
  /** Lowest and highest bucket ever counted (PLAT_NR and -1 while empty): readers scan only between. */
  minIdx = PLAT_NR;
  maxIdx = -1;

  add(ns: number): void {
    const idx = bucketIndex(ns);
    const counts = this.counts;
    if (++counts[idx]! === 0) this.widen(idx); // a Uint32Array count wrapped
    this.total++;
    if (idx > this.maxIdx) this.maxIdx = idx;
    if (idx < this.minIdx) this.minIdx = idx;
  }

  /** Float64 counts from now on; `wrapped` is the bucket whose 32-bit count just wrapped to 0. */
  private widen(wrapped: number): void {
    const wide = Float64Array.from(this.counts);
    wide[wrapped] = 2 ** 32;
    this.counts = wide;
  }

  addCount(idx: number, count: number): void {
    if (this.counts instanceof Uint32Array && this.counts[idx]! + count > 0xffffffff) this.counts = Float64Array.from(this.counts);
    this.counts[idx]! += count;
    this.total += count;
    if (count > 0) {
      if (idx > this.maxIdx) this.maxIdx = idx;
      if (idx < this.minIdx) this.minIdx = idx;
    }
  }

  merge(o: FioHistogram): void {
    if (this.counts instanceof Uint32Array && (o.counts instanceof Float64Array || this.total + o.total > 0xffffffff)) this.counts = Float64Array.from(this.counts);
    for (let i = 0; i < PLAT_NR; i++) this.counts[i]! += o.counts[i]!;
    this.total += o.total;
    this.minIdx = Math.min(this.minIdx, o.minIdx);
    this.maxIdx = Math.max(this.maxIdx, o.maxIdx);
  }

  /** Non-empty buckets as [value in ns, count], ascending: fio's json+ "bins". */
  bins(): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i < PLAT_NR; i++) if (this.counts[i]! > 0) out.push([bucketValue(i), this.counts[i]!]);
    return out;
  }

  /** fio's calc_clat_percentiles: first bucket whose running sum reaches p% of the total. */
  percentiles(list: readonly number[] = FIO_DEFAULT_PERCENTILES): number[] {
    return percentilesFromCounts(this.counts, this.total, list);
  }
}

export function percentilesFromCounts(counts: ArrayLike<number>, total: number, list: readonly number[]): number[] {
  const sorted = [...list].map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(list.length).fill(0);
  if (total === 0) return out;
  let sum = 0;
  let j = 0;
  for (let i = 0; i < counts.length && j < sorted.length; i++) {
    sum += counts[i]!;
    while (j < sorted.length && sum >= (sorted[j]![0] / 100) * total) {
      out[sorted[j]![1]] = bucketValue(i);
      j++;
    }
  }
  return out;
}
