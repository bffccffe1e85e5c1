/**
 * fio's iolog, versions 2 and 3 (fio's iolog.c and HOWTO "Trace file format"), as
 * `write_iolog` writes it and `read_iolog` replays it:
 *
 *   fio version 3 iolog                         first line: the version
 *   26 /dev/loop0 add                           v3: µs since the run started, file, action
 *   280 /dev/loop0 read 2023424 4096            v3: time, file, read|write|trim|sync|datasync, offset, length
 *   /dev/loop0 wait 1500 0                      v2: no times; `wait` adds µs to the clock
 *
 * fio reads fields with scanf("%s"), so names have no blanks; a v3 `wait` is refused by
 * fio and a bad line here. File actions (add, open, close) carry no I/O and yield nothing.
 */
import { excerpt, FieldSplitter } from './fields.js';
import type { LineParser } from './line-parser.js';
import type { TraceCapabilities, TraceDirection, TraceRecord } from './record.js';

export const IOLOG_V2_HEADER = 'fio version 2 iolog';
export const IOLOG_V3_HEADER = 'fio version 3 iolog';

const FILE_ACTIONS = ['add', 'open', 'close'];

export class IologParser implements LineParser {
  readonly format: 'iolog2' | 'iolog3';
  private readonly f = new FieldSplitter();
  private lastFile = '';
  private clockUs = 0;
  private waits = 0;

  constructor(readonly version: 2 | 3) {
    this.format = version === 3 ? 'iolog3' : 'iolog2';
  }

  parse(text: string, from: number, to: number, line: number, out: TraceRecord[]): string | undefined {
    if (line === 1) {
      const want = this.version === 3 ? IOLOG_V3_HEADER : IOLOG_V2_HEADER;
      const header = text.slice(from, to);
      return header.trimEnd() === want ? undefined : `expected the iolog header "${want}" on the first line, got ${excerpt(header)}`;
    }
    if (this.version === 3 && this.fastV3(text, from, to, line, out)) return undefined;
    const f = this.f;
    const n = f.splitBlank(text, from, to);
    if (n === 0) return undefined;
    const base = this.version === 3 ? 1 : 0;
    let timeUs = this.clockUs;
    if (base === 1) {
      timeUs = f.uint(0);
      if (timeUs < 0) return `expected a time in µs as the first field, got ${excerpt(f.field(0))}`;
    }
    if (n === base + 2) return this.fileAction(f.field(base + 1));
    if (n !== base + 4) return `expected ${this.version === 3 ? '"time file action offset length" or "time file add|open|close"' : '"file action offset length" or "file add|open|close"'}, got ${excerpt(f.line())}`;
    const a = base + 1;
    if (f.is(a, 'wait')) return this.wait(f.uint(base + 2));
    const direction = directionOf(f, a);
    if (direction === undefined) return `unknown action ${excerpt(f.field(a))} (expected read, write, trim, sync, datasync${this.version === 2 ? ', wait' : ''} or add, open, close)`;
    const offsetBytes = f.uint(base + 2);
    if (offsetBytes < 0) return `expected an offset in bytes, got ${excerpt(f.field(base + 2))}`;
    const sizeBytes = f.uint(base + 3);
    if (sizeBytes < 0) return `expected a length in bytes, got ${excerpt(f.field(base + 3))}`;
    if (sizeBytes === 0 && (direction === 'read' || direction === 'write')) return `a ${direction} of 0 bytes`;
    const file = f.intern(base, this.lastFile);
    this.lastFile = file;
    out.push({ timeUs, offsetBytes, sizeBytes: direction === 'sync' ? 0 : sizeBytes, direction, file, completeUs: undefined, line });
    return undefined;
  }

  /**
   * The common line, exactly as fio writes it ("time file read|write offset length",
   * single spaces, at most 15 digits a number), in one scan; anything else returns false
   * and goes through the general path, which also words the errors.
   */
  private fastV3(text: string, from: number, to: number, line: number, out: TraceRecord[]): boolean {
    let i = from;
    let timeUs = 0;
    let c = 0;
    while (i < to && (c = text.charCodeAt(i)) >= 48 && c <= 57) {
      timeUs = timeUs * 10 + (c - 48);
      i++;
    }
    if (i === from || i - from > 15 || c !== 32) return false;
    const fileStart = i + 1;
    const fileEnd = text.indexOf(' ', fileStart);
    if (fileEnd <= fileStart || fileEnd >= to) return false;
    const actionEnd = text.indexOf(' ', fileEnd + 1);
    if (actionEnd < 0 || actionEnd >= to) return false;
    const n = actionEnd - fileEnd - 1;
    let direction: TraceDirection;
    if (n === 4 && text.startsWith('read', fileEnd + 1)) direction = 'read';
    else if (n === 5 && text.startsWith('write', fileEnd + 1)) direction = 'write';
    else return false;
    i = actionEnd + 1;
    const offsetStart = i;
    let offsetBytes = 0;
    while (i < to && (c = text.charCodeAt(i)) >= 48 && c <= 57) {
      offsetBytes = offsetBytes * 10 + (c - 48);
      i++;
    }
    if (i === offsetStart || i - offsetStart > 15 || c !== 32) return false;
    const sizeStart = ++i;
    let sizeBytes = 0;
    while (i < to && (c = text.charCodeAt(i)) >= 48 && c <= 57) {
      sizeBytes = sizeBytes * 10 + (c - 48);
      i++;
    }
    if (i !== to || i === sizeStart || i - sizeStart > 15 || sizeBytes === 0) return false;
    let file = this.lastFile;
    if (fileEnd - fileStart !== file.length || !text.startsWith(file, fileStart)) file = this.lastFile = text.slice(fileStart, fileEnd);
    out.push({ timeUs, offsetBytes, sizeBytes, direction, file, completeUs: undefined, line });
    return true;
  }

  private fileAction(action: string): string | undefined {
    return FILE_ACTIONS.includes(action) ? undefined : `unknown file action ${excerpt(action)} (expected add, open or close)`;
  }

  private wait(us: number): string | undefined {
    if (this.version === 3) return `fio refuses "wait" in a version 3 iolog (times are absolute): ${excerpt(this.f.line())}`;
    if (us < 0) return `expected a wait in µs, got ${excerpt(this.f.line())}`;
    this.clockUs += us;
    this.waits++;
    return undefined;
  }

  finish(): void {}

  capabilities(): TraceCapabilities {
    return { completions: false, times: this.version === 3 || this.waits > 0 };
  }

  notes(): string[] {
    const notes: string[] = [];
    if (this.version === 2 && this.waits === 0) notes.push('a version 2 iolog without wait lines records no times: rates and time figures are unknown');
    return notes;
  }
}

function directionOf(f: FieldSplitter, i: number): TraceDirection | undefined {
  if (f.is(i, 'read')) return 'read';
  if (f.is(i, 'write')) return 'write';
  if (f.is(i, 'trim')) return 'trim';
  if (f.is(i, 'sync') || f.is(i, 'datasync') || f.is(i, 'sync_file_range')) return 'sync';
  return undefined;
}
