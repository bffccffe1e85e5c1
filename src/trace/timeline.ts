/**
 * I/Os and bytes per direction over time in at most MAX_BINS bins: bins start 1 ms wide
 * and double (adjacent pairs merged) whenever the trace outlasts them, so memory does not
 * grow with the trace's length and a trace of any duration ends with 256-512 bins.
 * Times are µs since `originUs` (the first record's time).
 */
const MAX_BINS = 512;
const FIRST_BIN_US = 1000;

export interface TimelineBin {
  startUs: number;
  readIos: number;
  writeIos: number;
  readBytes: number;
  writeBytes: number;
  /** Distinct bytes referenced from the start to the end of this bin (the working set as it grows). */
  distinctBytes: number;
}

export class Timeline {
  binUs = FIRST_BIN_US;
  private readonly readIos = new Float64Array(MAX_BINS);
  private readonly writeIos = new Float64Array(MAX_BINS);
  private readonly readBytes = new Float64Array(MAX_BINS);
  private readonly writeBytes = new Float64Array(MAX_BINS);
  private readonly distinct = new Float64Array(MAX_BINS);
  private used = 0;

  /** Index of the bin for time t (µs since origin), widening bins as needed; -1 before the origin. */
  bin(t: number): number {
    if (t < 0) return -1;
    let i = Math.floor(t / this.binUs);
    while (i >= MAX_BINS) {
      this.widen();
      i = Math.floor(t / this.binUs);
    }
    if (i >= this.used) {
      const carry = this.used > 0 ? this.distinct[this.used - 1]! : 0;
      for (let j = this.used; j <= i; j++) this.distinct[j] = carry;
      this.used = i + 1;
    }
    return i;
  }

  add(i: number, write: boolean, bytes: number): void {
    if (write) {
      this.writeIos[i]!++;
      this.writeBytes[i]! += bytes;
    } else {
      this.readIos[i]!++;
      this.readBytes[i]! += bytes;
    }
  }

  /** The working set known when the last record of bin i was counted. */
  setDistinct(i: number, bytes: number): void {
    for (let j = i; j < this.used; j++) this.distinct[j] = bytes;
  }

  bins(): TimelineBin[] {
    const out: TimelineBin[] = [];
    for (let i = 0; i < this.used; i++) {
      out.push({ startUs: i * this.binUs, readIos: this.readIos[i]!, writeIos: this.writeIos[i]!, readBytes: this.readBytes[i]!, writeBytes: this.writeBytes[i]!, distinctBytes: this.distinct[i]! });
    }
    return out;
  }

  private widen(): void {
    const half = MAX_BINS / 2;
    for (const a of [this.readIos, this.writeIos, this.readBytes, this.writeBytes]) {
      for (let j = 0; j < half; j++) a[j] = a[2 * j]! + a[2 * j + 1]!;
      a.fill(0, half);
    }
    for (let j = 0; j < half; j++) this.distinct[j] = Math.max(this.distinct[2 * j]!, this.distinct[2 * j + 1]!);
    this.distinct.fill(0, half);
    this.used = Math.ceil(this.used / 2);
    this.binUs *= 2;
  }
}
