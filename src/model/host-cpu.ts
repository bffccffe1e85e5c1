/**
 * The host's CPU cores as one shared resource. Everything that runs on the host's CPUs
 * holds a core while it runs: a job thread submitting or reaping I/O (fio's thread in a
 * system call), and a device whose service is CPU work (a loop device's worker thread
 * copying pages, zram compressing them). On a 2-core machine four fio threads and a loop
 * worker compete for the same two cores, so a CPU-bound device's IOPS stops growing, or
 * falls, as jobs are added.
 *
 *   request(client, token) ──a core free?──yes──▶ client.onCore(token) … release()
 *                               └──no──▶ FIFO of waiting tasks ──▶ the next release grants one
 *
 * Discipline: first come first served; a thread keeps its core while it has work, up to a
 * time slice, then lets the next waiting thread in (and asks again); it gives the core back
 * as soon as it runs out of work (it blocks). Tasks are a few µs and slices a few ms, so
 * with more threads than cores a thread runs for a slice and then waits for one: most of
 * its I/Os see short latencies and those in flight when it is descheduled long ones, as
 * under Linux. Throughput is that of any work-conserving discipline: IOPS = min(n, c) / S
 * for n threads of CPU time S per I/O on c cores.
 *
 * Waking near the waker (`balanceUs` > 0): a thread woken by one that runs (a submit waking
 * the device's worker, the worker's completion waking the job thread) is queued on the
 * waker's core, as Linux's wake-affine placement does: it runs there when the waker
 * blocks, and moves to a free core only once it has waited `balanceUs` (load balancing).
 * Two threads that wake each other in short turns (fio at a low depth and a loop worker)
 * so share one core and run in turn; with long turns (deep queues) they spread over two.
 * Without it (the default) a free core is taken at once. Times in µs.
 */
import type { Handler, Kernel } from '../des/kernel.js';
import { IntQueue } from '../des/int-queue.js';
import { AS_DOUBLE } from '../util/double-field.js';
import * as events from './events.js';

const { PRIORITY_BALANCE } = events;

/** Time slice of a thread that keeps having work: Linux's scheduler gives a few ms. */
export const DEFAULT_SLICE_US = 4000;

/** A user of cores: told when the core it asked for is its own. */
export interface CoreClient {
  onCore(token: number): void;
}

export class HostCpu implements Handler {
  private busy = 0;
  private readonly waitingClient = new IntQueue(16);
  private readonly waitingToken = new IntQueue(16);
  /** With `balanceUs`: when each waiting task may take a free core (parallel to the queues). */
  private readonly eligibleUs: number[] = [];
  private readonly handler: number;
  private readonly clients: CoreClient[] = [];
  private lastUs = AS_DOUBLE;
  /** Busy core time since the start (µs × cores), never reset. */
  busyAreaTotal = AS_DOUBLE;
  private busyAtReset = 0;
  private statsFromUs = 0;

  /**
   * `sliceUs`: how long a thread that keeps having work keeps its core before it lets the
   * next waiting one in (the scheduler's time slice).
   */
  constructor(readonly cores: number, private readonly kernel: Kernel, readonly sliceUs = DEFAULT_SLICE_US, readonly balanceUs = 0) {
    if (!(cores >= 1) || !Number.isInteger(cores)) throw new Error(`a host needs a whole number of cores of at least 1, got ${cores}`);
    this.handler = balanceUs > 0 ? kernel.register(this) : -1;
    this.lastUs = 0;
    this.busyAreaTotal = 0;
  }

  /** Registers a client; the number it returns addresses the client in request(). */
  register(client: CoreClient): number {
    this.clients.push(client);
    return this.clients.length - 1;
  }

  /** Asks for a core: granted now (onCore is called before this returns) or when one frees. */
  request(client: number, token: number): void {
    if (this.busy < this.cores) {
      this.account();
      this.busy++;
      this.clients[client]!.onCore(token);
    } else {
      this.waitingClient.push(client);
      this.waitingToken.push(token);
      if (this.balanceUs > 0) this.eligibleUs.push(-Infinity);
    }
  }

  /**
   * Asks for a core for a thread woken by one that holds a core: it waits for the waker's
   * core, or for `balanceUs`, whichever frees it first (see the header).
   */
  requestNear(client: number, token: number): void {
    if (this.balanceUs <= 0 || this.busy === 0 || this.busy >= this.cores) return this.request(client, token);
    const now = this.kernel.nowUs;
    this.waitingClient.push(client);
    this.waitingToken.push(token);
    this.eligibleUs.push(now + this.balanceUs);
    this.kernel.at(now + this.balanceUs, this.handler, 0, PRIORITY_BALANCE);
  }

  /** A near-waker's wait is over: waiting tasks whose time has come take the free cores. */
  onEvent(): void {
    const now = this.kernel.nowUs;
    while (this.busy < this.cores && this.waitingClient.length > 0 && this.eligibleUs[0]! <= now) {
      this.eligibleUs.shift();
      this.account();
      this.busy++;
      const client = this.waitingClient.shift();
      this.clients[client]!.onCore(this.waitingToken.shift());
    }
  }

  /** Gives a core back; the longest-waiting task gets it at once. */
  release(): void {
    if (this.waitingClient.length > 0) {
      if (this.balanceUs > 0) this.eligibleUs.shift();
      const client = this.waitingClient.shift();
      this.clients[client]!.onCore(this.waitingToken.shift());
      return;
    }
    if (this.busy <= 0) throw new Error('host CPU: a core was released that was not held');
    this.account();
    this.busy--;
  }

  /** Tasks waiting for a core now. */
  get waiting(): number {
    return this.waitingClient.length;
  }

  private account(): void {
    const now = this.kernel.nowUs;
    if (now > this.lastUs) {
      this.busyAreaTotal += this.busy * (now - this.lastUs);
      this.lastUs = now;
    }
  }

  resetStats(): void {
    this.account();
    this.busyAtReset = this.busyAreaTotal;
    this.statsFromUs = this.kernel.nowUs;
  }

  /** Busy share of all cores over the measured window, 0..1. */
  utilization(): number {
    this.account();
    const span = this.kernel.nowUs - this.statsFromUs;
    return span > 0 ? (this.busyAreaTotal - this.busyAtReset) / (span * this.cores) : 0;
  }
}
