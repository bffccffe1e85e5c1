/** sweep, capacity and compare-layouts from the command line. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blocksimIn } from '../cli-runner.js';

const work = mkdtempSync(join(tmpdir(), 'blocksim-sweep-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const run = (...args: string[]) => blocksimIn(work, args);

const layout = (name: string, parallelism: number) => `
name: ${name}
seed: 3
duration: 2s
devices:
  d: { parallelism: ${parallelism}, read: { latency: { dist: exponential, mean: 100us } } }
volumes:
  v: { device: d, size: 10GiB }
containers:
  app: { replicas: 2, volumes: [v], jobs: { q: { rw: randread, rate_iops: 2000, rate_process: poisson, iodepth: 64 } } }
`;

describe('sweep and capacity on the command line', () => {
  writeFileSync(join(work, 'a.yaml'), layout('small', 2));
  writeFileSync(join(work, 'b.yaml'), layout('large', 8));

  it('sweep gives the same sweep.csv on 1 and on 2 workers', () => {
    const one = run('sweep', 'a.yaml', '--vary', 'containers.app.replicas=1..4', '--vary', 'devices.d.parallelism=2,4', '--workers', '1', '--out', 's1', '--quiet');
    const two = run('sweep', 'a.yaml', '--vary', 'containers.app.replicas=1..4', '--vary', 'devices.d.parallelism=2,4', '--workers', '2', '--out', 's2', '--quiet');
    expect(one.code, one.err).toBe(0);
    expect(two.code, two.err).toBe(0);
    const csv = readFileSync(join(work, 's1', 'sweep.csv'), 'utf8');
    expect(csv).toBe(readFileSync(join(work, 's2', 'sweep.csv'), 'utf8'));
    expect(csv.split('\n')[0]).toBe('point,containers.app.replicas,devices.d.parallelism,repetition,seed,job,direction,iops,mean_us,p50_us,p99_us,p99_9_us,max_utilization,binding_constraint,error');
    expect(csv.trim().split('\n').length).toBe(1 + (1 + 2 + 3 + 4) * 2); // one row per point × job
  });

  it('sweep varies device profiles, built-in and from files next to the scenario', () => {
    writeFileSync(join(work, 'fast.yaml'), 'device:\n  parallelism: 16\n  read: { latency: { dist: fixed, value: 20us } }\n');
    writeFileSync(join(work, 'p.yaml'), layout('profiled', 1).replace(/d: \{ parallelism[^\n]*/, 'd: { profile: nvme-dc }'));
    const r = run('sweep', 'p.yaml', '--vary', 'devices.d.profile=./fast.yaml,sata-ssd', '--workers', '1', '--out', 'sp', '--quiet');
    expect(r.code, r.err).toBe(0);
    const rows = readFileSync(join(work, 'sp', 'sweep.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    expect(rows.every((c) => c[c.length - 1] === '')).toBe(true); // no point invalid
    const p50 = (profile: string) => Number(rows.find((c) => c[1] === profile)![8]);
    expect(p50('./fast.yaml')).toBeCloseTo(20, 0);
    expect(p50('sata-ssd')).toBeGreaterThan(50);
    expect(run('sweep', 'p.yaml', '--vary', 'devices.d.profile=./missing.yaml', '--quiet').code).toBe(2);
  });

  it('capacity answers, and exits 1 when even the smallest value misses', () => {
    const ok = run('capacity', 'a.yaml', '--vary', 'containers.app.replicas=1..20', '--slo', 'p99<=2ms', '--repeat', '2');
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/containers\.app\.replicas = \d+ meets p99<=2ms/);
    expect(ok.out).toMatch(/headroom: p99<=2ms/);
    expect(run('capacity', 'a.yaml', '--vary', 'containers.app.replicas=1..4', '--slo', 'p99<=1us').code).toBe(1);
    expect(run('capacity', 'a.yaml', '--vary', 'containers.app.replicas=1..4', '--slo', 'p99 under 2ms').code).toBe(2);
  });

  it('compare-layouts puts layouts side by side and names the winner', () => {
    const r = run('compare-layouts', 'a.yaml', 'b.yaml', '--slo', 'p99<=2ms', '--vary', 'containers.app.replicas=1..30', '--out', 'lay');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/winner under the SLOs: large/);
    expect(readFileSync(join(work, 'lay', 'report.html'), 'utf8')).toContain('capacity: largest containers.app.replicas');
  });
});
