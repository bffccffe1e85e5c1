/**
 * SIGTERM or SIGINT to `blocksim fio run` / `fio sweep` while fio runs: fio is stopped and
 * waited for (no fio process of the run is left), the temporary folder is removed,
 * earlier results stay as they were, and blocksim exits 128 + the signal (143, 130).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../cli-runner.js';
import { Scratch, sh, which } from '../real/system.js';

const scratch = new Scratch();
afterAll(() => scratch.cleanup());
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

const LONG = `
name: interrupt
duration: 30s
devices:
  d: { parallelism: 4, read: { latency: { dist: exponential, mean: 50us } }, write: { latency: { dist: exponential, mean: 30us } } }
volumes:
  v: { device: d, size: 64MiB }
containers:
  reader: { volumes: [v], jobs: { r: { rw: randread, bs: 4k, iodepth: 2 } } }
  writer: { volumes: [v], jobs: { w: { rw: randwrite, bs: 4k, iodepth: 2 } } }
`;

/** PIDs of processes whose command line mentions `text`. */
function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(text)) pids.push(Number(p));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  for (const t0 = Date.now(); Date.now() - t0 < ms; await new Promise((r) => setTimeout(r, 100))) if (cond()) return true;
  return cond();
}

/** Starts blocksim, waits until its fio runs, sends `signal`, and returns how it ended. */
async function interrupt(cwd: string, tmp: string, args: string[], signal: NodeJS.Signals): Promise<{ code: number | null; err: string }> {
  const child = spawn(process.execPath, ['--import', tsx, join(repoRoot, 'src/cli/main.ts'), ...args], { cwd, env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const ended = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    expect(await until(() => processesMentioning(`${tmp}/blocksim-`).length >= 2, 30_000), `fio did not start: ${err}`).toBe(true);
    await new Promise((r) => setTimeout(r, 1000)); // fio's jobs are running
    child.kill(signal);
    const code = await Promise.race([ended, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 30_000))]);
    if (code === 'hung') throw new Error(`blocksim did not end after ${signal}: ${err}`);
    return { code, err };
  } finally {
    child.kill('SIGKILL');
    for (const pid of processesMentioning(`${tmp}/blocksim-`)) process.kill(pid, 'SIGKILL');
  }
}

describe.skipIf(!which('fio'))(`stopping blocksim while fio runs${which('fio') ? '' : ' (skipped: fio is not installed)'}`, () => {
  it('SIGTERM to fio run: exit 143, no fio left, temporary folder gone, earlier results kept', async () => {
    const dir = scratch.tempDir('blocksim-fio-term-');
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    writeFileSync(join(dir, 's.yaml'), LONG);
    const target = join(dir, 'v.dat');
    sh('fallocate', ['-l', '64M', target]);
    writeFileSync(`${target}.blocksim`, 'test file\n');
    mkdirSync(join(dir, 'res'));
    writeFileSync(join(dir, 'res', 'fio.json'), 'earlier');
    const r = await interrupt(dir, tmp, ['fio', 'run', 's.yaml', '--target', `v=${target}`, '--out', 'res', '--quiet'], 'SIGTERM');
    expect(r.code, r.err).toBe(143);
    expect(r.err).toMatch(/interrupted by SIGTERM/);
    expect(processesMentioning(`${tmp}/blocksim-`)).toEqual([]);
    expect(readdirSync(tmp).filter((f) => f.startsWith('blocksim-'))).toEqual([]);
    expect(readdirSync(join(dir, 'res'))).toEqual(['fio.json']);
    expect(readFileSync(join(dir, 'res', 'fio.json'), 'utf8')).toBe('earlier');
  }, 90_000);

  it('SIGINT to fio sweep: exit 130, the points measured before are kept, the one running is not saved', async () => {
    const dir = scratch.tempDir('blocksim-fio-int-');
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    mkdirSync(join(dir, 'sw'));
    const done = join(dir, 'sw', 'randread-4k-qd1-nj1.json');
    copyFileSync(join(repoRoot, 'test/fixtures/fio/randread-status-interval.json'), done);
    const target = join(dir, 'sweep.dat');
    const r = await interrupt(dir, tmp, ['fio', 'sweep', '--target', target, '--rw', 'randread', '--bs', '4k', '--iodepth', '1,4', '--runtime', '30s', '--size', '32m', '--out', 'sw', '--quiet'], 'SIGINT');
    expect(r.code, r.err).toBe(130);
    expect(processesMentioning(`${tmp}/blocksim-`)).toEqual([]);
    expect(readdirSync(tmp).filter((f) => f.startsWith('blocksim-'))).toEqual([]);
    expect(readdirSync(join(dir, 'sw'))).toEqual(['randread-4k-qd1-nj1.json']);
    expect(readFileSync(done, 'utf8')).toBe(readFileSync(join(repoRoot, 'test/fixtures/fio/randread-status-interval.json'), 'utf8'));
  }, 90_000);
});
