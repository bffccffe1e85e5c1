/** The streamed reader: chunk boundaries, line numbers, errors from files on disk, and fio's own iolog. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTrace } from '../../src/adapters/trace-reader.js';
import { TraceLineError } from '../../src/trace/feed.js';
import { InputError } from '../../src/scenario/issues.js';
import type { TraceRecord } from '../../src/trace/record.js';
import { which } from '../real/system.js';

const dir = mkdtempSync(join(tmpdir(), 'blocksim-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(file: string, options = {}): Promise<{ records: TraceRecord[]; batches: number }> {
  const reader = await openTrace(file, options);
  const records: TraceRecord[] = [];
  let batches = 0;
  for await (const b of reader.batches()) {
    batches++;
    for (const r of b) records.push(r);
  }
  return { records, batches };
}

describe('openTrace', () => {
  const n = 60_000;
  const lines = ['fio version 3 iolog', '0 /data/file add'];
  for (let i = 0; i < n; i++) lines.push(`${i * 10} /data/file ${i % 3 === 0 ? 'write' : 'read'} ${i * 4096} 4096`);
  const big = join(dir, 'big.iolog');
  writeFileSync(big, `${lines.join('\r\n')}\r\n`);

  it('streams a file larger than a chunk in several batches, every record once, with its line', async () => {
    expect(readFileSync(big).length).toBeGreaterThan(2 * 2 ** 20);
    const { records, batches } = await readAll(big);
    expect(batches).toBeGreaterThan(1);
    expect(records.length).toBe(n);
    records.forEach((r, i) => {
      if (r.line !== i + 3 || r.offsetBytes !== i * 4096 || r.timeUs !== i * 10) throw new Error(`record ${i}: ${JSON.stringify(r)}`);
    });
  });

  it('names the file and line of a bad record deep in the file', async () => {
    const bad = [...lines];
    bad[45_000] = '449980 /data/file read 4096';
    const file = join(dir, 'bad.iolog');
    writeFileSync(file, bad.join('\n'));
    const err = await readAll(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TraceLineError);
    expect((err as TraceLineError).message).toBe(`${file}:45001: expected "time file action offset length" or "time file add|open|close", got "449980 /data/file read 4096"`);
    const reader = await openTrace(file, { skipBad: true });
    let count = 0;
    for await (const b of reader.batches()) count += b.length;
    expect(count).toBe(n - 1);
    expect(reader.summary().badRecords).toBe(1);
    expect(reader.summary().firstBad[0]!.line).toBe(45_001);
  });

  it('reads a last line without a newline, and refuses a missing file as bad input', async () => {
    const file = join(dir, 'short.csv');
    writeFileSync(file, '0,v,0,4096,read\n5,v,4096,4096,write');
    expect((await readAll(file)).records.map((r) => r.line)).toEqual([1, 2]);
    const err = await openTrace(join(dir, 'absent.log')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/absent\.log: 1 problem\n {2}no such file/);
  });
});

describe.skipIf(!which('fio'))('iologs fio writes itself', () => {
  it('parses a write_iolog of a short randrw run: the I/O counts fio reports, offsets inside the file', async () => {
    const file = join(dir, 'fio.dat');
    const log = join(dir, 'fio.iolog');
    const r = spawnSync('fio', ['--name=t', `--filename=${file}`, '--size=4M', '--rw=randrw', '--rwmixread=60', '--bssplit=4k/70:16k/30', '--ioengine=psync', '--number_ios=400', `--write_iolog=${log}`, '--output-format=json'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))) as { jobs: Record<'read' | 'write', { total_ios: number; io_bytes: number }>[] };
    const reader = await openTrace(log);
    const records: TraceRecord[] = [];
    for await (const rec of reader.records()) records.push(rec);
    expect(reader.summary().format).toBe('iolog3');
    for (const d of ['read', 'write'] as const) {
      const mine = records.filter((x) => x.direction === d);
      expect(mine.length).toBe(json.jobs[0]![d].total_ios);
      expect(mine.reduce((s, x) => s + x.sizeBytes, 0)).toBe(json.jobs[0]![d].io_bytes);
    }
    expect(records.filter((x) => x.sizeBytes === 4096 || x.sizeBytes === 16384).length).toBeGreaterThan(0.9 * records.length);
    for (const x of records) {
      expect(x.file).toBe(file);
      expect(x.sizeBytes % 4096).toBe(0); // fio shortens a block that would pass the end of the file
      expect(x.offsetBytes % 4096).toBe(0);
      expect(x.offsetBytes + x.sizeBytes).toBeLessThanOrEqual(4 * 2 ** 20);
    }
    const times = records.map((x) => x.timeUs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});

if (!which('fio')) console.log('skipped: fio is not installed (Debian package fio); the iolog test needs it');
