/**
 * Trace files as the model reads them (adapters/trace-source.ts) and as fio replays them
 * (adapters/replay-log.ts), on the fixtures one fio run left as an iolog and as blkparse
 * text. With fio installed, fio itself replays the converted logs onto a file.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileTraceSources } from '../../src/adapters/trace-source.js';
import { writeReplayLogs } from '../../src/adapters/replay-log.js';
import { parseTraceText, TraceLineError } from '../../src/trace/feed.js';
import type { ReplayRecord } from '../../src/model/trace-source.js';
import { ReplayMapper } from '../../src/model/replay-map.js';
import { InputError } from '../../src/scenario/issues.js';
import type { TraceReplaySpec } from '../../src/scenario/types.js';
import { normalizeScenario } from '../../src/scenario/normalize.js';
import { parseFioJson } from '../../src/fio/parse.js';
import { renderJobFile } from '../../src/fio/jobfile.js';
import { which } from '../real/system.js';
import { repoRoot } from '../cli-runner.js';

const fixtures = join(repoRoot, 'test/fixtures/trace');
const work = mkdtempSync(join(tmpdir(), 'blocksim-replay-files-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const spec = (file: string, over: Partial<TraceReplaySpec> = {}): TraceReplaySpec => ({ file, mode: 'open', speed: 1, remap: 'wrap', skipBad: false, ...over });

function readAll(sources: FileTraceSources, s: TraceReplaySpec): ReplayRecord[] {
  const src = sources.open(s);
  const out: ReplayRecord[] = [];
  for (let b = src.next(); b.length > 0; b = src.next()) out.push(...b);
  return out;
}

/** A generated iolog of n lines, long enough to cross many 64 KiB chunks. */
function bigIolog(n: number): string {
  const lines = ['fio version 3 iolog', '0 /dev/sdb add'];
  for (let i = 0; i < n; i++) lines.push(`${100 + i * 7} /dev/sdb ${i % 3 === 0 ? 'write' : 'read'} ${(i * 7919 % 4096) * 4096} ${4096 << (i % 3)}`);
  return `${lines.join('\n')}\n`;
}

describe('trace files as synchronous sources', () => {
  it('give the records the trace parser gives, batch after batch, each thread its own pass', () => {
    const text = bigIolog(20_000);
    writeFileSync(join(work, 'big.iolog'), text);
    const expected = parseTraceText(join(work, 'big.iolog'), text).records;
    const sources = new FileTraceSources(work);
    try {
      const a = sources.open(spec('big.iolog'));
      const b = sources.open(spec('big.iolog'));
      const first = [...a.next()];
      expect(first.length).toBeGreaterThan(100);
      expect(first.length).toBeLessThan(20_000);
      // a second pass of the same file starts at its own beginning
      expect(b.next()[0]).toEqual(expected[0]);
      const rest: ReplayRecord[] = [];
      for (let x = a.next(); x.length > 0; x = a.next()) rest.push(...x);
      expect([...first, ...rest]).toEqual(expected);
      for (const f of ['loop-randrw.blkparse.txt', 'loop-randrw.iolog']) {
        expect(readAll(new FileTraceSources(fixtures), spec(f)), f).toEqual(parseTraceText(join(fixtures, f), readFileSync(join(fixtures, f), 'utf8')).records);
      }
    } finally {
      sources.close();
    }
  });

  it('stop at a bad record with file and line, or count it with skipBad', () => {
    const lines = bigIolog(5_000).split('\n');
    const line = 3000;
    lines[line - 1] = lines[line - 1]!.replace(/ (read|write) /, ' frobnicate ');
    writeFileSync(join(work, 'bad.iolog'), lines.join('\n'));
    const sources = new FileTraceSources(work);
    expect(() => readAll(sources, spec('bad.iolog'))).toThrow(TraceLineError);
    expect(() => readAll(sources, spec('bad.iolog'))).toThrow(new RegExp(`bad\\.iolog:${line}: unknown action "frobnicate"`));
    const src = sources.open(spec('bad.iolog', { skipBad: true }));
    let n = 0;
    for (let b = src.next(); b.length > 0; b = src.next()) n += b.length;
    expect([n, src.badRecords()]).toEqual([4_999, 1]);
    expect(() => sources.open(spec('missing.iolog'))).toThrow(InputError);
    expect(() => sources.open(spec('.'))).toThrow(/is a folder/);
    sources.close();
  });

  it('find the trace size for remap: scale in a first pass', () => {
    const sources = new FileTraceSources(fixtures);
    const records = parseTraceText('x', readFileSync(join(fixtures, 'loop-randrw.iolog'), 'utf8')).records;
    expect(sources.traceSizeBytes(spec('loop-randrw.iolog', { remap: 'scale' }))).toBe(Math.max(...records.map((r) => r.offsetBytes + r.sizeBytes)));
    sources.close();
  });
});

function scenarioWith(jobs: Record<string, unknown>, sizeBytes = 64 * 2 ** 20) {
  const dir = { latency: { dist: 'fixed', value: '10us' } };
  const r = normalizeScenario({ name: 'r', duration: '10s', devices: { d: { read: dir, write: dir } }, volumes: { v: { device: 'd', size: sizeBytes } }, containers: { c: { volumes: ['v'], jobs } } });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.scenario;
}

describe('replay iologs for fio', () => {
  it("convert blkparse text into fio's v3 iolog: the simulator's mapping, the first I/O at 1 µs, trims and syncs left out", async () => {
    const scenario = scenarioWith({ blk: { trace: 'loop-randrw.blkparse.txt', iodepth: 4 }, sync: { trace: { file: 'loop-seqwrite-fsync.iolog', speed: 2 } } });
    const logs = await writeReplayLogs(join(fixtures, 'scenario.yaml'), scenario, work);
    const text = readFileSync(logs['c.blk']!.path, 'utf8').split('\n');
    expect(text.slice(0, 3)).toEqual(['fio version 3 iolog', '0 v add', '0 v open']);
    const records = parseTraceText('x', readFileSync(join(fixtures, 'loop-randrw.blkparse.txt'), 'utf8')).records;
    const m = new ReplayMapper(scenario.containers[0]!.jobs[0]!.trace!, { offsetBytes: 0, sizeBytes: 64 * 2 ** 20 }, 'x');
    const expected = records.flatMap((r) => (m.accept(r) ? [`${1 + Math.round(m.elapsedUs)} v ${m.dir ? 'write' : 'read'} ${m.offsetBytes} ${m.sizeBytes}`] : []));
    expect(text.slice(3, -1)).toEqual(expected);
    expect(text[3]).toMatch(/^1 v /);
    expect(logs['c.blk']!.counts).toMatchObject({ records: 111, replayed: 111, writes: 35 });
    // the fsync'd sequential write: its syncs are counted and left out, times halved
    const sync = logs['c.sync']!;
    expect(sync.counts.syncs).toBeGreaterThan(0);
    expect(readFileSync(sync.path, 'utf8')).not.toMatch(/ sync /);
  });

  it.skipIf(!which('fio'))(`are replayed by fio: every I/O, at the recorded times or as fast as iodepth allows${which('fio') ? '' : ' (skipped: fio is not installed)'}`, async () => {
    const target = join(work, 'target.dat');
    writeFileSync(target, '');
    truncateSync(target, 64 * 2 ** 20);
    const scenario = scenarioWith({ open: { trace: 'loop-randrw.blkparse.txt', iodepth: 4 }, closed: { trace: { file: 'loop-randrw.iolog', mode: 'closed' }, iodepth: 4 } });
    const logs = await writeReplayLogs(join(fixtures, 'scenario.yaml'), scenario, work);
    const jobFile = join(work, 'replay.fio');
    writeFileSync(jobFile, renderJobFile(scenario, { v: target }, Object.fromEntries(Object.entries(logs).map(([k, l]) => [k, l.path]))));
    const r = spawnSync('fio', ['--output-format=json', jobFile], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const results = parseFioJson(r.stdout);
    for (const name of ['c.open', 'c.closed']) {
      const j = results.jobs.find((x) => x.name === name)!;
      expect([j.read.totalIos, j.write.totalIos], name).toEqual([76, 35]);
    }
    // the open-loop replay keeps the trace's 995 ms span (fio sleeps between I/Os); the closed one does not wait
    const runtime = (name: string) => Math.max(...(['read', 'write'] as const).map((d) => results.jobs.find((x) => x.name === name)![d].runtimeMs));
    expect(runtime('c.open')).toBeGreaterThanOrEqual(990);
    expect(runtime('c.closed')).toBeLessThan(500);
  }, 60_000);
});
