/**
 * A throttle: token buckets in front of something, holding I/Os that may not pass yet in
 * one FIFO (device and volume caps: arrival order), or one FIFO per direction (cgroup
 * io.max: a capped direction never blocks the other). An I/O passes when every bucket of
 * its direction has room; it then takes from all of them. Used for device and volume caps, cloud burst credits and
 * per-container cgroup limits.
 */
import type { Handler, Kernel } from '../des/kernel.js';
import { IntQueue } from '../des/int-queue.js';
import type { IoTable } from './io-table.js';
import type { TokenBucket } from './token-bucket.js';
import type { CapUsage } from '../results/types.js';
import * as events from './events.js';

// module-local copies: the per-event paths read them without an imported binding's check
const { PRIORITY_THROTTLE } = events;

export type { CapUsage };

/** A bucket and what one I/O costs in it: 1 token, or its size in bytes. */
export interface Metered {
  bucket: TokenBucket;
  perByte: boolean;
  /** What the cap is, for reports: "iops", "bandwidth", "write iops", "credits", "riops", ... */
  label: string;
  /** Burst credits: usage is the share of the balance spent, not a rate. */
  credits?: boolean;
}

export interface Gated {
  /** The I/O has passed the throttle. */
  afterThrottle(io: number): void;
}

export class Throttle implements Handler {
  private readonly queues = [new IntQueue(8), new IntQueue(8)];
  private readonly handler: number;
  private wakeAtUs = -1;
  private statsFromUs = 0;
  private takenAtReset: number[] = [];
  private levelAtReset: number[] = [];

  constructor(
    /** Buckets per direction (0 read, 1 write); a bucket may serve both. */
    private readonly buckets: [Metered[], Metered[]],
    private readonly kernel: Kernel,
    private readonly ios: IoTable,
    private readonly next: Gated,
    private readonly perDirection: boolean,
  ) {
    this.handler = kernel.register(this);
  }

  /** Distinct buckets of both directions, in declaration order. */
  private distinct(): Metered[] {
    const out: Metered[] = [];
    for (const list of this.buckets) for (const m of list) if (!out.some((o) => o.bucket === m.bucket)) out.push(m);
    return out;
  }

  /** Starts the measured window now. */
  resetStats(): void {
    this.statsFromUs = this.kernel.nowUs;
    this.takenAtReset = this.distinct().map((m) => m.bucket.takenTotal);
    this.levelAtReset = this.distinct().map((m) => m.bucket.level(this.statsFromUs));
  }

  /**
   * Use of each cap over the measured window: tokens the window's refill paid for, over the
   * rate × window (what the bucket held at the start of the window does not count, so a
   * saturated cap reads 1, never more).
   */
  usage(): CapUsage[] {
    const now = this.kernel.nowUs;
    const spanUs = now - this.statsFromUs;
    return this.distinct().map((m, i) => {
      const b = m.bucket;
      if (m.credits) return { cap: m.label, utilization: Math.min(1, Math.max(0, 1 - b.level(now) / b.capacity)) };
      const taken = b.takenTotal - (this.takenAtReset[i] ?? 0);
      const fromRefill = taken - ((this.levelAtReset[i] ?? b.capacity) - b.level(now));
      return { cap: m.label, utilization: spanUs > 0 ? Math.max(0, fromRefill) / ((b.ratePerSec * spanUs) / 1e6) : 0 };
    });
  }

  get waiting(): number {
    return this.queues[0]!.length + this.queues[1]!.length;
  }

  submit(io: number): void {
    const q = this.queues[this.perDirection ? this.ios.dir[io]! : 0]!;
    if (q.length === 0 && this.waitFor(io) === 0) {
      this.take(io);
      this.next.afterThrottle(io);
      return;
    }
    q.push(io);
    // Behind a head that already waits for a scheduled wake-up, it cannot pass sooner.
    if (q.length > 1 && this.wakeAtUs > this.kernel.nowUs) return;
    this.onEvent();
  }

  private waitFor(io: number): number {
    const now = this.kernel.nowUs;
    const size = this.ios.sizeBytes[io]!;
    let wait = 0;
    for (const m of this.buckets[this.ios.dir[io]!]!) wait = Math.max(wait, m.bucket.waitUs(m.perByte ? size : 1, now));
    return wait;
  }

  private take(io: number): void {
    const now = this.kernel.nowUs;
    const size = this.ios.sizeBytes[io]!;
    for (const m of this.buckets[this.ios.dir[io]!]!) m.bucket.take(m.perByte ? size : 1, now);
  }

  /** Lets through what may pass, then sleeps until the next head of line could. */
  onEvent(): void {
    const now = this.kernel.nowUs;
    let nextWait = Infinity;
    for (const q of this.queues) {
      while (q.length > 0) {
        const io = q.peek();
        const wait = this.waitFor(io);
        if (wait > 0) {
          nextWait = Math.min(nextWait, wait);
          break;
        }
        q.shift();
        this.take(io);
        this.next.afterThrottle(io);
      }
    }
    if (nextWait === Infinity) return;
    // Always a later instant, even where the clock's resolution exceeds the wait.
    const at = Math.max(now + nextWait, now + now * Number.EPSILON);
    if (this.wakeAtUs <= now || at < this.wakeAtUs) {
      this.wakeAtUs = at;
      this.kernel.at(at, this.handler, 0, PRIORITY_THROTTLE);
    }
  }
}
