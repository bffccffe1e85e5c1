/** The trace parsers on captured and documented fixtures, hand-made lines, and bad records. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat, parseTraceText, TraceLineError } from '../../src/trace/feed.js';
import type { TraceRecord } from '../../src/trace/record.js';

const fixtures = join(import.meta.dirname, '../fixtures/trace');
const fixture = (name: string): string => readFileSync(join(fixtures, name), 'utf8');
const shape = (r: TraceRecord): string => `${r.direction} ${r.offsetBytes} ${r.sizeBytes}`;

function errorOf(fn: () => unknown): TraceLineError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TraceLineError) return err;
    throw err;
  }
  throw new Error('expected a TraceLineError');
}

describe('format detection', () => {
  it('reads the format from the first line', () => {
    expect(detectFormat('fio version 3 iolog')).toBe('iolog3');
    expect(detectFormat('fio version 2 iolog\r')).toBe('iolog2');
    expect(detectFormat('  8,0    3        1     0.000000000   697  G   W 223490 + 8 [kjournald]')).toBe('blkparse');
    expect(detectFormat('time_us,device,offset_bytes,size_bytes,direction')).toBe('csv');
    expect(detectFormat('0,vol,0,4096,read')).toBe('csv');
    expect(detectFormat('fio version 1 iolog')).toBeUndefined();
    expect(detectFormat('/dev/sdb read 0 4096')).toBeUndefined();
  });

  it('refuses a first line it cannot place, naming the options', () => {
    const e = errorOf(() => parseTraceText('t.log', '/dev/sdb read 0 4096\n'));
    expect(e.message).toMatch(/^t\.log:1: cannot tell the trace format .* --format iolog2\|iolog3\|blkparse\|csv$/);
  });
});

describe('one fio run seen by fio (write_iolog) and by the block layer (blkparse)', () => {
  it('gives the same I/Os in the same order from both', () => {
    const iolog = parseTraceText('a', fixture('loop-randrw.iolog'));
    const blk = parseTraceText('b', fixture('loop-randrw.blkparse.txt'));
    expect(iolog.summary.format).toBe('iolog3');
    expect(blk.summary.format).toBe('blkparse');
    expect(iolog.records.length).toBe(111);
    expect(blk.records.map(shape)).toEqual(iolog.records.map(shape));
    for (const r of iolog.records) expect(r.sizeBytes % 4096 === 0 && r.sizeBytes <= 16384, shape(r)).toBe(true);
  });

  it('pairs every blkparse issue with its completion, later than the issue', () => {
    const blk = parseTraceText('b', fixture('loop-randrw.blkparse.txt'));
    expect(blk.summary.capabilities.completions).toBe(true);
    expect(blk.summary.notes).toEqual([]);
    for (const r of blk.records) expect(r.completeUs! - r.timeUs).toBeGreaterThan(0);
    const times = blk.records.map((r) => r.timeUs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('keeps fio iolog times in µs since the run started, non-decreasing', () => {
    const { records, summary } = parseTraceText('a', fixture('loop-randrw.iolog'));
    expect(summary.capabilities).toEqual({ completions: false, times: true });
    expect(records[0]).toEqual({ timeUs: 291, offsetBytes: 2023424, sizeBytes: 4096, direction: 'write', file: '/dev/loop0', completeUs: undefined, line: 4 });
    const times = records.map((r) => r.timeUs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times.at(-1)!).toBeLessThan(1.1e6); // a 1-second run
  });

  it('sees fio fsync as flushes in both views', () => {
    const iolog = parseTraceText('a', fixture('loop-seqwrite-fsync.iolog'));
    const blk = parseTraceText('b', fixture('loop-seqwrite-fsync.blkparse.txt'));
    const kinds = (rs: TraceRecord[]): string => rs.map((r) => (r.direction === 'sync' ? 's' : 'w')).join('');
    expect(kinds(blk.records)).toBe(kinds(iolog.records));
    expect(iolog.records.filter((r) => r.direction === 'sync').length).toBe(7);
    expect(blk.records.filter((r) => r.direction === 'write').map((r) => r.offsetBytes)).toEqual(Array.from({ length: 32 }, (_, i) => i * 65536));
    expect(blk.summary.notes).toEqual([]);
  });
});

describe('blkparse, documented event kinds', () => {
  const { records, summary } = parseTraceText('doc.txt', fixture('documented.blkparse.txt'));

  it('takes issues (D) in order, with completions matched by device, sector and length', () => {
    expect(records.map((r) => [r.direction, r.file, r.offsetBytes, r.sizeBytes, r.timeUs, r.completeUs, r.line])).toEqual([
      ['write', '8,0', 223490 * 512, 24 * 512, 47.157, 213.584, 8],
      ['read', '8,0', 4096 * 512, 8 * 512, 101, 600, 11],
      ['read', '8,16', 100 * 512, 16 * 512, 150, 700, 12],
      ['write', '8,0', 8192 * 512, 16 * 512, 450, 800, 19],
      ['sync', '8,0', 0, 0, 500, 520, 20],
      ['trim', '8,0', 1024 * 512, 2048 * 512, 900, undefined, 25],
    ]);
  });

  it('says what it ignored: a requeue, a passthrough request, a completion without an issue', () => {
    expect(summary.notes).toEqual([
      '1 completions had no issue event (I/Os in flight when the trace started)',
      '1 requeued issues were counted once, when issued again',
      '1 passthrough (pc) requests ignored: they have no sector',
    ]);
    expect(summary.badRecords).toBe(0);
  });

  it('reports a trace without completions as such', () => {
    const text = fixture('loop-randrw.blkparse.txt').split('\n').filter((l) => !/ C /.test(l)).join('\n');
    const r = parseTraceText('q.txt', text);
    expect(r.records.length).toBe(111);
    expect(r.summary.capabilities.completions).toBe(false);
    expect(r.summary.notes[0]).toMatch(/no completion \(C\) events/);
  });

  it('refuses a broken event line with its line number', () => {
    const lines = fixture('documented.blkparse.txt').split('\n');
    lines[10] = '  8,0    3       11     0.000101000  1201  D   R 4096 + x [postgres]';
    expect(errorOf(() => parseTraceText('doc.txt', lines.join('\n'))).message).toBe('doc.txt:11: expected "sector + sectors [process]" after the RWBS, got "  8,0    3       11     0.000101000  1201  D   R 4096 + x [postgres]"');
    lines[10] = 'garbage in the middle';
    expect(errorOf(() => parseTraceText('doc.txt', lines.join('\n'))).line).toBe(11);
  });
});

describe('fio iolog version 2', () => {
  it('adds wait lines to the clock and skips file actions', () => {
    const { records, summary } = parseTraceText('v2.log', fixture('documented.iolog2'));
    expect(summary.format).toBe('iolog2');
    expect(records.map((r) => [r.timeUs, r.file, r.direction, r.offsetBytes, r.sizeBytes])).toEqual([
      [0, '/dev/sdb', 'read', 0, 4096],
      [1000, '/dev/sdb', 'write', 4096, 8192],
      [1000, '/dev/sdb', 'read', 4096, 4096],
      [1500, '/dev/sdb', 'trim', 1048576, 65536],
      [1500, '/dev/sdb', 'sync', 0, 0],
      [1500, '/dev/sdc', 'read', 512, 512],
    ]);
    expect(summary.capabilities.times).toBe(true);
  });

  it('says a log without waits has no times', () => {
    const { summary } = parseTraceText('v2.log', 'fio version 2 iolog\n/dev/sdb add\n/dev/sdb read 0 4096\n');
    expect(summary.capabilities.times).toBe(false);
    expect(summary.notes[0]).toMatch(/without wait lines records no times/);
  });
});

describe('bad records', () => {
  const v3 = ['fio version 3 iolog', '1 /f add', '2 /f open', '10 /f read 0 4096', '11 /f read x 4096', '12 /f write 4096 4096', '13 /f wait 100 0', '14 /f jump 0 1', '15 /f read 0', '16 /f read 4096 0'].join('\n');

  it('stop at the first, with file and line', () => {
    const e = errorOf(() => parseTraceText('run.iolog', v3));
    expect(e.message).toBe('run.iolog:5: expected an offset in bytes, got "x"');
    expect(e.line).toBe(5);
  });

  it('are counted with skipBad, the first few kept', () => {
    const { records, summary } = parseTraceText('run.iolog', v3, { skipBad: true, keepBad: 3 });
    expect(records.map((r) => r.line)).toEqual([4, 6]);
    expect(summary.badRecords).toBe(5);
    expect(summary.firstBad).toEqual([
      { line: 5, message: 'expected an offset in bytes, got "x"' },
      { line: 7, message: 'fio refuses "wait" in a version 3 iolog (times are absolute): "13 /f wait 100 0"' },
      { line: 8, message: 'unknown action "jump" (expected read, write, trim, sync, datasync or add, open, close)' },
    ]);
  });

  it('include a wrong header for the format named', () => {
    expect(errorOf(() => parseTraceText('x', 'fio version 2 iolog\n', { format: 'iolog3' })).message).toBe('x:1: expected the iolog header "fio version 3 iolog" on the first line, got "fio version 2 iolog"');
  });

  it('reject numbers that are not plain integers', () => {
    for (const bad of ['-1', '0x10', '1e3', '', '99999999999999999']) {
      const r = parseTraceText('x', `fio version 3 iolog\n5 /f read ${bad} 4096\n`, { skipBad: true });
      expect(r.summary.badRecords, bad).toBe(1);
    }
  });
});

describe('csv', () => {
  it('reads the five columns in order without a header', () => {
    const { records } = parseTraceText('t.csv', '0,vol,4096,8192,read\r\n12.5,vol,0,4096,W\n');
    expect(records).toEqual([
      { timeUs: 0, offsetBytes: 4096, sizeBytes: 8192, direction: 'read', file: 'vol', completeUs: undefined, line: 1 },
      { timeUs: 12.5, offsetBytes: 0, sizeBytes: 4096, direction: 'write', file: 'vol', completeUs: undefined, line: 2 },
    ]);
  });

  it('takes columns in any order with units from the header, and a latency column', () => {
    const text = 'direction,sector,size_sectors,time_ms,disk,latency_us,extra\nr,8,16,1.5,sda,250,x\n"write",0,8,2,sda,100,y\n';
    const { records, summary } = parseTraceText('t.csv', text);
    expect(records.map((r) => [r.direction, r.offsetBytes, r.sizeBytes, r.timeUs, r.completeUs])).toEqual([
      ['read', 4096, 8192, 1500, 1750],
      ['write', 0, 4096, 2000, 2100],
    ]);
    expect(summary.capabilities.completions).toBe(true);
  });

  it('refuses a header without the needed columns, and bad rows', () => {
    expect(errorOf(() => parseTraceText('t.csv', 'when,device,offset,size,rw\n')).message).toMatch(/^t\.csv:1: the header names no column for time/);
    expect(errorOf(() => parseTraceText('t.csv', '0,v,0,4096,read\n1,v,0,4096,move\n')).message).toBe('t.csv:2: expected a direction (read, write, trim, sync; or r, w, d, f), got "move"');
    expect(errorOf(() => parseTraceText('t.csv', '0,v,0,4096\n')).message).toBe('t.csv:1: expected 5 comma-separated fields, got 4: "0,v,0,4096"');
  });
});
