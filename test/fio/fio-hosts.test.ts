/** Many hosts through fio's client/server mode (servers on loopback addresses), and resumable sweeps. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blocksimIn } from '../cli-runner.js';
import { Scratch, which } from '../real/system.js';
import { parseFioJson } from '../../src/fio/parse.js';

const blocksim = (cwd: string, ...args: string[]) => blocksimIn(cwd, args);

const scratch = new Scratch();
const servers: ChildProcess[] = [];
afterAll(() => {
  for (const s of servers) s.kill('SIGKILL');
  scratch.cleanup();
});


/** True when /proc/net/tcp shows ip:port in LISTEN state (no connection made to the server). */
function listening(ip: string, port: number): boolean {
  const hexIp = ip.split('.').map((o) => Number(o).toString(16).padStart(2, '0').toUpperCase()).reverse().join('');
  const want = `${hexIp}:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/tcp', 'utf8').split('\n').some((l) => {
    const f = l.trim().split(/\s+/);
    return f[1] === want && f[3] === '0A';
  });
}

async function startServer(ip: string, port: number): Promise<void> {
  const s = spawn('fio', [`--server=ip:${ip},${port}`], { stdio: 'ignore' });
  servers.push(s);
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    if (listening(ip, port)) return;
  }
  throw new Error(`fio server on ${ip}:${port} did not start`);
}

describe.skipIf(!which('fio'))(`fio on many hosts and sweeps${which('fio') ? '' : ' (skipped: fio is not installed)'}`, () => {
  it('runs one job file on two fio servers; results keep hostname and the All clients aggregate', async () => {
    await startServer('127.0.0.1', 18765);
    await startServer('127.0.0.2', 18765);
    const dir = scratch.tempDir('blocksim-clients-');
    writeFileSync(join(dir, 's.yaml'), `
name: clients
duration: 2s
devices:
  d: { parallelism: 4, read: { latency: { dist: exponential, mean: 50us } } }
volumes:
  v: { device: d, size: 64MiB }
containers:
  a: { volumes: [v], jobs: { r: { rw: randread, bs: 4k, iodepth: 4 } } }
`);
    writeFileSync(join(dir, 'hosts.txt'), '# test servers\n127.0.0.2:18765\n');
    const r = blocksim(dir, 'fio', 'run', 's.yaml', '--target', `v=${join(dir, 'v.dat')}`, '--client', '127.0.0.1:18765', '--client', '@hosts.txt', '--out', 'res', '--quiet');
    expect(r.code, r.err).toBe(0);
    const results = parseFioJson(readFileSync(join(dir, 'res', 'fio.json'), 'utf8'));
    const hosts = results.jobs.filter((j) => j.name === 'a.r').map((j) => j.hostname).sort();
    expect(hosts).toEqual(['127.0.0.1', '127.0.0.2']);
    const all = results.jobs.find((j) => j.name === 'All clients')!;
    const sum = results.jobs.filter((j) => j.name === 'a.r').reduce((s, j) => s + j.read.iops, 0);
    expect(Math.abs(all.read.iops - sum) / sum).toBeLessThan(0.01);
  });

  it('a sweep writes one JSON per point and resumes without measuring points twice', () => {
    const dir = scratch.tempDir('blocksim-sweep-');
    const base = ['fio', 'sweep', '--target', join(dir, 'sweep.dat'), '--rw', 'randread', '--bs', '4k', '--runtime', '1s', '--size', '32m', '--out', 'sw', '--quiet'];
    expect(blocksim(dir, ...base, '--iodepth', '1,4').code).toBe(0);
    const first = readFileSync(join(dir, 'sw', 'randread-4k-qd1-nj1.json'), 'utf8');
    expect(blocksim(dir, ...base, '--iodepth', '1,4,8').code).toBe(0);
    const names = ['randread-4k-qd1-nj1', 'randread-4k-qd4-nj1', 'randread-4k-qd8-nj1'];
    expect(readdirSync(join(dir, 'sw')).sort()).toEqual(names.flatMap((n) => [`${n}.host.json`, `${n}.json`]));
    expect(readFileSync(join(dir, 'sw', 'randread-4k-qd1-nj1.json'), 'utf8')).toBe(first); // not measured again
    expect(parseFioJson(first).jobs[0]!.read.iops).toBeGreaterThan(0);
    const host = JSON.parse(readFileSync(join(dir, 'sw', 'randread-4k-qd1-nj1.host.json'), 'utf8'));
    expect(host.cores).toBeGreaterThanOrEqual(1);
    expect(host.cpu.idle + host.cpu.user + host.cpu.system).toBeGreaterThan(0);
  });

  it('the calibrate recipe measures what calibrate needs, and calibrate fits it with cross-validation', () => {
    const dir = scratch.tempDir('blocksim-recipe-');
    const r = blocksim(dir, 'fio', 'sweep', '--recipe', 'calibrate', '--target', join(dir, 'recipe.dat'), '--runtime', '400ms', '--ramp', '100ms', '--size', '32m', '--out', 'sw', '--quiet');
    expect(r.code).toBe(0);
    const files = readdirSync(join(dir, 'sw')).filter((f) => f.endsWith('.json') && !f.endsWith('.host.json'));
    expect(files).toHaveLength(14); // 7 points × 2 repetitions
    expect(files).toContain('randread-4k-qd32-nj1-r2.json');
    const c = blocksim(dir, 'calibrate', 'sw', '-o', 'p.yaml');
    expect(c.code).toBe(0);
    expect(c.err).toMatch(/cross-validated/);
    expect(c.err).toMatch(/median \|error\|: IOPS/);
    const profile = readFileSync(join(dir, 'p.yaml'), 'utf8');
    expect(profile).toMatch(/host:\n {2}cores: \d+/);
  }, 120_000);
});
