/**
 * A device: `parallelism` service slots fed by one FIFO queue, behind optional token
 * buckets (IOPS and bandwidth caps) that hold I/Os in a FIFO of their own.
 *
 *   submit ──▶ [throttle FIFO] ──tokens──▶ [slot FIFO] ──slot free──▶ service ──▶ onDone
 *
 * Service time = a draw from the direction's latency distribution + size / bandwidth.
 * Times in µs. Statistics are time integrals over the measured window.
 */
import type { Handler, Kernel } from '../des/kernel.js';
import { IntQueue } from '../des/int-queue.js';
import type { Rng } from '../random/rng.js';
import type { DeviceSpec } from '../scenario/types.js';
import type { IoTable } from './io-table.js';
import { createSampler, type Sampler } from './latency.js';
import { TokenBucket } from './token-bucket.js';

const PRIORITY_COMPLETION = 0;
const PRIORITY_THROTTLE = 1;
/** Event argument of a throttle wake-up; completions carry the I/O id (>= 0). */
const WAKE = -1;

/** Who hears of finished I/Os. */
export interface DeviceClient {
  onDeviceDone(io: number): void;
}

class MissingDirection implements Sampler {
  constructor(private readonly device: string) {}
  sample(): number {
    throw new Error(`device ${this.device} has no latency for this direction`);
  }
}

export class Device implements Handler {
  readonly name: string;
  readonly parallelism: number;
  private busy = 0;
  private readonly slotQueue = new IntQueue(64);
  private readonly gateQueue = new IntQueue(16);
  private readonly samplers: [Sampler, Sampler];
  private readonly usPerByte: [number, number];
  private readonly iopsBucket: TokenBucket | undefined;
  private readonly bwBucket: TokenBucket | undefined;
  private readonly handler: number;
  private wakePending = false;
  // statistics over the measured window
  private statsFromUs = 0;
  private lastUs = 0;
  private busyArea = 0;
  private waitingArea = 0;
  completedIos = 0;

  constructor(
    spec: DeviceSpec,
    private readonly kernel: Kernel,
    private readonly ios: IoTable,
    rng: Rng,
    private readonly client: DeviceClient,
  ) {
    this.name = spec.name;
    this.parallelism = spec.parallelism;
    const never = new MissingDirection(spec.name);
    this.samplers = [
      spec.read ? createSampler(spec.read.latency, rng.fork('read')) : never,
      spec.write ? createSampler(spec.write.latency, rng.fork('write')) : never,
    ];
    this.usPerByte = [1e6 / (spec.read?.bandwidthBytesPerSec ?? Infinity), 1e6 / (spec.write?.bandwidthBytesPerSec ?? Infinity)];
    const { iops, bandwidth } = spec.limits;
    this.iopsBucket = iops && new TokenBucket(iops.rateIops, iops.burstIos);
    this.bwBucket = bandwidth && new TokenBucket(bandwidth.bytesPerSec, bandwidth.burstBytes);
    this.handler = kernel.register(this);
  }

  onEvent(arg: number): void {
    if (arg === WAKE) this.wake();
    else this.complete(arg);
  }

  submit(io: number): void {
    this.account();
    if (this.iopsBucket === undefined && this.bwBucket === undefined) {
      this.enqueue(io);
      return;
    }
    this.gateQueue.push(io);
    if (this.gateQueue.length === 1) this.wake();
  }

  private enqueue(io: number): void {
    if (this.busy < this.parallelism) this.start(io);
    else this.slotQueue.push(io);
  }

  private start(io: number): void {
    this.busy++;
    const dir = this.ios.dir[io]!;
    const service = this.samplers[dir as 0 | 1].sample() + this.ios.sizeBytes[io]! * this.usPerByte[dir as 0 | 1];
    this.kernel.at(this.kernel.nowUs + service, this.handler, io, PRIORITY_COMPLETION);
  }

  private complete(io: number): void {
    this.account();
    this.busy--;
    this.completedIos++;
    if (this.slotQueue.length > 0) this.start(this.slotQueue.shift());
    this.client.onDeviceDone(io);
  }

  /** Lets through as many throttled I/Os as the buckets allow, then sleeps until the next can pass. */
  private wake(): void {
    this.wakePending = false;
    this.account();
    const now = this.kernel.nowUs;
    while (this.gateQueue.length > 0) {
      const io = this.gateQueue.peek();
      const size = this.ios.sizeBytes[io]!;
      const wait = Math.max(this.iopsBucket?.waitUs(1, now) ?? 0, this.bwBucket?.waitUs(size, now) ?? 0);
      if (wait > 0) {
        if (!this.wakePending) {
          this.wakePending = true;
          this.kernel.at(now + wait, this.handler, WAKE, PRIORITY_THROTTLE);
        }
        return;
      }
      this.iopsBucket?.take(1, now);
      this.bwBucket?.take(size, now);
      this.gateQueue.shift();
      this.enqueue(io);
    }
  }

  private account(): void {
    const now = this.kernel.nowUs;
    const dt = now - this.lastUs;
    if (dt > 0) {
      this.busyArea += this.busy * dt;
      this.waitingArea += (this.slotQueue.length + this.gateQueue.length) * dt;
      this.lastUs = now;
    }
  }

  /** Starts the measured window now (end of ramp). */
  resetStats(): void {
    this.account();
    this.statsFromUs = this.kernel.nowUs;
    this.busyArea = 0;
    this.waitingArea = 0;
    this.completedIos = 0;
  }

  stats(): { utilization: number; meanQueueDepth: number; meanWaiting: number; completedIos: number } {
    this.account();
    const span = this.kernel.nowUs - this.statsFromUs;
    if (span <= 0) return { utilization: 0, meanQueueDepth: 0, meanWaiting: 0, completedIos: this.completedIos };
    const inService = this.busyArea / span;
    const waiting = this.waitingArea / span;
    return { utilization: inService / this.parallelism, meanQueueDepth: inService + waiting, meanWaiting: waiting, completedIos: this.completedIos };
  }
}
