/**
 * Streams a trace file (or stdin, named "-") through the pure line feed of src/trace:
 * read in 256 KiB chunks, split into lines, parsed into batches of records. Memory holds
 * one chunk and its records, never the whole trace.
 *
 *   file ─▶ 256 KiB chunks ─▶ lines ─▶ TraceFeed (format parser) ─▶ TraceRecord[] per chunk
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { OutsideError } from './errors.js';
import { InputError } from '../scenario/issues.js';
import { feedLines, TraceFeed, TraceLineError, type FeedOptions, type FeedSummary } from '../trace/feed.js';
import type { TraceRecord } from '../trace/record.js';

const CHUNK_BYTES = 256 * 1024;

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
  if (file === '-') return readerOver(file, process.stdin, options);
  try {
    const fh = await open(file, 'r');
    return readerOver(file, fileChunks(fh), options);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, expected a trace file' : (err as Error).message;
    throw new InputError(file, [{ path: '', message: why }]);
  }
}

/**
 * A file's bytes through one reused buffer: nothing outside the JavaScript heap piles
 * up between garbage collections, as 1 MiB stream chunks would.
 */
async function* fileChunks(fh: FileHandle): AsyncGenerator<Uint8Array> {
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  try {
    for (;;) {
      const { bytesRead } = await fh.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}

/** A reader over any byte stream (a file, stdin, a test's generated text). */
export function readerOver(file: string, stream: Readable | AsyncIterable<Uint8Array | string>, options: FeedOptions = {}): TraceReader {
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
        rest = text.slice(feedLines(feed, text, out));
        if (out.length > 0) yield out;
      }
    } catch (err) {
      if (err instanceof InputError) throw err;
      if ((err as NodeJS.ErrnoException).code === 'EISDIR') throw new InputError(file, [{ path: '', message: 'is a folder, expected a trace file' }]);
      throw new OutsideError(`cannot read trace ${file}: ${(err as Error).message}`, { cause: err });
    } finally {
      if ('destroy' in stream) stream.destroy();
    }
    const out: TraceRecord[] = [];
    rest += decoder.decode();
    if (rest.length > 0) feed.line(rest, 0, rest.length, out);
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
