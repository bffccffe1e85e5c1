/**
 * Streaming count, min, max, mean and variance (Welford 1962): constant memory, one
 * pass, numerically stable. `merge` combines two streams exactly (Chan et al. 1979), as
 * fio does when it groups jobs.
 */
import { AS_DOUBLE } from '../util/double-field.js';
export class Welford {
  n = 0;
  min = Infinity;
  max = -Infinity;
  mean = AS_DOUBLE;
  /** Sum of squared differences from the mean. */
  m2 = AS_DOUBLE;

  constructor() {
    this.mean = 0;
    this.m2 = 0;
  }

  add(x: number): void {
    const n = ++this.n;
    const d = x - this.mean;
    this.mean += d / n;
    this.m2 += d * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  /** An accumulator holding the given figures (what `add` would have reached). */
  static of(n: number, min: number, max: number, mean: number, m2: number): Welford {
    const w = new Welford();
    w.n = n;
    w.min = min;
    w.max = max;
    w.mean = mean;
    w.m2 = m2;
    return w;
  }

  merge(o: Welford): void {
    if (o.n === 0) return;
    if (this.n === 0) {
      Object.assign(this, { n: o.n, min: o.min, max: o.max, mean: o.mean, m2: o.m2 });
      return;
    }
    const n = this.n + o.n;
    const d = o.mean - this.mean;
    this.mean += (d * o.n) / n;
    this.m2 += o.m2 + (d * d * this.n * o.n) / n;
    this.n = n;
    this.min = Math.min(this.min, o.min);
    this.max = Math.max(this.max, o.max);
  }

  /** Sample standard deviation (n - 1), as fio reports it; 0 for fewer than 2 values. */
  get stddev(): number {
    return this.n > 1 ? Math.sqrt(this.m2 / (this.n - 1)) : 0;
  }
}
