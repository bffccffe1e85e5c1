/**
 * A job thread replaying a block trace instead of drawing a synthetic pattern. The trace
 * comes from a synchronous source one batch at a time (trace-source.ts), so memory holds
 * one batch whatever the trace's length; each record goes through the same mapping fio's
 * replay gets (replay-map.ts: device filter, trims and syncs skipped, offsets onto
 * the job's span, gaps ÷ speed).
 *
 * Open loop (default) follows fio's read_iolog (iolog.c, iolog_delay): each I/O is due
 * the trace's gap after the previous one was issued; an I/O that falls due while iodepth
 * I/Os are in flight waits for a completion, and the gaps after it count from when it
 * was issued, so a stall delays the rest of the trace rather than being caught up in a
 * burst. Closed loop (fio's replay_no_stall) ignores the times and keeps iodepth in flight.
 *
 * The replay ends with the trace (the job's runtime then ends at its last completion, as
 * fio's does) or at the end of the job's window, whichever comes first.
 */
import type { Kernel } from '../des/kernel.js';
import * as events from './events.js';
import type { ReplayMapper } from './replay-map.js';
import type { ReplayRecord, TraceSource } from './trace-source.js';

// module-local copies: the per-event paths read them without an imported binding's check
const { EV_TRACE, PRIORITY_ARRIVAL, threadEvent } = events;

/** What the driver needs from its job thread. */
export interface ReplayThread {
  readonly index: number;
  /** Fewer than iodepth in flight, and the window is not over. */
  hasRoom(): boolean;
  inFlight(): number;
  issueIo(dir: number, sizeBytes: number, offsetBytes: number): void;
}

export class TraceDriver {
  private batch: readonly ReplayRecord[] = [];
  private next = 0;
  /** The mapper holds the next I/O to issue. */
  private ready = false;
  private exhausted = false;
  /** Open loop: the next I/O is due and waits for a slot. */
  private waiting = false;
  private dueUs = 0;
  /** When the trace's last I/O completed; undefined while the replay runs (or when the window cut it). */
  doneUs: number | undefined = undefined;
  /** I/Os that fell due with iodepth in flight, and how long they waited in all (µs). */
  stalls = 0;
  stallUs = 0;

  constructor(
    private readonly thread: ReplayThread,
    private readonly source: TraceSource,
    readonly mapper: ReplayMapper,
    private readonly closed: boolean,
    private readonly kernel: Kernel,
    private readonly router: number,
    private readonly endUs: number,
  ) {}

  start(): void {
    this.advance();
    if (this.closed) this.fill();
    else {
      this.dueUs = this.kernel.nowUs;
      this.issueDue();
    }
    this.checkDone();
  }

  /** Open loop: the next I/O's time has come. */
  onDue(): void {
    this.issueDue();
  }

  /** One of the thread's I/Os completed. */
  onSlotFree(): void {
    if (this.closed) this.fill();
    else if (this.waiting) this.issueDue();
    this.checkDone();
  }

  /** Records read so far that were bad and skipped (skipBad). */
  badRecords(): number {
    return this.source.badRecords();
  }

  private fill(): void {
    const m = this.mapper;
    while (this.ready && this.thread.hasRoom()) {
      this.thread.issueIo(m.dir, m.sizeBytes, m.offsetBytes);
      this.advance();
    }
  }

  private issueDue(): void {
    const m = this.mapper;
    const k = this.kernel;
    while (this.ready) {
      if (!this.thread.hasRoom()) {
        this.waiting = true;
        return;
      }
      const now = k.nowUs;
      if (this.waiting) {
        this.waiting = false;
        this.stalls++;
        this.stallUs += now - this.dueUs;
      }
      this.thread.issueIo(m.dir, m.sizeBytes, m.offsetBytes);
      this.advance();
      if (!this.ready) return;
      this.dueUs = now + m.gapUs;
      if (this.dueUs > now) {
        if (this.dueUs < this.endUs) k.at(this.dueUs, this.router, threadEvent(this.thread.index, EV_TRACE), PRIORITY_ARRIVAL);
        return;
      }
    }
  }

  /** Moves the mapper to the next replayed record, reading the next batch when this one is used up. */
  private advance(): void {
    for (;;) {
      if (this.next >= this.batch.length) {
        if (this.exhausted) break;
        this.batch = this.source.next();
        this.next = 0;
        if (this.batch.length === 0) {
          this.exhausted = true;
          break;
        }
      }
      if (this.mapper.accept(this.batch[this.next++]!)) {
        this.ready = true;
        return;
      }
    }
    this.ready = false;
  }

  private checkDone(): void {
    if (!this.ready && this.exhausted && this.doneUs === undefined && this.thread.inFlight() === 0) this.doneUs = this.kernel.nowUs;
  }
}
