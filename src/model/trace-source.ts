/**
 * How the model reads a trace it replays: a synchronous source of record batches.
 * The model cannot read files; adapters/trace-source.ts implements this over a file with
 * chunked synchronous reads, so a trace of any length is held one batch at a time.
 * Tests implement it over records in memory (arraySource).
 */
import type { TraceReplaySpec } from '../scenario/types.js';

/** One record of a trace as a replay reads it (src/trace's TraceRecord has these fields and more). */
export interface ReplayRecord {
  /** Issue time, µs on the trace's clock. */
  timeUs: number;
  offsetBytes: number;
  sizeBytes: number;
  direction: 'read' | 'write' | 'trim' | 'sync';
  /** The device or file the record is of. */
  file: string;
  /** 1-based line in the trace file, for messages. */
  line: number;
}

export interface TraceSource {
  /** Where the records come from, for messages. */
  readonly name: string;
  /** The next records in file order; an empty batch at the end. The batch may be reused by the next call. */
  next(): readonly ReplayRecord[];
  /** Bad records skipped so far (a source with skipBad counts them instead of throwing). */
  badRecords(): number;
}

/** Opens a source per replaying job thread; every thread reads its own pass. */
export interface TraceSources {
  open(spec: TraceReplaySpec): TraceSource;
  /** remap scale without traceSize: the end of the furthest I/O of the replayed records (a first pass). */
  traceSizeBytes(spec: TraceReplaySpec): number;
}

/** A source over records held in memory, in batches of `batch`. */
export function arraySource(name: string, records: readonly ReplayRecord[], batch = 4096): TraceSource {
  let i = 0;
  return {
    name,
    next: () => {
      const out = records.slice(i, i + batch);
      i += out.length;
      return out;
    },
    badRecords: () => 0,
  };
}

/** Sources over in-memory traces by file name (tests, generated traces). */
export function memorySources(traces: Record<string, readonly ReplayRecord[]>): TraceSources {
  const get = (spec: TraceReplaySpec): readonly ReplayRecord[] => {
    const t = traces[spec.file];
    if (!t) throw new Error(`no in-memory trace named ${spec.file}`);
    return t;
  };
  return {
    open: (spec) => arraySource(spec.file, get(spec)),
    traceSizeBytes: (spec) => get(spec).reduce((m, r) => (spec.device === undefined || r.file === spec.device ? Math.max(m, r.offsetBytes + r.sizeBytes) : m), 0),
  };
}
