/**
 * Lines of one trace file in, records out: picks the format from the first line (unless
 * given), hands each line to that format's parser, and deals with bad records: the first
 * one is an error naming the file and line, or with `skipBad` they are counted and the
 * first few kept for the report. Pure; adapters/trace-reader.ts feeds it from a stream.
 */
import { BlkparseParser } from './blkparse.js';
import { CsvParser } from './csv.js';
import { excerpt } from './fields.js';
import { IOLOG_V2_HEADER, IOLOG_V3_HEADER, IologParser } from './iolog.js';
import type { LineParser } from './line-parser.js';
import type { TraceCapabilities, TraceFormat, TraceRecord } from './record.js';
import { TraceLineError } from '../scenario/issues.js';

const PARSERS: Record<TraceFormat, () => LineParser> = {
  iolog2: () => new IologParser(2),
  iolog3: () => new IologParser(3),
  blkparse: () => new BlkparseParser(),
  csv: () => new CsvParser(),
};

const BLKPARSE_LINE = /^\s*\d+,\d+\s+\d+\s+\d+\s+\d+\.\d+\s+\d+\s+\S+/;

/** The format a first line announces or shows, or undefined when it cannot tell. */
export function detectFormat(firstLine: string): TraceFormat | undefined {
  const line = firstLine.trimEnd();
  if (line === IOLOG_V3_HEADER) return 'iolog3';
  if (line === IOLOG_V2_HEADER) return 'iolog2';
  if (BLKPARSE_LINE.test(line)) return 'blkparse';
  if (line.includes(',') && !/^fio version/.test(line)) return 'csv';
  return undefined;
}

/** A bad record: exit 2 with `file:line: message` (defined with the other input errors). */
export { TraceLineError };

export interface BadRecord {
  line: number;
  message: string;
}

export interface FeedOptions {
  /** Format to read; detected from the first line when absent. */
  format?: TraceFormat;
  /** Count bad records instead of stopping at the first. */
  skipBad?: boolean;
  /** How many bad records to keep for the report (default 5). */
  keepBad?: number;
}

export interface FeedSummary {
  file: string;
  format: TraceFormat;
  lines: number;
  records: number;
  badRecords: number;
  firstBad: BadRecord[];
  capabilities: TraceCapabilities;
  notes: string[];
}

export class TraceFeed {
  private parser: LineParser | undefined;
  private lineNo = 0;
  private records = 0;
  private bad = 0;
  private readonly firstBad: BadRecord[] = [];
  private readonly keepBad: number;

  constructor(readonly file: string, private readonly options: FeedOptions = {}) {
    this.keepBad = options.keepBad ?? 5;
    if (options.format) this.parser = PARSERS[options.format]();
  }

  get format(): TraceFormat | undefined {
    return this.parser?.format;
  }

  /** One line, text[from, to) without its terminator (a trailing \r is dropped); records go onto `out`. */
  line(text: string, from: number, to: number, out: TraceRecord[]): void {
    const n = ++this.lineNo;
    if (to > from && text.charCodeAt(to - 1) === 13) to--;
    let parser = this.parser;
    if (parser === undefined) {
      const first = text.slice(from, to);
      const format = detectFormat(first);
      if (format === undefined) {
        throw new TraceLineError(this.file, n, `cannot tell the trace format from the first line ${excerpt(first)}: expected "${IOLOG_V3_HEADER}", "${IOLOG_V2_HEADER}", a blkparse event line or CSV; name it with --format iolog2|iolog3|blkparse|csv`);
      }
      parser = this.parser = PARSERS[format]();
    }
    const before = out.length;
    const problem = parser.parse(text, from, to, n, out);
    this.records += out.length - before;
    if (problem === undefined) return;
    if (!this.options.skipBad) throw new TraceLineError(this.file, n, problem);
    this.bad++;
    if (this.firstBad.length < this.keepBad) this.firstBad.push({ line: n, message: problem });
  }

  end(out: TraceRecord[]): void {
    if (this.parser === undefined) throw new TraceLineError(this.file, 1, 'the trace is empty');
    const before = out.length;
    this.parser.finish(out);
    this.records += out.length - before;
  }

  summary(): FeedSummary {
    const p = this.parser;
    return {
      file: this.file,
      format: p?.format ?? this.options.format ?? 'csv',
      lines: this.lineNo,
      records: this.records,
      badRecords: this.bad,
      firstBad: [...this.firstBad],
      capabilities: p?.capabilities() ?? { completions: false, times: false },
      notes: p?.notes() ?? [],
    };
  }
}

/** Feeds every complete line of `text`; returns where its unfinished last line starts. */
export function feedLines(feed: TraceFeed, text: string, out: TraceRecord[]): number {
  let s = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', s)) {
    feed.line(text, s, i, out);
    s = i + 1;
  }
  return s;
}

/** Records of a whole trace given as text (tests, small inputs). */
export function parseTraceText(file: string, text: string, options: FeedOptions = {}): { records: TraceRecord[]; summary: FeedSummary } {
  const feed = new TraceFeed(file, options);
  const records: TraceRecord[] = [];
  const s = feedLines(feed, text, records);
  if (s < text.length || s === 0) feed.line(text, s, text.length, records);
  feed.end(records);
  return { records, summary: feed.summary() };
}
