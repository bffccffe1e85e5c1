/**
 * Streaming statistics of one job in one direction: counts, bytes, and submission,
 * completion and total latency (fio's slat, clat, lat). Completion latency also goes
 * into a fio-layout histogram for percentiles and json+ bins. Nothing is kept per I/O.
 */
import { FioHistogram } from './fio-histogram.js';
import { Welford } from './welford.js';
import { AS_DOUBLE } from '../util/double-field.js';

export class IoStats {
  ios = 0;
  bytes = AS_DOUBLE;
  readonly slat = new Welford();
  readonly clat = new Welford();
  readonly lat = new Welford();
  private hist: FioHistogram | undefined;

  /** Latencies in ns (fio's unit), as whole numbers. */
  constructor() {
    this.bytes = 0;
  }

  record(slatNs: number, clatNs: number, latNs: number, bytes: number): void {
    this.ios++;
    this.bytes += bytes;
    this.slat.add(slatNs);
    this.clat.add(clatNs);
    this.lat.add(latNs);
    (this.hist ??= new FioHistogram()).add(clatNs);
  }

  get histogram(): FioHistogram | undefined {
    return this.hist;
  }

  merge(o: IoStats): void {
    this.ios += o.ios;
    this.bytes += o.bytes;
    this.slat.merge(o.slat);
    this.clat.merge(o.clat);
    this.lat.merge(o.lat);
    if (o.hist) (this.hist ??= new FioHistogram()).merge(o.hist);
  }
}
