/**
 * blkparse's default text output (`blkparse -i dev`; blktrace's blkparse_fmt.c):
 *
 *   dev     cpu  seq       time         pid  act rwbs  rest
 *   8,0      3     1   0.000000000     697   Q  WS   3417048 + 8 [kjournald]
 *   8,0      3     5   0.000012000     697   D  WS   3417048 + 8 [kjournald]
 *   8,0      1     6   0.000343180       0   C  WS   3417048 + 8 [0]
 *   CPU0 (8,0):                                      the summary: ignored to the end
 *
 * A record is an I/O issued to the device (D), with its completion (C, matched by device,
 * sector and length) when the trace has one; a requeue (R) cancels the issue it
 * requeues, and the I/O counts when it is issued again. Other actions (Q, G, I, M, P,
 * U, A, X, ...) carry nothing the record needs. RWBS: D = discard (trim), W = write,
 * R = read, N = no data; a leading F is a flush, so "FN" is a flush alone (a sync
 * record) and "FWS" a write with a flush before it. Passthrough (pc) requests, which
 * have no sector, are ignored. `-t` adds "(elapsed)" before the name; it is skipped.
 *
 * Records are emitted in issue order once complete, so the parser holds back the I/Os
 * in flight; at most MAX_HELD, after which the oldest is emitted without a completion.
 */
import { excerpt, FieldSplitter, parseUintAt } from './fields.js';
import type { LineParser } from './line-parser.js';
import type { TraceCapabilities, TraceDirection, TraceRecord } from './record.js';

export const MAX_HELD = 65536;
const SECTOR_BYTES = 512;

interface Held {
  rec: TraceRecord;
  /** 0 waiting for its completion, 1 complete, 2 requeued (dropped). */
  state: 0 | 1 | 2;
  /** Next held I/O at the same device and sector (rare). */
  next: Held | undefined;
}

const SUMMARY_START = /^(CPU\d+|Total) \(/;

export class BlkparseParser implements LineParser {
  readonly format = 'blkparse' as const;
  private readonly f = new FieldSplitter();
  private readonly byDevice = new Map<string, Map<number, Held>>();
  private queue: Held[] = [];
  private head = 0;
  private lastDevice = '';
  private inSummary = false;
  private completed = 0;
  private orphanCompletions = 0;
  private forced = 0;
  private ignoredPc = 0;
  private requeued = 0;

  parse(text: string, from: number, to: number, line: number, out: TraceRecord[]): string | undefined {
    const f = this.f;
    const n = f.splitBlank(text, from, to);
    if (n === 0) return undefined;
    if (!isDevice(f)) {
      if (this.inSummary || SUMMARY_START.test(f.line())) {
        this.inSummary = true;
        return undefined;
      }
      return `not a blkparse event line (expected "major,minor cpu sequence seconds.nanoseconds pid action ..."), got ${excerpt(f.line())}`;
    }
    if (n < 6) return `a blkparse event line has at least 6 fields, got ${excerpt(f.line())}`;
    const timeUs = f.secondsAsUs(3);
    if (timeUs < 0) return `expected a time in seconds as the fourth field, got ${excerpt(f.field(3))}`;
    this.inSummary = false;
    if (f.is(5, 'D')) return this.issue(timeUs, line, out);
    if (f.is(5, 'C')) return this.complete(timeUs, out);
    if (f.is(5, 'R')) return this.requeue(out);
    return undefined;
  }

  private issue(timeUs: number, line: number, out: TraceRecord[]): string | undefined {
    const f = this.f;
    const kind = rwbsKind(f.field(6));
    if (kind === undefined) return `unknown RWBS ${excerpt(f.field(6))}`;
    const io = this.ioPart(true);
    if (io === 'bad') return `expected "sector + sectors [process]" after the RWBS, got ${excerpt(f.line())}`;
    if (io === 'pc') {
      this.ignoredPc++;
      return undefined;
    }
    if (kind === 'none') return undefined; // no data and no flush
    let direction: TraceDirection;
    if (io.sectors === 0) {
      if (kind !== 'flush') return undefined; // a request without data and without a flush
      direction = 'sync';
    } else if (kind === 'flush') return `a flush without data (RWBS ${excerpt(f.field(6))}) cannot have ${io.sectors} sectors`;
    else direction = kind;
    const device = f.intern(0, this.lastDevice);
    this.lastDevice = device;
    const rec: TraceRecord = { timeUs, offsetBytes: io.sector * SECTOR_BYTES, sizeBytes: io.sectors * SECTOR_BYTES, direction, file: device, completeUs: undefined, line };
    const held: Held = { rec, state: 0, next: undefined };
    let map = this.byDevice.get(device);
    if (!map) this.byDevice.set(device, (map = new Map()));
    const key = keyOf(io.sector, io.sectors);
    const first = map.get(key);
    if (first === undefined) map.set(key, held);
    else {
      let h = first;
      while (h.next) h = h.next;
      h.next = held;
    }
    this.queue.push(held);
    if (this.queue.length - this.head > MAX_HELD) this.forceOldest(out);
    return undefined;
  }

  private complete(timeUs: number, out: TraceRecord[]): string | undefined {
    const io = this.ioPart(false);
    if (io === 'bad') return `expected "sector + sectors [error]" after the RWBS, got ${excerpt(this.f.line())}`;
    if (io === 'pc') return undefined;
    const held = this.take(io.sector, io.sectors);
    if (!held) {
      // a request without data completes twice around a flush ("C FN 0", then "C WS 0"); only data counts
      if (io.sectors > 0) this.orphanCompletions++;
      return undefined;
    }
    held.rec.completeUs = timeUs;
    held.state = 1;
    this.completed++;
    this.emitReady(out);
    return undefined;
  }

  private requeue(out: TraceRecord[]): string | undefined {
    const io = this.ioPart(false);
    if (io === 'bad') return `expected "sector + sectors [error]" after the RWBS, got ${excerpt(this.f.line())}`;
    if (io === 'pc') return undefined;
    const held = this.take(io.sector, io.sectors);
    if (held) {
      held.state = 2;
      this.requeued++;
      this.emitReady(out);
    }
    return undefined;
  }

  /** Removes and returns the oldest held I/O at this device, sector and length. */
  private take(sector: number, sectors: number): Held | undefined {
    const map = this.byDevice.get(this.f.intern(0, this.lastDevice));
    const key = keyOf(sector, sectors);
    const first = map?.get(key);
    let prev: Held | undefined;
    for (let h = first; h; prev = h, h = h.next) {
      if (h.rec.sizeBytes !== sectors * SECTOR_BYTES || h.state !== 0) continue;
      if (prev) prev.next = h.next;
      else if (h.next) map!.set(key, h.next);
      else map!.delete(key);
      h.next = undefined;
      return h;
    }
    return undefined;
  }

  /**
   * The I/O part after the RWBS. Issues: "sector + sectors [name]", "[name]" (no data),
   * "bytes (cdb) [name]" (passthrough). Completions and requeues: "sector + sectors [error]",
   * "sector [error]" (no data), "(cdb) [error]" or "[error]" (passthrough).
   */
  private ioPart(issue: boolean): { sector: number; sectors: number } | 'pc' | 'bad' {
    const f = this.f;
    const i = 7;
    if (i >= f.count) return 'bad';
    const c = f.text.charCodeAt(f.start[i]!);
    if (c === 40 /* ( */ || c === 91 /* [ */) return issue ? { sector: 0, sectors: 0 } : 'pc';
    const sector = f.uint(i);
    if (sector < 0) return 'bad';
    if (i + 1 < f.count && f.is(i + 1, '+')) {
      const sectors = i + 2 < f.count ? f.uint(i + 2) : -1;
      return sectors < 0 ? 'bad' : { sector, sectors };
    }
    return issue ? 'pc' : { sector, sectors: 0 };
  }

  private forceOldest(out: TraceRecord[]): void {
    const h = this.queue[this.head]!;
    if (h.state === 0) {
      this.take(h.rec.offsetBytes / SECTOR_BYTES, h.rec.sizeBytes / SECTOR_BYTES);
      h.state = 1;
      this.forced++;
    }
    this.emitReady(out);
  }

  private emitReady(out: TraceRecord[]): void {
    const q = this.queue;
    while (this.head < q.length && q[this.head]!.state !== 0) {
      const h = q[this.head++]!;
      if (h.state === 1) out.push(h.rec);
    }
    if (this.head > 4096 && this.head * 2 > q.length) {
      this.queue = q.slice(this.head);
      this.head = 0;
    }
  }

  finish(out: TraceRecord[]): void {
    for (let i = this.head; i < this.queue.length; i++) {
      const h = this.queue[i]!;
      if (h.state !== 2) out.push(h.rec);
    }
    this.queue = [];
    this.head = 0;
    this.byDevice.clear();
  }

  capabilities(): TraceCapabilities {
    return { completions: this.completed > 0, times: true };
  }

  notes(): string[] {
    const notes: string[] = [];
    if (this.completed === 0) notes.push('no completion (C) events matched an issue: queue depth and device latency are unknown');
    if (this.orphanCompletions > 0) notes.push(`${this.orphanCompletions} completions had no issue event (I/Os in flight when the trace started)`);
    if (this.forced > 0) notes.push(`${this.forced} issues waited for their completion behind more than ${MAX_HELD} others and were taken without one`);
    if (this.requeued > 0) notes.push(`${this.requeued} requeued issues were counted once, when issued again`);
    if (this.ignoredPc > 0) notes.push(`${this.ignoredPc} passthrough (pc) requests ignored: they have no sector`);
    return notes;
  }
}

/** Whether the first field is a device "major,minor". */
function isDevice(f: FieldSplitter): boolean {
  const s = f.start[0]!;
  const e = f.end[0]!;
  const comma = f.text.indexOf(',', s);
  return comma > s && comma < e - 1 && parseUintAt(f.text, s, comma) >= 0 && parseUintAt(f.text, comma + 1, e) >= 0;
}

/** Requests without data (flushes) pair in order of issue, whatever sector they name. */
function keyOf(sector: number, sectors: number): number {
  return sectors === 0 ? -1 : sector;
}

/** RWBS to what the request does: its data direction, a flush alone, or undefined when unknown. */
function rwbsKind(rwbs: string): TraceDirection | 'flush' | 'none' | undefined {
  const flush = rwbs.charCodeAt(0) === 70; /* F */
  const c = rwbs.charAt(flush ? 1 : 0);
  if (c === 'R') return 'read';
  if (c === 'W') return 'write';
  if (c === 'D') return 'trim';
  if (c === 'N') return flush ? 'flush' : 'none';
  return undefined;
}
