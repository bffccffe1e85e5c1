/**
 * A device: `parallelism` service slots fed by one FIFO queue, behind an optional
 * throttle (IOPS and bandwidth caps, burst credits) that holds I/Os in FIFOs of its own.
 *
 *   submit ──▶ [throttle] ──tokens──▶ [slot FIFO] ──slot free──▶ service ──▶ onDone
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
import { Throttle, type Gated } from './throttle.js';
import { deviceBuckets } from './limits.js';
import { AS_DOUBLE } from '../util/double-field.js';

const PRIORITY_COMPLETION = 0;

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

export class Device implements Handler, Gated {
  readonly name: string;
  readonly parallelism: number;
  private busy = 0;
  private readonly slotQueue = new IntQueue(64);
  private readonly samplers: [Sampler, Sampler];
  private readonly usPerByte: [number, number];
  private readonly throttle: Throttle | undefined;
  private readonly handler: number;
  // statistics over the measured window
  private statsFromUs = 0;
  private lastUs = AS_DOUBLE;
  private busyAtReset = 0;
  private queueAtReset = 0;
  /** Busy-slot time since the start (µs × slots), never reset: the timeline reads it. */
  busyAreaTotal = AS_DOUBLE;
  /** I/Os at the device (in service and waiting) integrated since the start, never reset. */
  queueAreaTotal = AS_DOUBLE;
  completedIos = 0;

  constructor(
    spec: DeviceSpec,
    private readonly kernel: Kernel,
    private readonly ios: IoTable,
    rng: Rng,
    private readonly client: DeviceClient,
  ) {
    this.lastUs = 0;
    this.busyAreaTotal = 0;
    this.queueAreaTotal = 0;
    this.name = spec.name;
    this.parallelism = spec.parallelism;
    const never = new MissingDirection(spec.name);
    this.samplers = [
      spec.read ? createSampler(spec.read.latency, rng.fork('read')) : never,
      spec.write ? createSampler(spec.write.latency, rng.fork('write')) : never,
    ];
    this.usPerByte = [1e6 / (spec.read?.bandwidthBytesPerSec ?? Infinity), 1e6 / (spec.write?.bandwidthBytesPerSec ?? Infinity)];
    const caps = deviceBuckets(spec);
    this.throttle = caps && new Throttle(caps.buckets, kernel, ios, this, caps.perDirection);
    this.handler = kernel.register(this);
  }

  /** I/Os at the device: in service, waiting for a slot or for the throttle. */
  get outstanding(): number {
    return this.busy + this.slotQueue.length + (this.throttle?.waiting ?? 0);
  }

  /** A completion: the event argument is the I/O id. */
  onEvent(io: number): void {
    this.complete(io);
  }

  submit(io: number): void {
    if (this.throttle === undefined) this.afterThrottle(io);
    else {
      this.account();
      this.throttle.submit(io);
    }
  }

  afterThrottle(io: number): void {
    this.account();
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

  account(): void {
    const now = this.kernel.nowUs;
    const dt = now - this.lastUs;
    if (dt > 0) {
      const busy = this.busy;
      const throttle = this.throttle;
      this.busyAreaTotal += busy * dt;
      this.queueAreaTotal += (busy + this.slotQueue.length + (throttle === undefined ? 0 : throttle.waiting)) * dt;
      this.lastUs = now;
    }
  }

  /** Starts the measured window now (end of ramp). */
  resetStats(): void {
    this.account();
    this.statsFromUs = this.kernel.nowUs;
    this.busyAtReset = this.busyAreaTotal;
    this.queueAtReset = this.queueAreaTotal;
    this.completedIos = 0;
  }

  stats(): { utilization: number; meanQueueDepth: number; meanWaiting: number; completedIos: number } {
    this.account();
    const span = this.kernel.nowUs - this.statsFromUs;
    if (span <= 0) return { utilization: 0, meanQueueDepth: 0, meanWaiting: 0, completedIos: this.completedIos };
    const inService = (this.busyAreaTotal - this.busyAtReset) / span;
    const waiting = (this.queueAreaTotal - this.queueAtReset) / span - inService;
    return { utilization: inService / this.parallelism, meanQueueDepth: inService + waiting, meanWaiting: waiting, completedIos: this.completedIos };
  }
}
