/**
 * A token bucket: tokens accrue at `rate` per second up to `capacity`. An I/O costing c
 * tokens passes when the bucket holds min(c, capacity) (so an I/O larger than the bucket
 * still passes once it is full) and takes c, possibly leaving a debt that later refills
 * repay. Over a long run the pass rate is exactly `rate`.
 */
export class TokenBucket {
  private tokens: number;
  private lastUs = 0;

  constructor(readonly ratePerSec: number, readonly capacity: number) {
    if (!(ratePerSec > 0) || !(capacity > 0)) throw new Error(`token bucket needs rate and capacity > 0, got ${ratePerSec}, ${capacity}`);
    this.tokens = capacity;
  }

  private refill(nowUs: number): void {
    if (nowUs > this.lastUs) {
      this.tokens = Math.min(this.capacity, this.tokens + ((nowUs - this.lastUs) * this.ratePerSec) / 1e6);
      this.lastUs = nowUs;
    }
  }

  /** Microseconds until `cost` could pass (0 = now). Does not take tokens. */
  waitUs(cost: number, nowUs: number): number {
    this.refill(nowUs);
    const need = Math.min(cost, this.capacity);
    if (this.tokens >= need - 1e-9) return 0;
    return ((need - this.tokens) * 1e6) / this.ratePerSec;
  }

  take(cost: number, nowUs: number): void {
    this.refill(nowUs);
    this.tokens -= cost;
  }
}
