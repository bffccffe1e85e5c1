/**
 * A token bucket: tokens accrue at `rate` per second up to `capacity`. An I/O costing c
 * tokens passes when the bucket holds min(c, capacity) (so an I/O larger than the bucket
 * still passes once it is full) and takes c, possibly leaving a debt that later refills
 * repay. Over a long run the pass rate is exactly `rate`.
 *
 * Floating point: a bucket a few ulps short of a cost would ask for a wait far below the
 * clock's resolution at late simulated times (now + wait == now: a throttle that wakes
 * for ever at the same instant). So a shortfall within a relative 1e-9 of the cost
 * passes now (the debt it leaves is repaid by later refills, so the long-run rate is
 * unchanged), and a real wait is never shorter than one nanosecond.
 */
/** Shortest wait a bucket asks for: 1 ns. */
const MIN_WAIT_US = 1e-3;

export class TokenBucket {
  private tokens: number;
  private lastUs = 0;
  /** Tokens taken since the start, for the cap's utilization. */
  takenTotal = 0;

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
    const shortfall = need - this.tokens;
    if (shortfall <= need * 1e-9 + 1e-9) return 0;
    return Math.max(MIN_WAIT_US, (shortfall * 1e6) / this.ratePerSec);
  }

  take(cost: number, nowUs: number): void {
    this.refill(nowUs);
    this.tokens -= cost;
    this.takenTotal += cost;
  }

  /** Tokens held now (negative while a debt is being repaid). */
  level(nowUs: number): number {
    this.refill(nowUs);
    return this.tokens;
  }
}
