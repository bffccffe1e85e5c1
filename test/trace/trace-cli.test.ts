/** `blocksim trace stats` and `trace fit` as a user runs them. */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { normalizeScenario } from '../../src/scenario/normalize.js';
import { blocksimIn, repoRoot } from '../cli-runner.js';

const work = mkdtempSync(join(tmpdir(), 'blocksim-trace-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
for (const f of ['loop-randrw.blkparse.txt', 'loop-randrw.iolog']) copyFileSync(join(repoRoot, 'test/fixtures/trace', f), join(work, f));
const blocksim = (...args: string[]) => blocksimIn(work, args);
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

describe('blocksim trace stats', () => {
  it('prints the figures and writes CSV files, chart specs and a report page', () => {
    const r = blocksim('trace', 'stats', 'loop-randrw.blkparse.txt', '--out', 'st');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^loop-randrw\.blkparse\.txt: blkparse text, 111 records over 995\.1 ms \(1 device\)/);
    expect(r.out).toMatch(/I\/Os\s+76\s+35/);
    expect(r.out).toMatch(/queue depth: .* in flight on average; at issue p50 1/);
    const summary = readFileSync(join(work, 'st/trace-summary.csv'), 'utf8');
    expect(summary).toContain('ios,read,76,count');
    expect(summary).toContain('ios,write,35,count');
    expect(readFileSync(join(work, 'st/timeline.csv'), 'utf8').split('\n')[0]).toBe('time_s,read_iops,write_iops,read_bw_bytes_per_s,write_bw_bytes_per_s,working_set_bytes');
    expect(readFileSync(join(work, 'st/sizes.csv'), 'utf8')).toContain('4096,');
    const html = readFileSync(join(work, 'st/report.html'), 'utf8');
    expect(html.match(/<svg/g)?.length).toBe(6);
    for (const id of ['trace-iops', 'trace-bandwidth', 'trace-sizes', 'trace-hit-ratio', 'trace-working-set', 'trace-depth']) expect(existsSync(join(work, `st/charts/${id}.vl.json`)), id).toBe(true);
  });

  it('writes the same files twice over', () => {
    expect(blocksim('trace', 'stats', 'loop-randrw.iolog', '--out', 'a', '--quiet').code).toBe(0);
    expect(blocksim('trace', 'stats', 'loop-randrw.iolog', '--out', 'b', '--quiet').code).toBe(0);
    for (const f of ['trace-summary.csv', 'timeline.csv', 'reuse.csv', 'stats.json', 'report.html']) expect(readFileSync(join(work, 'b', f), 'utf8'), f).toBe(readFileSync(join(work, 'a', f), 'utf8'));
  });

  it('says an iolog cannot tell queue depth, and --json gives the figures', () => {
    const r = blocksim('trace', 'stats', 'loop-randrw.iolog', '--out', 'js', '--json');
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out) as { records: number; depth: { known: boolean; reason: string } };
    expect(s.records).toBe(111);
    expect(s.depth.known).toBe(false);
    expect(s.depth.reason).toMatch(/fio iologs never do/);
  });

  it('stops at a bad record with file and line (exit 2, no stack), or counts it with --skip-bad', () => {
    const lines = readFileSync(join(work, 'loop-randrw.iolog'), 'utf8').split('\n');
    lines[6] = '13612 /dev/loop0 write 28291072';
    writeFileSync(join(work, 'bad.iolog'), lines.join('\n'));
    const r = blocksim('trace', 'stats', 'bad.iolog', '--out', 'bad');
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe('blocksim: bad.iolog:7: expected "time file action offset length" or "time file add|open|close", got "13612 /dev/loop0 write 28291072"');
    const s = blocksim('trace', 'stats', 'bad.iolog', '--out', 'bad', '--skip-bad');
    expect(s.code, s.err).toBe(0);
    expect(s.err).toContain('skipped 1 bad record; the first:\n  bad.iolog:7: expected "time file action');
    expect(s.out).toMatch(/110 records/);
  });

  it('refuses a file it cannot read as a trace, and a missing one', () => {
    writeFileSync(join(work, 'notes.txt'), 'hello\n');
    const r = blocksim('trace', 'stats', 'notes.txt');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^blocksim: notes\.txt:1: cannot tell the trace format/);
    expect(blocksim('trace', 'stats', 'absent.log').code).toBe(2);
    expect(blocksim('trace', 'stats', 'loop-randrw.iolog', '--block', '3').code).toBe(2);
  });

  it('reads a trace from stdin', () => {
    const r = spawnSync(process.execPath, ['--import', tsx, join(repoRoot, 'src/cli/main.ts'), 'trace', 'stats', '-', '--out', 'stdin', '--json'], { cwd: work, input: readFileSync(join(work, 'loop-randrw.blkparse.txt')), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { records: number }).records).toBe(111);
  });
});

describe('blocksim trace fit', () => {
  it('prints a scenario job that validates, says why, and reports how well it matches', () => {
    const r = blocksim('trace', 'fit', 'loop-randrw.blkparse.txt', '--out', 'fit', '--name', 'replay', '--volume', 'data');
    expect(r.code, r.err).toBe(0);
    const job = (parse(r.out) as Record<string, Record<string, unknown>>).replay!;
    expect(job).toMatchObject({ volume: 'data', rw: 'randrw', random_distribution: 'random' });
    expect(r.out).toMatch(/# {3}- iodepth=\d: the most I\/Os in flight the trace shows/);
    const scenario = normalizeScenario({ name: 'fit', duration: '1s', devices: { d: { read: { latency: { dist: 'fixed', value: '50us' } }, write: { latency: { dist: 'fixed', value: '50us' } } } }, volumes: { data: { device: 'd', size: '1GiB' } }, containers: { app: { jobs: { replay: job } } } });
    expect(scenario.ok, JSON.stringify(scenario)).toBe(true);
    expect(r.err).toMatch(/figure\s+trace\s+fitted job\s+difference/);
    expect(readFileSync(join(work, 'fit/fit.csv'), 'utf8').split('\n')[0]).toBe('figure,unit,trace,fitted,difference');
    expect(readFileSync(join(work, 'fit/report.html'), 'utf8').match(/<svg/g)?.length).toBe(4);
  });

  it('writes the job to a file with -o, the same for the same seed', () => {
    expect(blocksim('trace', 'fit', 'loop-randrw.iolog', '-o', 'job1.yaml', '--out', 'f1', '--quiet').code).toBe(0);
    expect(blocksim('trace', 'fit', 'loop-randrw.iolog', '-o', 'job2.yaml', '--out', 'f2', '--quiet').code).toBe(0);
    expect(readFileSync(join(work, 'job1.yaml'), 'utf8')).toBe(readFileSync(join(work, 'job2.yaml'), 'utf8'));
    expect(readFileSync(join(work, 'f1/fit.csv'), 'utf8')).toBe(readFileSync(join(work, 'f2/fit.csv'), 'utf8'));
  });
});
