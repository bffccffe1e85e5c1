/**
 * Streaming statistics of one job in one direction: counts, bytes, and submission,
 * completion and total latency (fio's slat, clat, lat). Completion latency also goes
 * into a fio-layout histogram for percentiles and json+ bins. Nothing is kept per I/O.
 *
 * The three Welford accumulators live as plain fields of this one object (same
 * arithmetic as Welford.add, so the same numbers bit for bit): with 1,000 jobs, each
 * completion touches one object instead of four, which keeps the per-I/O path in cache.
 */
import { FioHistogram } from './fio-histogram.js';
import { Welford } from './welford.js';
import { AS_DOUBLE } from '../util/double-field.js';

export class IoStats {
  ios = 0;
  bytes = AS_DOUBLE;
  private slatMean = AS_DOUBLE;
  private slatM2 = AS_DOUBLE;
  private slatMin = Infinity;
  private slatMax = -Infinity;
  private clatMean = AS_DOUBLE;
  private clatM2 = AS_DOUBLE;
  private clatMin = Infinity;
  private clatMax = -Infinity;
  private latMean = AS_DOUBLE;
  private latM2 = AS_DOUBLE;
  private latMin = Infinity;
  private latMax = -Infinity;
  private hist: FioHistogram | undefined;

  /** Latencies in ns (fio's unit), as whole numbers. */
  constructor() {
    this.bytes = 0;
    this.slatMean = 0;
    this.slatM2 = 0;
    this.clatMean = 0;
    this.clatM2 = 0;
    this.latMean = 0;
    this.latM2 = 0;
  }

  record(slatNs: number, clatNs: number, latNs: number, bytes: number): void {
    const n = ++this.ios;
    this.bytes += bytes;
    let d = slatNs - this.slatMean;
    this.slatMean += d / n;
    this.slatM2 += d * (slatNs - this.slatMean);
    if (slatNs < this.slatMin) this.slatMin = slatNs;
    if (slatNs > this.slatMax) this.slatMax = slatNs;
    d = clatNs - this.clatMean;
    this.clatMean += d / n;
    this.clatM2 += d * (clatNs - this.clatMean);
    if (clatNs < this.clatMin) this.clatMin = clatNs;
    if (clatNs > this.clatMax) this.clatMax = clatNs;
    d = latNs - this.latMean;
    this.latMean += d / n;
    this.latM2 += d * (latNs - this.latMean);
    if (latNs < this.latMin) this.latMin = latNs;
    if (latNs > this.latMax) this.latMax = latNs;
    (this.hist ??= new FioHistogram()).add(clatNs);
  }

  get slat(): Welford {
    return Welford.of(this.ios, this.slatMin, this.slatMax, this.slatMean, this.slatM2);
  }

  get clat(): Welford {
    return Welford.of(this.ios, this.clatMin, this.clatMax, this.clatMean, this.clatM2);
  }

  get lat(): Welford {
    return Welford.of(this.ios, this.latMin, this.latMax, this.latMean, this.latM2);
  }

  get histogram(): FioHistogram | undefined {
    return this.hist;
  }
}
