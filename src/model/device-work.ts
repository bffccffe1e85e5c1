/**
 * A device's own CPU work, done by kernel threads on the host's cores before the I/O
 * goes on to the device's slots: a loop device's worker copying pages to or from its
 * backing file, btrfs computing checksums. Each I/O costs CPU time per I/O plus per byte,
 * per direction; `threads` workers take I/Os in FIFO order, one at a time each. With a
 * host CPU model a worker holds a core while it works, keeps it for the next I/O of its
 * queue until its time slice is used up, and gives it back when it runs out of work. A
 * worker that found nothing to do went to sleep: the next I/O first pays its wake-up, CPU
 * time on the worker's core (on a virtual machine, mostly the idle core's exit and entry).
 *
 *   submit ──▶ [FIFO] ──a worker──▶ core ──▶ [wake-up if it slept] + perIo + size·perByte ──▶ next stage
 *
 * Work done in the submitting thread's own context (zram compresses inside the submit
 * call) is not a worker: the model adds it to the job thread's submit CPU (build.ts).
 * Times in µs.
 */
import type { Handler, Kernel } from '../des/kernel.js';
import { IntQueue } from '../des/int-queue.js';
import type { WorkerSpec } from '../scenario/types.js';
import type { CoreClient, HostCpu } from './host-cpu.js';
import type { IoTable } from './io-table.js';
import * as events from './events.js';

// module-local copies: the per-event paths read them without an imported binding's check
const { PRIORITY_WORK_DONE } = events;

/** The stage that takes an I/O when its CPU work is done. */
export interface AfterWork {
  afterWork(io: number): void;
}

export class DeviceWork implements Handler, CoreClient {
  private readonly queue = new IntQueue(64);
  private readonly handler: number;
  private readonly coreClient: number;
  private readonly perIoUs: [number, number];
  private readonly usPerByte: [number, number];
  readonly threads: number;
  /** Per worker: the I/O it works on (-1: asleep), whether it woke for it, whether it holds a core and since when. */
  private readonly current: Int32Array;
  private readonly woke: Uint8Array;
  private readonly holds: Uint8Array;
  private readonly sinceUs: Float64Array;
  private sleeping: number;
  /** Wake-ups paid so far (for tests and statistics). */
  wakeups = 0;
  /** I/Os in this stage: waiting for a worker or being worked on. */
  count = 0;
  /** Workers working (holding a core, when there is a host model). */
  private running = 0;
  private lastUs = 0;
  private busyAreaTotal = 0;

  constructor(
    private readonly spec: WorkerSpec,
    private readonly kernel: Kernel,
    private readonly ios: IoTable,
    private readonly host: HostCpu | undefined,
    private readonly next: AfterWork,
  ) {
    if (spec.threads === 'submitter') throw new Error('work in the submitting thread is issuing-side CPU, not a worker stage');
    this.threads = spec.threads;
    this.sleeping = spec.threads;
    this.current = new Int32Array(spec.threads).fill(-1);
    this.woke = new Uint8Array(spec.threads);
    this.holds = new Uint8Array(spec.threads);
    this.sinceUs = new Float64Array(spec.threads);
    this.perIoUs = [spec.read.perIoUs, spec.write.perIoUs];
    this.usPerByte = [spec.read.usPerByte, spec.write.usPerByte];
    this.handler = kernel.register(this);
    this.coreClient = host ? host.register(this) : -1;
  }

  /** True when a worker sleeps: the next I/O has to wake it. */
  get asleep(): boolean {
    return this.sleeping > 0;
  }

  submit(io: number): void {
    this.count++;
    if (this.sleeping === 0) {
      this.queue.push(io);
      return;
    }
    let w = 0;
    while (this.current[w] !== -1) w++;
    this.sleeping--;
    this.current[w] = io;
    this.woke[w] = 1;
    this.run(w);
  }

  /** Worker w goes on with its current I/O: on the core it holds, or once it gets one. */
  private run(w: number): void {
    const host = this.host;
    if (host === undefined) return this.onCore(w);
    if (this.holds[w] === 1) {
      if (this.kernel.nowUs - this.sinceUs[w]! < host.sliceUs) return this.work(w);
      this.holds[w] = 0;
      this.release();
    }
    // woken by a submit: near the submitting thread's core
    if (this.woke[w] === 1) host.requestNear(this.coreClient, w);
    else host.request(this.coreClient, w);
  }

  /** Token: the worker. A core is its own for up to a time slice. */
  onCore(w: number): void {
    if (this.holds[w] === 0) {
      this.account();
      this.running++;
      this.holds[w] = 1;
      this.sinceUs[w] = this.kernel.nowUs;
    }
    this.work(w);
  }

  private work(w: number): void {
    const io = this.current[w]!;
    const dir = this.ios.dir[io]! as 0 | 1;
    let cost = this.perIoUs[dir] + this.ios.sizeBytes[io]! * this.usPerByte[dir];
    if (this.woke[w] === 1 && this.spec.wakeUs > 0) {
      cost += this.spec.wakeUs;
      this.wakeups++;
    }
    this.woke[w] = 0;
    this.kernel.at(this.kernel.nowUs + cost, this.handler, w, PRIORITY_WORK_DONE);
  }

  /** Worker w finished its I/O: pass it on, then take the next one or go to sleep. */
  onEvent(w: number): void {
    const io = this.current[w]!;
    this.count--;
    if (this.queue.length > 0) {
      this.current[w] = this.queue.shift();
      this.run(w);
    } else {
      this.current[w] = -1;
      this.sleeping++;
      if (this.holds[w] === 1) {
        this.holds[w] = 0;
        this.release();
      }
    }
    this.next.afterWork(io);
  }

  private release(): void {
    this.account();
    this.running--;
    this.host?.release();
  }

  private account(): void {
    const now = this.kernel.nowUs;
    this.busyAreaTotal += this.running * (now - this.lastUs);
    this.lastUs = now;
  }

  /** Worker-busy time since the start, up to now (µs × workers). */
  busyArea(): number {
    this.account();
    return this.busyAreaTotal;
  }
}
