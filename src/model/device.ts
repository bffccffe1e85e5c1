/**
 * A device: `parallelism` service slots fed by one FIFO queue, behind an optional
 * throttle (IOPS and bandwidth caps, burst credits) that holds I/Os in FIFOs of its own.
 *
 *   submit ──▶ [throttle] ──tokens──▶ [worker] ──▶ [slot FIFO] ──slot free──▶ access ──▶ transfer ──▶ onDone
 *
 * Access: a draw from the direction's latency distribution, or from its sequential
 * latency when the I/O starts where the previous one the device started ended (same
 * volume): an HDD skips its seek and rotation. Transfer: size / bandwidth on one transfer
 * stage that every slot shares (transfer-stage.ts: processor sharing), so the device as a
 * whole never moves more than its bandwidth (a PCIe or SATA link, a disk's media rate);
 * the I/O keeps its slot while it transfers. A `table` latency depends on the I/Os at the
 * device and the block size (service-table.ts). Worker: the device's own CPU work on the
 * host's cores, when it has some (device-work.ts). Times in µs. Statistics are time
 * integrals over the measured window.
 */
import type { Handler, Kernel } from '../des/kernel.js';
import { IntQueue } from '../des/int-queue.js';
import type { Rng } from '../random/rng.js';
import type { DeviceSpec } from '../scenario/types.js';
import type { IoTable } from './io-table.js';
import { createSampler, type Sampler } from './latency.js';
import { Throttle, type CapUsage, type Gated } from './throttle.js';
import { TransferStage, type TransferClient } from './transfer-stage.js';
import { deviceBuckets } from './limits.js';
import { AS_DOUBLE } from '../util/double-field.js';
import { DeviceWork } from './device-work.js';
import type { HostCpu } from './host-cpu.js';
import type { LoadContext } from './service-table.js';
import * as events from './events.js';

// module-local copies: the per-event paths read them without an imported binding's check
const { PRIORITY_COMPLETION } = events;

/** Event argument: io * 2 + phase. */
const PHASE_DONE = 0;
const PHASE_TRANSFER = 1;

export interface DeviceStats {
  utilization: number;
  transferUtilization: number;
  /** Busy share of the worker threads, when the device has some. */
  workerUtilization?: number;
  meanQueueDepth: number;
  meanWaiting: number;
  completedIos: number;
  /** Use of each cap (IOPS, bandwidth, per direction, credits) over the window; absent without caps. */
  caps?: CapUsage[];
}

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

export class Device implements Handler, Gated, TransferClient {
  readonly name: string;
  readonly parallelism: number;
  private busy = 0;
  private readonly slotQueue = new IntQueue(64);
  private readonly samplers: [Sampler, Sampler];
  /** The load a table latency reads (set before each draw when one is used). */
  private readonly load: LoadContext = { depth: 0, sizeBytes: 0 };
  private readonly loadDependent: boolean;
  /** CPU work of the device's own threads, before the slots (worker.threads a number). */
  private readonly work: DeviceWork | undefined;
  /** Access latency of an I/O that continues the previous one; undefined = no such effect. */
  private readonly sequentialSamplers: [Sampler | undefined, Sampler | undefined];
  private readonly detectSequential: boolean;
  private lastVolume = -1;
  private lastEndBytes = -1;
  private readonly usPerByte: [number, number];
  private readonly stage: TransferStage;
  private transferAtReset = 0;
  private workAtReset = 0;
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
    /** The host's cores, when the scenario models them: a worker stage holds one while it works. */
    host?: HostCpu,
  ) {
    this.lastUs = 0;
    this.busyAreaTotal = 0;
    this.queueAreaTotal = 0;
    this.name = spec.name;
    this.parallelism = spec.parallelism;
    const never = new MissingDirection(spec.name);
    this.samplers = [
      spec.read ? createSampler(spec.read.latency, rng.fork('read'), this.load) : never,
      spec.write ? createSampler(spec.write.latency, rng.fork('write'), this.load) : never,
    ];
    this.loadDependent = spec.read?.latency.dist === 'table' || spec.write?.latency.dist === 'table';
    if (spec.worker && spec.worker.threads !== 'submitter') this.work = new DeviceWork(spec.worker, kernel, ios, host, this);
    const wakeUs = spec.wakeUs ?? 0;
    // the submitter wakes the device's worker when one sleeps; a device without workers when it is idle
    if (wakeUs > 0) {
      const work = this.work;
      this.wakeCostUs = work ? (): number => (work.asleep ? wakeUs : 0) : (): number => (this.outstanding === 0 ? wakeUs : 0);
    }
    this.sequentialSamplers = [
      spec.read?.sequentialLatency && createSampler(spec.read.sequentialLatency, rng.fork('read-sequential')),
      spec.write?.sequentialLatency && createSampler(spec.write.sequentialLatency, rng.fork('write-sequential')),
    ];
    this.detectSequential = this.sequentialSamplers.some((x) => x !== undefined);
    this.stage = new TransferStage(kernel, this);
    this.usPerByte = [1e6 / (spec.read?.bandwidthBytesPerSec ?? Infinity), 1e6 / (spec.write?.bandwidthBytesPerSec ?? Infinity)];
    const caps = deviceBuckets(spec);
    this.throttle = caps && new Throttle(caps.buckets, kernel, ios, this, caps.perDirection);
    this.handler = kernel.register(this);
  }

  /** Present only when the device has a wake-up cost, so job threads ask only then. */
  wakeCostUs?: () => number;

  /** I/Os at the device: in service, waiting for a slot, a worker or the throttle. */
  get outstanding(): number {
    return this.busy + this.slotQueue.length + (this.throttle?.waiting ?? 0) + (this.work?.count ?? 0);
  }

  /** The event argument is the I/O id * 2 + phase: access done (transfer next) or all done. */
  onEvent(arg: number): void {
    if ((arg & 1) === PHASE_TRANSFER) this.transfer(arg >> 1);
    else this.complete(arg >> 1);
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
    if (this.work !== undefined) this.work.submit(io);
    else if (this.busy < this.parallelism) this.start(io);
    else this.slotQueue.push(io);
  }

  /** The worker stage is done with the I/O: on to a slot. */
  afterWork(io: number): void {
    this.account();
    if (this.busy < this.parallelism) this.start(io);
    else this.slotQueue.push(io);
  }

  private start(io: number): void {
    this.busy++;
    const ios = this.ios;
    const dir = ios.dir[io]! as 0 | 1;
    let sampler = this.samplers[dir];
    if (this.detectSequential) {
      const offset = ios.offsetBytes[io]!;
      const volume = ios.owner[io]!;
      const seq = this.sequentialSamplers[dir];
      if (seq !== undefined && volume === this.lastVolume && offset === this.lastEndBytes) sampler = seq;
      this.lastVolume = volume;
      this.lastEndBytes = offset + ios.sizeBytes[io]!;
    }
    if (this.loadDependent) {
      this.load.depth = this.outstanding;
      this.load.sizeBytes = ios.sizeBytes[io]!;
    }
    const access = sampler.sample() + ios.extraUs[io]!;
    const phase = this.usPerByte[dir] > 0 ? PHASE_TRANSFER : PHASE_DONE;
    this.kernel.at(this.kernel.nowUs + access, this.handler, io * 2 + phase, PRIORITY_COMPLETION);
  }

  /** Access done: the data moves on the shared transfer stage. */
  private transfer(io: number): void {
    this.stage.start(io, this.ios.sizeBytes[io]! * this.usPerByte[this.ios.dir[io]! as 0 | 1]);
  }

  onTransferDone(io: number): void {
    this.complete(io);
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
      this.queueAreaTotal += (busy + this.slotQueue.length + (throttle === undefined ? 0 : throttle.waiting) + (this.work === undefined ? 0 : this.work.count)) * dt;
      this.lastUs = now;
    }
  }

  /** Time the transfer stage has been busy since the start, up to now. */
  private stageBusyNow(): number {
    return this.stage.busyAreaTotal + (this.stage.activeCount > 0 ? this.kernel.nowUs - this.stage.lastActivityUs : 0);
  }

  /** Starts the measured window now (end of ramp). */
  resetStats(): void {
    this.account();
    this.statsFromUs = this.kernel.nowUs;
    this.busyAtReset = this.busyAreaTotal;
    this.transferAtReset = this.stageBusyNow();
    this.workAtReset = this.work?.busyArea() ?? 0;
    this.throttle?.resetStats();
    this.queueAtReset = this.queueAreaTotal;
    this.completedIos = 0;
  }

  stats(): DeviceStats {
    this.account();
    const span = this.kernel.nowUs - this.statsFromUs;
    const caps = this.throttle ? { caps: this.throttle.usage() } : {};
    if (span <= 0) return { utilization: 0, transferUtilization: 0, meanQueueDepth: 0, meanWaiting: 0, completedIos: this.completedIos, ...caps };
    const inService = (this.busyAreaTotal - this.busyAtReset) / span;
    const waiting = (this.queueAreaTotal - this.queueAtReset) / span - inService;
    const transfer = (this.stageBusyNow() - this.transferAtReset) / span;
    const worker = this.work ? { workerUtilization: (this.work.busyArea() - this.workAtReset) / (span * this.work.threads) } : {};
    return { utilization: inService / this.parallelism, transferUtilization: Math.min(1, Math.max(0, transfer)), meanQueueDepth: inService + waiting, meanWaiting: waiting, completedIos: this.completedIos, ...caps, ...worker };
  }
}
