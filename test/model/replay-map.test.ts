/** What a replay makes of each record: filters, offsets on the span, gaps (model/replay-map.ts), by hand. */
import { describe, expect, it } from 'vitest';
import { ReplayMapper } from '../../src/model/replay-map.js';
import type { TraceDirection, TraceRecord } from '../../src/trace/record.js';
import type { TraceReplaySpec } from '../../src/scenario/types.js';
import { TraceLineError } from '../../src/trace/feed.js';

const spec = (over: Partial<TraceReplaySpec> = {}): TraceReplaySpec => ({ file: 't', mode: 'open', speed: 1, remap: 'wrap', skipBad: false, ...over });
const rec = (timeUs: number, offsetBytes: number, sizeBytes = 4096, direction: TraceDirection = 'read', file = 'sda', line = 1): TraceRecord => ({ timeUs, offsetBytes, sizeBytes, direction, file, completeUs: undefined, line });

/** Offsets (relative to the span's start) the mapper gives, undefined for a record not replayed. */
function offsets(m: ReplayMapper, spanStart: number, records: TraceRecord[]): (number | undefined)[] {
  return records.map((r) => (m.accept(r) ? m.offsetBytes - spanStart : undefined));
}

describe('remap: wrap', () => {
  it('keeps a trace that fits the span unchanged', () => {
    const m = new ReplayMapper(spec(), { offsetBytes: 1 << 20, sizeBytes: 1 << 20 }, 't');
    expect(offsets(m, 1 << 20, [rec(0, 0), rec(1, 4096), rec((1 << 20) - 4096, (1 << 20) - 4096)])).toEqual([0, 4096, (1 << 20) - 4096]);
    expect(m.counts.remapped).toBe(0);
  });

  it('moves an I/O beyond the span to its offset modulo the span, and one crossing the end to the start', () => {
    const m = new ReplayMapper(spec(), { offsetBytes: 0, sizeBytes: 65536 }, 't');
    // 70000 mod 65536 = 4464; 65536 + 61440 → 61440 fits; 63488 + 4096 crosses the end → 0
    expect(offsets(m, 0, [rec(0, 70000), rec(0, 65536 + 61440), rec(0, 63488), rec(0, 8192)])).toEqual([4464, 61440, 0, 8192]);
    expect(m.counts.remapped).toBe(3);
  });

  it('refuses an I/O larger than the span, naming its file and line', () => {
    const m = new ReplayMapper(spec(), { offsetBytes: 0, sizeBytes: 4096 }, 'app.iolog');
    expect(() => m.accept(rec(0, 0, 8192, 'write', 'sda', 17))).toThrow(TraceLineError);
    expect(() => m.accept(rec(0, 0, 8192, 'write', 'sda', 17))).toThrow(/^app\.iolog:17: a 8192-byte write does not fit the 4096 bytes/);
  });
});

describe('remap: scale', () => {
  it('scales offsets by span / trace size, rounded down to the alignment each had', () => {
    // a 1 GiB trace onto a 256 MiB span: a quarter
    const m = new ReplayMapper(spec({ remap: 'scale', traceSizeBytes: 2 ** 30 }), { offsetBytes: 0, sizeBytes: 2 ** 28 }, 't');
    expect(offsets(m, 0, [rec(0, 0), rec(0, 2 ** 29), rec(0, 12288), rec(0, 4096 * 3 + 512, 512), rec(0, 2 ** 30 - 4096)])).toEqual([
      0,
      2 ** 27,
      // 12288 / 4 = 3072, aligned down to 4 KiB (12288's alignment)
      0,
      // 12800 / 4 = 3200, aligned down to 512 (12800's alignment)
      3072,
      // the last 4 KiB of the trace lands at the end of the span
      2 ** 28 - 4096,
    ]);
  });

  it('uses the size the source found when the spec names none', () => {
    const m = new ReplayMapper(spec({ remap: 'scale' }), { offsetBytes: 0, sizeBytes: 2 ** 20 }, 't', 2 ** 21);
    expect(offsets(m, 0, [rec(0, 2 ** 20)])).toEqual([2 ** 19]);
  });
});

describe('what is replayed', () => {
  it('skips and counts trims, syncs and other devices', () => {
    const m = new ReplayMapper(spec({ device: '8,16' }), { offsetBytes: 0, sizeBytes: 2 ** 30 }, 't');
    const rs = [rec(0, 0, 4096, 'read', '8,16'), rec(1, 0, 4096, 'trim', '8,16'), rec(2, 0, 0, 'sync', '8,16'), rec(3, 0, 4096, 'write', '8,0'), rec(4, 4096, 4096, 'write', '8,16')];
    expect(rs.map((r) => m.accept(r))).toEqual([true, false, false, false, true]);
    expect(m.counts).toEqual({ records: 5, replayed: 2, writes: 1, trims: 1, syncs: 1, otherDevice: 1, remapped: 0 });
    expect(m.dir).toBe(1);
  });
});

describe('times', () => {
  it('gives each I/O the gap since the previous one, divided by speed; a time that goes back gives 0', () => {
    const m = new ReplayMapper(spec({ speed: 2 }), { offsetBytes: 0, sizeBytes: 2 ** 30 }, 't');
    const gaps: number[] = [];
    const elapsed: number[] = [];
    for (const r of [rec(500, 0), rec(700, 0), rec(650, 0), rec(1650, 0)]) {
      m.accept(r);
      gaps.push(m.gapUs);
      elapsed.push(m.elapsedUs);
    }
    expect(gaps).toEqual([0, 100, 0, 500]);
    expect(elapsed).toEqual([0, 100, 100, 600]);
  });

  it('skipped records leave no gap of their own: the next I/O counts from the previous replayed one', () => {
    const m = new ReplayMapper(spec(), { offsetBytes: 0, sizeBytes: 2 ** 30 }, 't');
    m.accept(rec(100, 0));
    m.accept(rec(150, 0, 4096, 'trim'));
    m.accept(rec(400, 0));
    expect(m.gapUs).toBe(300);
  });
});
