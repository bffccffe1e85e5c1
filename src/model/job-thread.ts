/**
 * One fio job thread (a job × replica × numjobs clone) issuing I/O to a device.
 *
 * Closed loop: keeps `iodepth` I/Os in flight. Open loop (rate_iops): arrivals per
 * direction at the rate, linear or Poisson; an arrival that finds `iodepth` in flight
 * waits in a backlog, as fio delays it. Thinktime: after `thinktime_blocks` completions
 * the thread quiesces (waits for all in flight) and then sleeps, as fio's handle_thinktime.
 *
 * Issuing-side CPU: submitting and reaping each cost CPU time in the thread, served one
 * at a time in order, so QD1 IOPS is 1 / (submit + device + complete), not 1 / device.
 * A thread that slept (nothing to do) first spends its wake-up's CPU; with a host CPU model the
 * thread holds one of the host's cores while it works (host-cpu.ts).
 *
 *   issue ─[cpu submit]─▶ device ─▶ [cpu complete] ─▶ finish (stats, next issue)
 *   slat = submit wait+cost;  clat = device + reap;  lat = slat + clat   (fio's meanings)
 */
import type { Kernel } from '../des/kernel.js';
import { IntQueue } from '../des/int-queue.js';
import type { Rng } from '../random/rng.js';
import type { BlockSizeMix, CpuSpec, JobSpec } from '../scenario/types.js';
import type { IoStats } from '../stats/io-stats.js';
import { AddressGenerator } from './address.js';
import { exponential } from '../random/distributions.js';

import type { IoTable } from './io-table.js';
import { normalQuantile } from '../random/distributions.js';
import type { CoreClient, HostCpu } from './host-cpu.js';
import type { ReplayThread, TraceDriver } from './trace-driver.js';
import { AS_DOUBLE } from '../util/double-field.js';
import * as events from './events.js';
import type { ThreadEventKind } from './events.js';

// module-local copies: the per-event paths read them without an imported binding's check
const { EV_ARRIVAL_READ, EV_CPU_DONE, EV_CPU_START, EV_REFILL, EV_THINK_END, PRIORITY_ARRIVAL, PRIORITY_CPU, PRIORITY_REFILL, threadEvent } = events;

/** Where a thread's requests go: a device directly, a volume engine, or a cgroup throttle. */
export interface IoTarget {
  submit(io: number): void;
  /** CPU the submit call spends waking the target when it is idle (a device with a wake-up cost). */
  wakeCostUs?(): number;
}

/** A volume whose writes may cost their submission more (a first write after a snapshot). */
export interface SubmitCost {
  submitExtraUs(io: number): number;
}

export interface ThreadWindow {
  startUs: number;
  measureFromUs: number;
  endUs: number;
}

export class JobThread implements CoreClient, ReplayThread {
  /** Set by build.ts for a job that replays a trace: it decides what to issue and when. */
  replay: TraceDriver | undefined = undefined;
  private inflight = 0;
  /** Completions at any time (ramp included), for the timeline. */
  completions = 0;
  /** Time integral of I/Os in flight (µs × I/Os) since the start, for Little's law. */
  private inflightArea = AS_DOUBLE;
  private inflightSinceUs = AS_DOUBLE;
  private areaAtStart = 0;
  private areaAtEnd = 0;
  private draining = false;
  private thinking = false;
  private completedSinceThink = 0;
  private refillPending = false;
  private readonly backlog = [0, 0];
  /** CPU work waiting: submits (task io*2) and reaps (io*2+1), each in arrival order. */
  private readonly submitQueue = new IntQueue(8);
  private readonly reapQueue = new IntQueue(8);
  /** The queue the running batch came from. */
  private batchQueue: IntQueue = this.submitQueue;
  private cpuBusy = false;
  private readonly addresses: AddressGenerator;
  private readonly dirRng: Rng;
  /** Spread of each submit and reap's CPU time (a lognormal factor of mean 1), when cpu.cv > 0. */
  private cpuRng: Rng | undefined;
  private cvMu = 0;
  private cvSigma = 0;
  private readonly bsRng: Rng;
  private readonly arrivalRng: [Rng, Rng];
  private readonly submitUs: [number, number];
  private readonly completeUs: [number, number];
  private readonly callUs: number;
  private readonly wakeUs: number;
  /** The target charges a wake-up to the submit call that finds it idle. */
  private readonly wakesTarget: boolean;
  private readonly submitUsPerByte: [number, number];
  /** Cost of the CPU batch waiting for a host core. */
  private pendingCostUs = 0;
  private coreClient = -1;
  private holdsCore = false;
  private coreSinceUs = 0;
  /** The thread slept (had no CPU work) when the work now queued reached it. */
  private wakePending = false;
  private lastCostUs = 0;
  /** CPU time spent in the measured window (µs). */
  cpuBusyUs = 0;
  private readonly hasSubmitCost: boolean;
  private readonly hasCompleteCost: boolean;
  /** Tasks the CPU works on in its current call. */
  private batch = 0;
  private readonly depth: number;
  /** The window's edges as own fields: the per-I/O path reads them without another object. */
  private readonly measureFromUs: number;
  private readonly endUs: number;

  constructor(
    readonly index: number,
    /** Index of the volume the job addresses: devices tell sequential streams apart by it. */
    private readonly volume: number,
    private readonly spec: JobSpec,
    private readonly stats: [IoStats, IoStats],
    private readonly target: IoTarget,
    cpu: CpuSpec,
    private readonly kernel: Kernel,
    private readonly ios: IoTable,
    /** Kernel handler that routes thread events back here. */
    private readonly router: number,
    readonly window: ThreadWindow,
    rng: Rng,
    /** The volume, when its writes may cost their submission more; asked as each submission runs. */
    private readonly submitCost?: SubmitCost,
    /** The host's cores, when modelled: the thread holds one while it submits or reaps. */
    private readonly host?: HostCpu,
  ) {
    this.inflightArea = 0;
    this.inflightSinceUs = 0;
    this.addresses = new AddressGenerator(spec, rng.fork('address'));
    this.dirRng = rng.fork('direction');
    this.bsRng = rng.fork('bs');
    this.arrivalRng = [rng.fork('arrival-read'), rng.fork('arrival-write')];
    const cv = cpu.cv ?? 0;
    if (cv > 0) {
      // lognormal factor of mean 1: σ² = ln(1 + cv²), μ = −σ²/2
      this.cvSigma = Math.sqrt(Math.log(1 + cv * cv));
      this.cvMu = -(this.cvSigma * this.cvSigma) / 2;
      this.cpuRng = rng.fork('cpu');
    }
    this.submitUs = cpu.submitUs;
    this.completeUs = cpu.completeUs;
    this.callUs = spec.sync ? 0 : cpu.callUs; // a synchronous engine makes one call per I/O anyway
    const call = spec.sync ? cpu.callUs : 0;
    // synchronous engines: the call cost is simply part of each I/O's submit cost
    if (call > 0) this.submitUs = [cpu.submitUs[0] + call, cpu.submitUs[1] + call];
    this.wakeUs = cpu.wakeUs ?? 0;
    this.wakesTarget = target.wakeCostUs !== undefined;
    this.submitUsPerByte = cpu.submitUsPerByte ?? [0, 0];
    if (host) this.coreClient = host.register(this);
    this.hasSubmitCost = this.submitUs[0] > 0 || this.submitUs[1] > 0 || this.callUs > 0 || this.wakeUs > 0 || this.submitUsPerByte[0] > 0 || this.submitUsPerByte[1] > 0 || this.wakesTarget || submitCost !== undefined;
    // A thread that spends CPU on submits reaps in its own loop too, even when reaping is
    // free: a completion waits while the thread is busy submitting.
    this.hasCompleteCost = this.hasSubmitCost || this.completeUs[0] > 0 || this.completeUs[1] > 0;
    this.depth = spec.iodepth;
    this.measureFromUs = window.measureFromUs;
    this.endUs = window.endUs;
  }

  /** Called at window.startUs. */
  start(): void {
    if (this.replay) return this.replay.start();
    const rate = this.spec.rateIops;
    if (rate === undefined) {
      this.fill();
      return;
    }
    if (this.spec.readRatio > 0) this.scheduleArrival(0, true);
    if (this.spec.readRatio < 1) this.scheduleArrival(1, true);
  }

  /**
   * Linear pacing: one interval between arrivals, and a seeded random phase within the
   * first interval, since real job threads never start on the same microsecond (without
   * it, 200 paced replicas would all issue at the same instants). Poisson: exponential gaps.
   */
  private scheduleArrival(dir: number, first: boolean): void {
    const rate = this.spec.rateIops![dir === 0 ? 'read' : 'write'];
    const rng = this.arrivalRng[dir]!;
    const linear = this.spec.rateProcess === 'linear';
    const gap = linear ? (first ? rng.next() : 1) * (1e6 / rate) : exponential(rng, 1e6 / rate);
    const at = this.kernel.nowUs + gap;
    if (at < this.endUs) this.kernel.at(at, this.router, threadEvent(this.index, (EV_ARRIVAL_READ + dir) as ThreadEventKind), PRIORITY_ARRIVAL);
  }

  onArrival(dir: number): void {
    this.scheduleArrival(dir, false);
    if (this.inflight < this.depth && !this.draining && !this.thinking) this.issue(dir);
    else this.backlog[dir]!++;
  }

  private fill(): void {
    const end = this.endUs;
    while (this.inflight < this.depth && !this.draining && !this.thinking && this.kernel.nowUs < end) {
      this.issue(this.chooseDirection());
    }
  }

  private drainBacklog(): void {
    const end = this.endUs;
    while (this.inflight < this.depth && !this.draining && !this.thinking && this.kernel.nowUs < end) {
      if (this.backlog[0]! > 0) {
        this.backlog[0]!--;
        this.issue(0);
      } else if (this.backlog[1]! > 0) {
        this.backlog[1]!--;
        this.issue(1);
      } else return;
    }
  }

  private chooseDirection(): number {
    const r = this.spec.readRatio;
    if (r >= 1) return 0;
    if (r <= 0) return 1;
    return this.dirRng.next() < r ? 0 : 1;
  }

  private blockSize(mix: BlockSizeMix): number {
    const sizes = mix.sizesBytes;
    if (sizes.length === 1) return sizes[0]!;
    const u = this.bsRng.next();
    const cum = mix.cumulative;
    let i = 0;
    while (cum[i]! <= u && i < cum.length - 1) i++;
    return sizes[i]!;
  }

  private issue(dir: number): void {
    const size = this.blockSize(dir === 0 ? this.spec.bs.read : this.spec.bs.write);
    this.issueIo(dir, size, this.addresses.next(dir, size));
  }

  /** Fewer than iodepth in flight, and the window is not over (a replay asks before it issues). */
  hasRoom(): boolean {
    return this.inflight < this.depth && this.kernel.nowUs < this.endUs;
  }

  inFlight(): number {
    return this.inflight;
  }

  /** Issues one I/O now: the synthetic pattern's next, or a trace's. */
  issueIo(dir: number, size: number, offsetBytes: number): void {
    const ios = this.ios;
    const io = ios.alloc();
    ios.thread[io] = this.index;
    ios.owner[io] = this.volume;
    ios.dir[io] = dir;
    ios.sizeBytes[io] = size;
    ios.offsetBytes[io] = offsetBytes;
    ios.issuedUs[io] = this.kernel.nowUs;
    this.accountInflight();
    this.inflight++;
    if (this.hasSubmitCost) this.cpuPush(io * 2);
    else {
      ios.submittedUs[io] = this.kernel.nowUs;
      this.target.submit(io);
    }
  }

  /** The request is complete (device or volume). */
  onRequestDone(io: number): void {
    this.completions++;
    if (this.hasCompleteCost) this.cpuPush(io * 2 + 1);
    else this.finish(io);
  }

  private cpuPush(task: number): void {
    ((task & 1) === 0 ? this.submitQueue : this.reapQueue).push(task);
    if (this.cpuBusy) return;
    if (this.wakeUs > 0) this.wakePending = true;
    if (this.callUs > 0) {
      // Start once every event of this instant is in, so one call takes all that is ready.
      this.cpuBusy = true;
      this.kernel.at(this.kernel.nowUs, this.router, threadEvent(this.index, EV_CPU_START), PRIORITY_REFILL);
    } else this.cpuNext();
  }

  onCpuStart(): void {
    this.cpuNext();
  }

  /**
   * Starts the CPU on the next work: a submit if any waits, else a reap. Without a per-call
   * cost, one task at a time (fio's defaults: iodepth_batch_submit and
   * iodepth_batch_complete_max are 1); with one, every waiting task of that kind in one call
   * (an async engine submitting or reaping all that is ready), the call plus each task's time.
   */
  private cpuNext(): void {
    // As fio's loop: submit while below the depth, reap when there is nothing to submit
    // (fio reaps when its queue is full), so a reaped slot is refilled before the next reap.
    const q = this.submitQueue.length > 0 ? this.submitQueue : this.reapQueue;
    if (q.length === 0) {
      this.cpuBusy = false;
      if (this.holdsCore) {
        // nothing to do: the thread blocks and its core is free
        this.holdsCore = false;
        this.host!.release();
      }
      return;
    }
    this.cpuBusy = true;
    this.batchQueue = q;
    const kind = q.peek() & 1;
    let cost = this.taskCost(q.peek());
    let n = 1;
    if (this.callUs > 0) {
      cost += this.callUs;
      while (n < q.length) cost += this.taskCost(q.at(n++));
    }
    if (kind === 0 && this.submitCost !== undefined) for (let i = 0; i < n; i++) cost += this.submitCost.submitExtraUs(q.at(i) >> 1);
    if (this.wakePending) {
      // a thread that slept spends CPU getting back (on a virtual machine, an idle core's exit)
      cost += this.wakeUs;
      this.wakePending = false;
    }
    if (kind === 0 && this.wakesTarget) cost += this.target.wakeCostUs!();
    this.batch = n;
    this.lastCostUs = cost;
    // fio's slat is the time to submit: it starts when the thread gets to the I/O, not
    // when the I/O was wanted (queued behind this thread's other reaps and submits)
    if (kind === 0) for (let i = 0; i < n; i++) this.ios.issuedUs[q.at(i) >> 1] = this.kernel.nowUs;
    if (this.host === undefined) this.kernel.at(this.kernel.nowUs + cost, this.router, threadEvent(this.index, EV_CPU_DONE), PRIORITY_CPU);
    else this.runOnCore(cost);
  }

  /** CPU time of one submit (task & 1 = 0) or reap (1), without the call cost. */
  private taskCost(task: number): number {
    const io = task >> 1;
    const dir = this.ios.dir[io]! as 0 | 1;
    const cost = (task & 1) === 1 ? this.completeUs[dir] : this.submitUs[dir] + this.ios.sizeBytes[io]! * this.submitUsPerByte[dir];
    const rng = this.cpuRng;
    if (rng === undefined) return cost;
    return cost * Math.exp(this.cvMu + this.cvSigma * normalQuantile(rng.next() || Number.MIN_VALUE));
  }

  /** A host core is ours: run the batch on it. */
  onCore(): void {
    this.holdsCore = true;
    this.coreSinceUs = this.kernel.nowUs;
    this.kernel.at(this.kernel.nowUs + this.pendingCostUs, this.router, threadEvent(this.index, EV_CPU_DONE), PRIORITY_CPU);
  }

  /** Runs `cost` of CPU: on the core the thread holds while its slice lasts, else once it gets one. */
  private runOnCore(cost: number): void {
    const host = this.host!;
    this.pendingCostUs = cost;
    if (this.holdsCore) {
      if (this.kernel.nowUs - this.coreSinceUs < host.sliceUs) {
        this.kernel.at(this.kernel.nowUs + cost, this.router, threadEvent(this.index, EV_CPU_DONE), PRIORITY_CPU);
        return;
      }
      this.holdsCore = false;
      host.release();
    }
    // woken by a completion: near the core of the thread that completed it
    if (this.batchQueue === this.reapQueue) host.requestNear(this.coreClient, 0);
    else host.request(this.coreClient, 0);
  }

  onCpuDone(): void {
    const now = this.kernel.nowUs;
    if (now > this.window.measureFromUs && now <= this.window.endUs) this.cpuBusyUs += Math.min(this.lastCostUs, now - this.window.measureFromUs);
    const q = this.batchQueue;
    for (let i = this.batch; i > 0; i--) {
      const task = q.shift();
      const io = task >> 1;
      if ((task & 1) === 0) {
        this.ios.submittedUs[io] = this.kernel.nowUs;
        this.target.submit(io);
      } else this.finish(io);
    }
    this.cpuNext();
  }

  private finish(io: number): void {
    const ios = this.ios;
    const now = this.kernel.nowUs;
    if (now >= this.measureFromUs && now <= this.endUs) {
      const issued = ios.issuedUs[io]!;
      const submitted = ios.submittedUs[io]!;
      const slat = Math.round((submitted - issued) * 1000);
      const clat = Math.round((now - submitted) * 1000);
      this.stats[ios.dir[io]!]!.record(slat, clat, slat + clat, ios.sizeBytes[io]!);
    }
    ios.release(io);
    this.accountInflight();
    this.inflight--;
    if (this.spec.thinktimeUs > 0) {
      // Count now, decide once every completion of this instant is in (see PRIORITY_REFILL).
      if (!this.draining && ++this.completedSinceThink >= this.spec.thinktimeBlocks) {
        this.completedSinceThink = 0;
        this.draining = true;
      }
      if (!this.refillPending) {
        this.refillPending = true;
        this.kernel.at(now, this.router, threadEvent(this.index, EV_REFILL), PRIORITY_REFILL);
      }
      return;
    }
    if (this.replay) this.replay.onSlotFree();
    else if (this.spec.rateIops === undefined) this.fill();
    else this.drainBacklog();
  }

  /** Deferred refill of a thread with thinktime: quiesce and sleep, or issue more. */
  onRefill(): void {
    this.refillPending = false;
    if (this.draining) {
      if (this.inflight > 0) return;
      this.draining = false;
      this.thinking = true;
      this.kernel.at(this.kernel.nowUs + this.spec.thinktimeUs, this.router, threadEvent(this.index, EV_THINK_END), PRIORITY_ARRIVAL);
      return;
    }
    if (this.spec.rateIops === undefined) this.fill();
    else this.drainBacklog();
  }

  private accountInflight(): void {
    const now = this.kernel.nowUs;
    this.inflightArea += this.inflight * (now - this.inflightSinceUs);
    this.inflightSinceUs = now;
  }

  /** Window edges: called at measureFromUs and at endUs (scheduled by the simulation). */
  markWindow(edge: 'start' | 'end'): void {
    this.accountInflight();
    if (edge === 'start') this.areaAtStart = this.inflightArea;
    else this.areaAtEnd = this.inflightArea;
  }

  /** I/Os in flight (issued, not yet reaped), time-averaged over the measured window. */
  meanInflight(): number {
    const span = this.measuredRuntimeUs();
    return span > 0 ? (this.areaAtEnd - this.areaAtStart) / span : 0;
  }

  /** The measured window, shortened to the last completion of a replay whose trace ended first (fio's runtime). */
  measuredRuntimeUs(): number {
    const end = Math.min(this.endUs, this.replay?.doneUs ?? Infinity);
    return Math.max(0, end - this.measureFromUs);
  }

  onThinkEnd(): void {
    this.thinking = false;
    if (this.spec.rateIops === undefined) this.fill();
    else this.drainBacklog();
  }
}
