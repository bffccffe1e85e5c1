/**
 * Streams a trace file (or stdin, named "-") through the pure line feed of src/trace:
 * read in 1 MiB chunks, split into lines, parsed into batches of records. Memory holds
 * one chunk and its records, never the whole trace.
 *
 *   file ─▶ 1 MiB chunks ─▶ lines ─▶ TraceFeed (format parser) ─▶ TraceRecord[] per chunk
 */
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { OutsideError } from './errors.js';
import { InputError } from '../scenario/issues.js';
import { TraceFeed, TraceLineError, type FeedOptions, type FeedSummary } from '../trace/feed.js';
import type { TraceRecord } from '../trace/record.js';

const CHUNK_BYTES = 1 << 20;

export interface TraceReader {
  /** The path as given ("-" for stdin). */
  readonly file: string;
  /** The records in file order, a batch per chunk read; iterate once. */
  batches(): AsyncGenerator<TraceRecord[]>;
  /** The records one by one (the same pass as batches()). */
  records(): AsyncGenerator<TraceRecord>;
  /** Format, counts, bad records and notes: complete once the records are read. */
  summary(): FeedSummary;
}

/** Opens a trace; a missing or unreadable file is bad input (exit 2). */
export async function openTrace(file: string, options: FeedOptions = {}): Promise<TraceReader> {
  let stream: Readable;
  if (file === '-') stream = process.stdin;
  else {
    try {
      const fh = await open(file, 'r');
      stream = fh.createReadStream({ highWaterMark: CHUNK_BYTES });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, expected a trace file' : (err as Error).message;
      throw new InputError(file, [{ path: '', message: why }]);
    }
  }
  return readerOver(file, stream, options);
}

/** A reader over any byte stream (a file, stdin, a test's generated text). */
export function readerOver(file: string, stream: Readable, options: FeedOptions = {}): TraceReader {
  const feed = new TraceFeed(file === '-' ? 'stdin' : file, options);
  let used = false;
  const batches = async function* (): AsyncGenerator<TraceRecord[]> {
    if (used) throw new Error(`trace ${file} is read once; open it again for another pass`);
    used = true;
    const decoder = new TextDecoder('utf-8');
    let rest = '';
    try {
      for await (const chunk of stream) {
        const text = rest + (typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array, { stream: true }));
        const out: TraceRecord[] = [];
        let s = 0;
        for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', s)) {
          feed.line(text.slice(s, i), out);
          s = i + 1;
        }
        rest = text.slice(s);
        if (out.length > 0) yield out;
      }
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw new OutsideError(`cannot read trace ${file}: ${(err as Error).message}`, { cause: err });
    } finally {
      stream.destroy();
    }
    const out: TraceRecord[] = [];
    rest += decoder.decode();
    if (rest.length > 0) feed.line(rest, out);
    feed.end(out);
    if (out.length > 0) yield out;
  };
  return {
    file,
    batches,
    records: async function* () {
      for await (const batch of batches()) yield* batch;
    },
    summary: () => feed.summary(),
  };
}

export { TraceLineError };
