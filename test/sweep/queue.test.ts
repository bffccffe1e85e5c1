/**
 * The Redis-backed queue for real: a redis-server on a free loopback port, two
 * `blocksim worker` processes, one killed (SIGKILL, by PID) while it simulates a point;
 * the point is retried by the other and the queued sweep writes the local sweep's files.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { blocksimAsync } from '../cli-runner.js';
import { Scratch, which } from '../real/system.js';
import { sweepCmd } from '../../src/cli/commands/sweep.js';

const scratch = new Scratch();
afterAll(() => scratch.cleanup());

const SCENARIO = `
name: queue-me
seed: 9
duration: 15s
devices:
  d: { parallelism: 2, read: { latency: { dist: exponential, mean: 50us } } }
volumes:
  v: { device: d, size: 1GiB }
containers:
  db: { volumes: [v], jobs: { r: { rw: randread, bs: 4k, iodepth: 16 } } }
`;
const VARY = ['--vary', 'devices.d.parallelism=2,4,6,8', '--repeat', '2'];

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

const answers = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const c = connect(port, '127.0.0.1', () => (c.end(), resolve(true)));
    c.on('error', () => resolve(false));
  });

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 90_000): Promise<void> {
  const t0 = Date.now();
  while (!(await ok())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Stops a process we started, by its PID, when the test ends however it ends. */
function owned(child: ChildProcess): ChildProcess {
  scratch.onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL');
  });
  return child;
}

const files = (dir: string): Record<string, string> => Object.fromEntries(readdirSync(dir, { recursive: true }).map(String).filter((f) => f.includes('.')).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

describe.skipIf(!which('redis-server'))(`sweep --queue with blocksim worker${which('redis-server') ? '' : ' (skipped: redis-server is not installed; Debian package redis-server)'}`, () => {
  it('a point whose worker is killed is retried by the other, and the results equal a local sweep', async () => {
    const dir = scratch.tempDir('blocksim-queue-');
    writeFileSync(join(dir, 's.yaml'), SCENARIO);
    const port = await freePort();
    const redis = owned(spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' }));
    await until('redis-server', () => answers(port), 20_000);
    const url = `redis://127.0.0.1:${port}`;
    const logs = ['', ''];
    // a worker killed by SIGKILL cannot remove its temporary files: keep them in the scratch folder
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    const workers = [0, 1].map((i) => {
      const w = blocksimAsync(dir, ['worker', url, '--concurrency', '1', '--lock-duration', '2s'], { ...process.env, TMPDIR: tmp });
      owned(w.child);
      w.child.stderr!.on('data', (d: Buffer) => (logs[i] += d.toString()));
      return w;
    });
    await until('both workers', () => logs.every((l) => l.includes('serving')));
    const sweep = blocksimAsync(dir, ['sweep', 's.yaml', ...VARY, '--queue', url, '--out', 'queued', '--quiet']);
    owned(sweep.child);
    // kill worker 0 while it is inside a point (started, not done)
    let victim = '';
    await until('worker 0 inside a point', () => {
      const started = [...logs[0]!.matchAll(/point (\d+) of \w+ started/g)].map((m) => m[1]!);
      const done = new Set([...logs[0]!.matchAll(/point (\d+) of \w+ done/g)].map((m) => m[1]!));
      victim = started.find((p) => !done.has(p)) ?? '';
      return victim !== '';
    });
    process.kill(workers[0]!.child.pid!, 'SIGKILL');
    const swept = await sweep.done;
    expect(swept.code, swept.err).toBe(0);
    expect(logs[1]).toMatch(new RegExp(`point ${victim} of \\w+ started`)); // retried on the survivor
    // a local sweep writes the same files
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await (sweepCmd.handler as (a: unknown) => Promise<void>)({ _: [], $0: 'blocksim', scenario: join(dir, 's.yaml'), vary: ['devices.d.parallelism=2,4,6,8'], repeat: 2, workers: 1, out: join(dir, 'local'), quiet: true });
    } finally {
      log.mockRestore();
    }
    expect(files(join(dir, 'queued'))).toEqual(files(join(dir, 'local')));
    // the survivor stops cleanly on SIGTERM; then the server
    process.kill(workers[1]!.child.pid!, 'SIGTERM');
    const stopped = await workers[1]!.done;
    expect(stopped.code, stopped.err).toBe(0);
    expect(stopped.err).toMatch(/stopped after \d+ points/);
    process.kill(redis.pid!, 'SIGTERM');
    await until('redis-server to stop', () => redis.exitCode !== null || redis.signalCode !== null, 10_000);
  }, 240_000);
});
