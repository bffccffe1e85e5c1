/**
 * One I/O of a block trace, whatever format it came from. Every parser in src/trace
 * produces this shape; the reader (adapters/trace-reader.ts) streams it in batches.
 *
 * Clock: `timeUs` and `completeUs` are microseconds on the trace's own clock, which
 * starts at 0 (fio iolog v3: the start of the run; v2: the sum of `wait` lines before
 * the record; blkparse: the first event; csv: as written). Fractions of a µs are kept.
 * Records come in file order; only blkparse's output and fio's logs are sorted by time.
 */
export type TraceDirection = 'read' | 'write' | 'trim' | 'sync';

export const TRACE_DIRECTIONS: readonly TraceDirection[] = ['read', 'write', 'trim', 'sync'];

export type TraceFormat = 'iolog2' | 'iolog3' | 'blkparse' | 'csv';

export const TRACE_FORMATS: readonly TraceFormat[] = ['iolog2', 'iolog3', 'blkparse', 'csv'];

export interface TraceRecord {
  /** Issue time: µs since the start of the trace. */
  timeUs: number;
  /** Byte offset in the file or device (blkparse: sector × 512). */
  offsetBytes: number;
  /** Bytes transferred; 0 for a sync (flush) and for fio's sync lines. */
  sizeBytes: number;
  direction: TraceDirection;
  /** fio iolog: the file name; blkparse: the device as "major,minor"; csv: its device/volume column. */
  file: string;
  /** Completion time on the same clock, when the format records it (blkparse C events, a csv latency column); else undefined. */
  completeUs: number | undefined;
  /** 1-based line of the record in its file (blkparse: the line of the issue event). */
  line: number;
}

/** What a format can tell, so figures that need more say so instead of guessing. */
export interface TraceCapabilities {
  /** Issue and completion times (queue depth and device latency can be computed). */
  completions: boolean;
  /** Issue times at all (iolog v2 without `wait` lines has none). */
  times: boolean;
}
