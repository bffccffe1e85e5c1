/**
 * A device's own CPU work, done by kernel threads on the host's cores before the I/O
 * goes on to the device's slots: a loop device's worker copying pages to or from its
 * backing file, btrfs computing checksums. Each I/O costs CPU time per I/O plus per byte,
 * per direction; `threads` workers take I/Os in FIFO order, one at a time each, and each
 * holds a host core while it works (when the scenario has a host CPU model). A worker
 * that found nothing to do went to sleep: the next I/O first waits for its wake-up.
 *
 *   submit ──▶ [FIFO] ──a worker free──▶ [wake-up delay if it slept] ──core──▶ perIo + size·perByte ──▶ next stage
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

const PRIORITY_WORK_DONE = 0;
const PHASE_DONE = 0;
const PHASE_WOKEN = 1;

/** The stage that takes an I/O when its CPU work is done. */
export interface AfterWork {
  afterWork(io: number): void;
}

export class DeviceWork implements Handler, CoreClient {
  private idleWorkers: number;
  private readonly queue = new IntQueue(64);
  private readonly handler: number;
  private readonly coreClient: number;
  private readonly perIoUs: [number, number];
  private readonly usPerByte: [number, number];
  /** Wake-ups paid so far (for tests and statistics). */
  wakeups = 0;
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
    this.idleWorkers = spec.threads;
    this.perIoUs = [spec.read.perIoUs, spec.write.perIoUs];
    this.usPerByte = [spec.read.usPerByte, spec.write.usPerByte];
    this.handler = kernel.register(this);
    this.coreClient = host ? host.register(this) : -1;
  }

  /** I/Os in this stage: waiting for a worker or being worked on. */
  count = 0;

  submit(io: number): void {
    this.count++;
    if (this.idleWorkers > 0) {
      this.idleWorkers--;
      this.begin(io, true);
    } else this.queue.push(io);
  }

  /**
   * A worker takes the I/O. One that slept runs after its wake-up (a delay in which it
   * holds no core: the scheduler getting to it), then asks for a core.
   */
  private begin(io: number, woke: boolean): void {
    if (woke && this.spec.wakeUs > 0) {
      this.wakeups++;
      this.kernel.at(this.kernel.nowUs + this.spec.wakeUs, this.handler, io * 2 + PHASE_WOKEN, PRIORITY_WORK_DONE);
    } else this.requestCore(io);
  }

  private requestCore(io: number): void {
    if (this.host === undefined) this.onCore(io);
    else this.host.request(this.coreClient, io);
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

  get threads(): number {
    return this.spec.threads as number;
  }

  /** The token is the I/O: a core is the worker's, it works on the I/O. */
  onCore(io: number): void {
    this.account();
    this.running++;
    const dir = this.ios.dir[io]! as 0 | 1;
    const cost = this.perIoUs[dir] + this.ios.sizeBytes[io]! * this.usPerByte[dir];
    this.kernel.at(this.kernel.nowUs + cost, this.handler, io * 2 + PHASE_DONE, PRIORITY_WORK_DONE);
  }

  /** Event argument io * 2 + phase: the woken worker wants a core, or the work is done. */
  onEvent(arg: number): void {
    if ((arg & 1) === PHASE_WOKEN) this.requestCore(arg >> 1);
    else this.done(arg >> 1);
  }

  /** The worker finished `io`: pass it on, then take the next one or go to sleep. */
  private done(io: number): void {
    this.account();
    this.running--;
    this.host?.release();
    if (this.queue.length > 0) this.begin(this.queue.shift(), false);
    else this.idleWorkers++;
    this.count--;
    this.next.afterWork(io);
  }
}
