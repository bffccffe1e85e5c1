/** Traced jobs through the command line: run, validate, fio jobfile, bad records. */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blocksimIn, repoRoot } from '../cli-runner.js';
import { which } from '../real/system.js';

const work = mkdtempSync(join(tmpdir(), 'blocksim-replay-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
mkdirSync(join(work, 'traces'));
for (const f of ['loop-randrw.blkparse.txt', 'loop-randrw.iolog']) copyFileSync(join(repoRoot, 'test/fixtures/trace', f), join(work, 'traces', f));
const blocksim = (...args: string[]) => blocksimIn(work, args);

const SCENARIO = `name: replay
seed: 3
duration: 2s
devices:
  d: { parallelism: 4, read: { latency: { dist: exponential, mean: 40us } }, write: { latency: { dist: exponential, mean: 30us } } }
volumes:
  v: { device: d, size: 64MiB }
containers:
  app:
    replicas: 2
    volumes: [v]
    jobs:
      blk: { trace: ./traces/loop-randrw.blkparse.txt, iodepth: 4 }
      fast: { trace: { file: ./traces/loop-randrw.iolog, speed: 4, mode: closed }, iodepth: 2 }
      synth: { rw: randread, bs: 4k, rate_iops: 100 }
`;
writeFileSync(join(work, 's.yaml'), SCENARIO);

describe('blocksim run with traced jobs', () => {
  it('replays each trace per replica, says what each replay did, and writes the same results twice', () => {
    const a = blocksim('run', 's.yaml', '--out', 'a');
    expect(a.code, a.err).toBe(0);
    expect(a.out).toMatch(/app\.0\.blk: replayed 111 I\/Os of \.\/traces\/loop-randrw\.blkparse\.txt \(recorded times\); the trace ended at 995\.\d ms/);
    expect(a.out).toMatch(/app\.1\.fast: replayed 111 I\/Os of \.\/traces\/loop-randrw\.iolog \(closed loop, speed 4\); the trace ended at/);
    const fio = JSON.parse(readFileSync(join(work, 'a/fio.json'), 'utf8'));
    const blk = fio.jobs.find((j: { jobname: string }) => j.jobname === 'app.0.blk');
    expect([blk.read.total_ios, blk.write.total_ios]).toEqual([76, 35]);
    // fio's runtime: from the start to the last completion of the trace, not the 2 s window
    expect(blk.read.runtime).toBeGreaterThan(990);
    expect(blk.read.runtime).toBeLessThan(1000);
    const extra = fio.blocksim.jobs.find((j: { jobname: string }) => j.jobname === 'app.0.blk').replay;
    expect(extra).toMatchObject({ trace: './traces/loop-randrw.blkparse.txt', mode: 'open', records: 111, replayed: 111, trims_skipped: 0, stalls: 0 });
    expect(readFileSync(join(work, 'a/report.html'), 'utf8')).toMatch(/<h2>Trace replays<\/h2><pre>app\.0\.blk: replayed 111 I\/Os/);
    expect(blocksim('run', 's.yaml', '--out', 'b', '--quiet').code).toBe(0);
    for (const f of ['fio.json', 'summary.csv']) expect(readFileSync(join(work, 'b', f), 'utf8'), f).toBe(readFileSync(join(work, 'a', f), 'utf8'));
  });

  it('names a missing trace at its job, and a bad record at its file and line (exit 2)', () => {
    writeFileSync(join(work, 'missing.yaml'), SCENARIO.replace('./traces/loop-randrw.iolog', './traces/nope.iolog'));
    const v = blocksim('validate', 'missing.yaml');
    expect(v.code).toBe(2);
    expect(v.err).toMatch(/containers\.app\.jobs\.fast\.trace: no such file: .*traces\/nope\.iolog/);
    const lines = readFileSync(join(work, 'traces/loop-randrw.iolog'), 'utf8').split('\n');
    lines[60] = '1234 /dev/loop0 write 99';
    writeFileSync(join(work, 'traces/bad.iolog'), lines.join('\n'));
    writeFileSync(join(work, 'bad.yaml'), SCENARIO.replace('./traces/loop-randrw.iolog', './traces/bad.iolog'));
    const r = blocksim('run', 'bad.yaml', '--out', 'bad');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/traces\/bad\.iolog:61: expected "time file action offset length"/);
    expect(r.err).not.toMatch(/internal error|\s{4}at /);
    writeFileSync(join(work, 'skip.yaml'), SCENARIO.replace('./traces/loop-randrw.iolog, speed', './traces/bad.iolog, skipBad: true, speed'));
    const s = blocksim('run', 'skip.yaml', '--out', 'skip');
    expect(s.code, s.err).toBe(0);
    expect(s.out).toMatch(/app\.0\.fast: replayed 110 I\/Os .*skipped 1 bad records/);
  });
});

describe('blocksim fio jobfile with traced jobs', () => {
  it('writes an iolog per traced job beside the job file, which replays it onto the target', () => {
    const r = blocksim('fio', 'jobfile', 's.yaml', '--target', 'v=/dev/loop7', '-o', 'fio/job.fio');
    expect(r.code, r.err).toBe(0);
    const job = readFileSync(join(work, 'fio/job.fio'), 'utf8');
    const section = (name: string) => job.split(`[${name}]\n`)[1]!.split('\n\n')[0]!;
    expect(section('app.0.blk')).toBe([
      'filename=/dev/loop7', `read_iolog=${join(work, 'fio/app.blk.iolog')}`, 'read_iolog_chunked=1', 'replay_redirect=/dev/loop7',
      'ioengine=libaio', 'iodepth=4', 'numjobs=1', 'new_group=1', 'group_reporting=1',
    ].join('\n'));
    expect(section('app.1.fast')).toContain('replay_no_stall=1');
    expect(section('app.1.fast')).toContain(`read_iolog=${join(work, 'fio/app.fast.iolog')}`);
    expect(existsSync(join(work, 'fio/app.blk.iolog'))).toBe(true);
    // speed 4: the converted log's times are a quarter of the trace's
    const fast = readFileSync(join(work, 'fio/app.fast.iolog'), 'utf8').split('\n');
    const orig = readFileSync(join(work, 'traces/loop-randrw.iolog'), 'utf8').split('\n').filter((l) => / (read|write) /.test(l));
    const t = (l: string) => Number(l.split(' ')[0]);
    expect(t(fast[4]!) - t(fast[3]!)).toBe(Math.round((t(orig[1]!) - t(orig[0]!)) / 4));
  });
});

describe('blocksim compare --profile of a measured replay', () => {
  it.skipIf(!which('fio'))(`predicts fio's own replay of an iolog (read_iolog, replay_no_stall) from a device profile${which('fio') ? '' : ' (skipped: fio is not installed)'}`, () => {
    writeFileSync(join(work, 'target.dat'), '');
    truncateSync(join(work, 'target.dat'), 64 * 2 ** 20);
    writeFileSync(join(work, 'rep.fio'), ['[rep]', 'filename=target.dat', 'direct=1', 'ioengine=libaio', 'iodepth=4', 'read_iolog=traces/loop-randrw.iolog', 'replay_redirect=target.dat', 'replay_no_stall=1', ''].join('\n'));
    const f = spawnSync('fio', ['--output-format=json', '--output=rep.json', 'rep.fio'], { cwd: work, encoding: 'utf8', timeout: 60_000 });
    expect(f.status, f.stderr).toBe(0);
    writeFileSync(join(work, 'profile.yaml'), 'device:\n  parallelism: 4\n  read: { latency: { dist: fixed, value: 30us } }\n  write: { latency: { dist: fixed, value: 20us } }\n');
    const r = blocksim('compare', '--measured', 'rep.json', '--profile', 'profile.yaml', '--json');
    expect([0, 1], r.err).toContain(r.code);
    const rows = (JSON.parse(r.out) as { rows: { job: string; direction: string; measuredIops: number; predictedIops: number }[]; notes: string[] }).rows;
    expect(rows.map((x) => `${x.job} ${x.direction}`)).toEqual(['rep read', 'rep write']);
    // closed loop at iodepth 4 on 4 slots of fixed 30 µs / 20 µs service: 111 I/Os in about 0.8 ms
    expect(rows[0]!.predictedIops).toBeGreaterThan(50_000);
  });
});
