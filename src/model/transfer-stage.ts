/**
 * A device's transfer stage: its bandwidth, shared by every transfer in progress
 * (processor sharing). A link or bus interleaves the data of all commands in small
 * packets, so n transfers each move at 1/n of the rate, a 4 KiB transfer beside a 1 MiB
 * one is not held behind all of it, and the stage as a whole never moves more than the
 * bandwidth. Work is in µs of exclusive use (size / bandwidth of the I/O's direction).
 *
 * Virtual time V advances at 1/n per µs while n transfers are active; a transfer that
 * starts at V0 with work w ends when V reaches V0 + w. One wake-up is scheduled at a
 * time, for the earliest end; an arrival that moves it sends a new one and the old
 * one, recognised by its sequence number, is ignored.
 */
import type { Handler, Kernel } from '../des/kernel.js';
import { EventHeap } from '../des/event-heap.js';
import { AS_DOUBLE } from '../util/double-field.js';
import * as events from './events.js';

// module-local copies: the per-event paths read them without an imported binding's check
const { PRIORITY_TRANSFER } = events;

export interface TransferClient {
  /** The transfer of I/O `io` ended. */
  onTransferDone(io: number): void;
}

export class TransferStage implements Handler {
  /** Active transfers by virtual end time. */
  private readonly active = new EventHeap();
  private virtualUs = AS_DOUBLE;
  private lastUs = AS_DOUBLE;
  private wakeSeq = 0;
  private readonly handler: number;
  /** Transfers ending at this wake-up (reused: a client never starts a transfer synchronously). */
  private readonly done: number[] = [];
  /** Time with at least one transfer active since the start (µs), never reset. */
  busyAreaTotal = AS_DOUBLE;

  constructor(private readonly kernel: Kernel, private readonly client: TransferClient) {
    this.virtualUs = 0;
    this.lastUs = 0;
    this.busyAreaTotal = 0;
    this.handler = kernel.register(this);
  }

  /** When virtual time and the busy integral were last brought up to date. */
  get lastActivityUs(): number {
    return this.lastUs;
  }

  get activeCount(): number {
    return this.active.size;
  }

  /** Brings virtual time and the busy integral up to now. */
  private advance(): void {
    const now = this.kernel.nowUs;
    const n = this.active.size;
    if (n > 0 && now > this.lastUs) {
      this.virtualUs += (now - this.lastUs) / n;
      this.busyAreaTotal += now - this.lastUs;
    }
    this.lastUs = now;
  }

  start(io: number, workUs: number): void {
    this.advance();
    this.active.push(this.virtualUs + workUs, 0, 0, io);
    this.schedule();
  }

  private schedule(): void {
    const end = this.active.peekTime();
    if (end === undefined) return;
    const now = this.kernel.nowUs;
    const at = now + Math.max(0, end - this.virtualUs) * this.active.size;
    this.kernel.at(at > now ? at : now, this.handler, ++this.wakeSeq, PRIORITY_TRANSFER);
  }

  onEvent(seq: number): void {
    if (seq !== this.wakeSeq) return; // superseded by a later arrival
    this.advance();
    // Everything whose virtual end has come, or is closer than the clock can resolve
    // (else a wake-up could be set for now again and again).
    const done = this.done;
    const now = this.kernel.nowUs;
    while (this.active.size > 0) {
      const left = this.active.peekTime()! - this.virtualUs;
      if (left > 1e-9 && now + left * this.active.size > now) break;
      done.push(this.active.topArg());
      this.active.pop();
    }
    this.schedule();
    for (let i = 0; i < done.length; i++) this.client.onTransferDone(done[i]!);
    done.length = 0;
  }
}
