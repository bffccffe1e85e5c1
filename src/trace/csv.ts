/**
 * A plain CSV trace: one I/O per line, comma-separated, no commas inside fields.
 *
 *   time_us,device,offset_bytes,size_bytes,direction      an optional header names the columns
 *   0,pgdata,4096,8192,read
 *
 * Without a header the columns are those five, in that order. A header may order them
 * freely and name units: time_ns | time_us | time_ms | time_s; offset_bytes | offset |
 * offset_sectors | sector; size_bytes | size | length | length_bytes | size_sectors;
 * device | volume | file | disk; direction | rw | op | type; and optionally latency_ns |
 * latency_us | latency_ms | latency_s (completion = time + latency). Sectors are 512
 * bytes. Directions: read/r/R, write/w/W, trim/discard/d, sync/flush/f (any case).
 * Unknown columns are ignored; a row may carry more columns than the header names.
 */
import { excerpt, FieldSplitter } from './fields.js';
import type { LineParser } from './line-parser.js';
import type { TraceCapabilities, TraceDirection, TraceRecord } from './record.js';

type Column = 'time' | 'file' | 'offset' | 'size' | 'direction' | 'latency';

interface ColumnDef {
  column: Column;
  /** Multiplier to base units (µs for times, bytes for sizes). */
  scale: number;
}

const NAMES: Record<string, ColumnDef> = {
  time_ns: { column: 'time', scale: 1e-3 }, time_us: { column: 'time', scale: 1 }, time_ms: { column: 'time', scale: 1e3 }, time_s: { column: 'time', scale: 1e6 },
  device: { column: 'file', scale: 1 }, volume: { column: 'file', scale: 1 }, file: { column: 'file', scale: 1 }, disk: { column: 'file', scale: 1 },
  offset_bytes: { column: 'offset', scale: 1 }, offset: { column: 'offset', scale: 1 }, offset_sectors: { column: 'offset', scale: 512 }, sector: { column: 'offset', scale: 512 },
  size_bytes: { column: 'size', scale: 1 }, size: { column: 'size', scale: 1 }, length: { column: 'size', scale: 1 }, length_bytes: { column: 'size', scale: 1 }, size_sectors: { column: 'size', scale: 512 },
  direction: { column: 'direction', scale: 1 }, rw: { column: 'direction', scale: 1 }, op: { column: 'direction', scale: 1 }, type: { column: 'direction', scale: 1 },
  latency_ns: { column: 'latency', scale: 1e-3 }, latency_us: { column: 'latency', scale: 1 }, latency_ms: { column: 'latency', scale: 1e3 }, latency_s: { column: 'latency', scale: 1e6 },
};

const REQUIRED: Column[] = ['time', 'file', 'offset', 'size', 'direction'];

const DIRECTIONS: Record<string, TraceDirection> = {
  read: 'read', r: 'read', write: 'write', w: 'write', trim: 'trim', discard: 'trim', d: 'trim', sync: 'sync', flush: 'sync', f: 'sync',
};

export class CsvParser implements LineParser {
  readonly format = 'csv' as const;
  private readonly f = new FieldSplitter();
  /** Field index of each column; -1 for an absent latency. */
  private idx = { time: 0, file: 1, offset: 2, size: 3, direction: 4, latency: -1 };
  private scale = { time: 1, offset: 1, size: 1, latency: 1 };
  private width = 5;
  private lastFile = '';
  private hasLatency = false;

  parse(text: string, from: number, to: number, line: number, out: TraceRecord[]): string | undefined {
    const f = this.f;
    const n = f.splitOn(text, 44, from, to);
    if (n === 1 && f.length(0) === 0) return undefined;
    if (line === 1 && f.udecimal(0) < 0) return this.header(f);
    if (n < this.width) return `expected ${this.width} comma-separated fields, got ${n}: ${excerpt(f.line())}`;
    const { idx, scale } = this;
    const t = f.udecimal(idx.time);
    if (t < 0) return `expected a time as a non-negative number, got ${excerpt(f.field(idx.time))}`;
    const offset = f.uint(idx.offset);
    if (offset < 0) return `expected an offset as a non-negative integer, got ${excerpt(f.field(idx.offset))}`;
    const size = f.uint(idx.size);
    if (size < 0) return `expected a size as a non-negative integer, got ${excerpt(f.field(idx.size))}`;
    const direction = directionAt(f, idx.direction);
    if (direction === undefined) return `expected a direction (read, write, trim, sync; or r, w, d, f), got ${excerpt(f.field(idx.direction))}`;
    if (size === 0 && (direction === 'read' || direction === 'write')) return `a ${direction} of 0 bytes`;
    if (f.length(idx.file) === 0) return 'the device/volume field is empty';
    let completeUs: number | undefined;
    if (idx.latency >= 0) {
      const lat = f.udecimal(idx.latency);
      if (lat < 0) return `expected a latency as a non-negative number, got ${excerpt(f.field(idx.latency))}`;
      completeUs = t * scale.time + lat * scale.latency;
    }
    const file = f.intern(idx.file, this.lastFile);
    this.lastFile = file;
    out.push({ timeUs: t * scale.time, offsetBytes: offset * scale.offset, sizeBytes: direction === 'sync' ? 0 : size * scale.size, direction, file, completeUs, line });
    return undefined;
  }

  private header(f: FieldSplitter): string | undefined {
    const found = new Map<Column, { at: number; scale: number }>();
    for (let i = 0; i < f.count; i++) {
      const def = NAMES[f.field(i).toLowerCase()];
      if (!def) continue;
      if (found.has(def.column)) return `two columns give the ${def.column}: ${excerpt(f.field(found.get(def.column)!.at))} and ${excerpt(f.field(i))}`;
      found.set(def.column, { at: i, scale: def.scale });
    }
    const missing = REQUIRED.filter((c) => !found.has(c));
    if (missing.length > 0) return `the header names no column for ${missing.join(', ')} (columns: time_us, device, offset_bytes, size_bytes, direction; see blocksim's README), got ${excerpt(f.line())}`;
    const at = (c: Column): number => found.get(c)?.at ?? -1;
    const sc = (c: Column): number => found.get(c)?.scale ?? 1;
    this.idx = { time: at('time'), file: at('file'), offset: at('offset'), size: at('size'), direction: at('direction'), latency: at('latency') };
    this.scale = { time: sc('time'), offset: sc('offset'), size: sc('size'), latency: sc('latency') };
    this.width = Math.max(...Object.values(this.idx)) + 1;
    this.hasLatency = this.idx.latency >= 0;
    return undefined;
  }

  finish(): void {}

  capabilities(): TraceCapabilities {
    return { completions: this.hasLatency, times: true };
  }

  notes(): string[] {
    return [];
  }
}

function directionAt(f: FieldSplitter, i: number): TraceDirection | undefined {
  if (f.is(i, 'read')) return 'read';
  if (f.is(i, 'write')) return 'write';
  if (f.length(i) === 1) return DIRECTIONS[String.fromCharCode(f.text.charCodeAt(f.start[i]!) | 32)];
  return DIRECTIONS[f.field(i).toLowerCase()];
}
