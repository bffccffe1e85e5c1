/**
 * Trace files as the synchronous record sources the model replays (model/trace-source.ts):
 * each replaying job thread reads its own pass with positional synchronous reads of one
 * file descriptor per file, a chunk at a time, through the same line feed as
 * `blocksim trace` (format detection, file:line errors, skipBad). Memory per thread is
 * one chunk's records, never the trace.
 *
 *   file ─readSync(chunk, position)─▶ text ─▶ TraceFeed ─▶ TraceRecord[] ─▶ TraceDriver
 *
 * Paths are relative to the scenario's folder. The caller closes the sources after the
 * run (`withTraceSources`).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { InputError } from '../scenario/issues.js';
import type { Scenario, TraceReplaySpec } from '../scenario/types.js';
import { refuseTraced } from '../scenario/trace-job.js';
import { feedLines, TraceFeed } from '../trace/feed.js';
import type { TraceRecord } from '../trace/record.js';
import type { TraceSource, TraceSources } from '../model/trace-source.js';

/** Bytes a source reads at once; smaller when many threads replay at the same time (about 16 MiB of text in all). */
const MAX_CHUNK = 64 * 1024;
const MIN_CHUNK = 8 * 1024;
const TEXT_BUDGET = 16 * 2 ** 20;

class FileTraceSource implements TraceSource {
  private position = 0;
  private rest = '';
  private ended = false;
  private readonly decoder = new TextDecoder('utf-8');
  private readonly feed: TraceFeed;
  private readonly out: TraceRecord[] = [];

  constructor(readonly name: string, private readonly fd: number, spec: TraceReplaySpec, private readonly buffer: Buffer, private readonly chunkBytes: number) {
    this.feed = new TraceFeed(name, { ...(spec.format ? { format: spec.format } : {}), skipBad: spec.skipBad });
  }

  next(): readonly TraceRecord[] {
    const out = this.out;
    out.length = 0;
    while (out.length === 0 && !this.ended) {
      const n = readSync(this.fd, this.buffer, 0, this.chunkBytes, this.position);
      this.position += n;
      if (n === 0) {
        this.ended = true;
        const last = this.rest + this.decoder.decode();
        if (last.length > 0) this.feed.line(last, 0, last.length, out);
        this.feed.end(out);
        break;
      }
      const text = this.rest + this.decoder.decode(this.buffer.subarray(0, n), { stream: true });
      this.rest = text.slice(feedLines(this.feed, text, out));
    }
    return out;
  }

  badRecords(): number {
    return this.feed.summary().badRecords;
  }
}

export class FileTraceSources implements TraceSources {
  private readonly fds = new Map<string, number>();
  private readonly sizes = new Map<string, number>();
  private readonly buffer = Buffer.allocUnsafe(MAX_CHUNK);
  private opened = 0;

  /** `baseDir`: the scenario's folder, which relative trace paths start from. */
  constructor(private readonly baseDir: string) {}

  /** The trace's path as the process sees it. */
  pathOf(spec: TraceReplaySpec): string {
    return isAbsolute(spec.file) ? spec.file : join(this.baseDir, spec.file);
  }

  open(spec: TraceReplaySpec): TraceSource {
    const path = this.pathOf(spec);
    this.opened++;
    const chunk = Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, Math.floor(TEXT_BUDGET / this.opened / 4096) * 4096));
    return new FileTraceSource(path, this.fd(path), spec, this.buffer, chunk);
  }

  traceSizeBytes(spec: TraceReplaySpec): number {
    const key = `${this.pathOf(spec)}\u0000${spec.device ?? ''}`;
    let size = this.sizes.get(key);
    if (size === undefined) {
      size = 0;
      const source = new FileTraceSource(this.pathOf(spec), this.fd(this.pathOf(spec)), spec, this.buffer, MAX_CHUNK);
      for (let batch = source.next(); batch.length > 0; batch = source.next()) {
        for (const r of batch) if (spec.device === undefined || r.file === spec.device) size = Math.max(size, r.offsetBytes + r.sizeBytes);
      }
      this.sizes.set(key, size);
    }
    return size;
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }

  private fd(path: string): number {
    let fd = this.fds.get(path);
    if (fd === undefined) {
      try {
        fd = openSync(path, 'r');
        if (fstatSync(fd).isDirectory()) {
          closeSync(fd);
          throw Object.assign(new Error('is a folder, expected a trace file'), { code: 'EISDIR' });
        }
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new InputError(path, [{ path: '', message: code === 'ENOENT' ? 'no such trace file' : code === 'EISDIR' ? 'is a folder, expected a trace file' : `cannot read the trace: ${(err as Error).message}` }]);
      }
      this.fds.set(path, fd);
    }
    return fd;
  }
}

/** Runs `fn` with file-backed trace sources for a scenario in `baseDir`, and closes them after. */
export function withTraceSources<T>(baseDir: string, fn: (traces: TraceSources) => T): T {
  const traces = new FileTraceSources(baseDir);
  try {
    return fn(traces);
  } finally {
    traces.close();
  }
}

/** Refuses a scenario with traced jobs where their files cannot follow (bad input, exit 2). */
export function refuseTracedIn(file: string, scenario: Scenario, where: string): void {
  const issues = refuseTraced(scenario, where);
  if (issues.length > 0) throw new InputError(file, issues);
}
