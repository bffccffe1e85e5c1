/** Sharded sweeps and capacity searches merge into the files one machine writes, byte for byte. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { blocksimIn } from '../cli-runner.js';
import { Scratch } from '../real/system.js';
import { sweepCmd } from '../../src/cli/commands/sweep.js';
import { capacityCmd } from '../../src/cli/commands/capacity.js';
import { mergeCmd } from '../../src/cli/commands/merge.js';
import { gridPoints } from '../../src/sweep/grid.js';
import { decodePointResult, encodePointResult, inShard, mergeShards, parseShard, type ShardFile } from '../../src/sweep/shard.js';

const scratch = new Scratch();
afterAll(() => scratch.cleanup());

export const SWEEP_SCENARIO = `
name: shard-me
seed: 5
duration: 200ms
devices:
  d: { parallelism: 2, read: { latency: { dist: exponential, mean: 100us } } }
volumes:
  v: { device: d, size: 1GiB }
containers:
  db: { replicas: 1, volumes: [v], jobs: { r: { rw: randread, bs: 4k, iodepth: 16, rate_iops: 2000, rate_process: poisson } } }
`;

/** Runs a command module's handler in this process, as yargs would with these arguments. */
async function handle(cmd: { handler: unknown }, args: Record<string, unknown>): Promise<void> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    await (cmd.handler as (a: unknown) => Promise<void>)({ _: [], $0: 'blocksim', quiet: true, ...args });
  } finally {
    log.mockRestore();
    process.exitCode = undefined; // capacity sets 1 when nothing meets the SLOs; the test asserts on its files
  }
}

const files = (dir: string): Record<string, string> => Object.fromEntries(readdirSync(dir, { recursive: true }).map(String).filter((f) => f.includes('.')).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

describe('shards', () => {
  it('I/N slices cover every point exactly once, for N = 1..7', () => {
    const points = gridPoints([{ path: ['a'], text: 'a', values: [1, 2, 3, 4, 5] }, { path: ['b'], text: 'b', values: ['x', 'y'] }], 2, 1);
    for (let n = 1; n <= 7; n++) {
      const taken = Array.from({ length: n }, (_, i) => points.filter(inShard({ index: i + 1, count: n })).map((p) => p.index)).flat().sort((a, b) => a - b);
      expect(taken).toEqual(points.map((p) => p.index));
    }
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1-3']) expect(typeof parseShard(bad)).toBe('string');
  });

  it('point results survive the shard file exactly, non-finite numbers included', () => {
    const r = { point: { index: 3, values: { a: 1.1 }, repetition: 1, seed: 99 }, rows: [{ job: 'c.j', direction: 'read' as const, iops: 1 / 3, meanUs: NaN, p50Us: Infinity, p99Us: -Infinity, p999Us: 5e-324 }], maxUtilization: 0.1 + 0.2, binding: { where: 'device d', resource: 'slots', utilization: Infinity } };
    const back = decodePointResult(JSON.parse(JSON.stringify(encodePointResult(r))));
    expect(back).toEqual(r);
    expect(Object.is(back.rows[0]!.meanUs, NaN)).toBe(true);
  });

  it('merge refuses a missing shard, a shard twice and a shard of another run', () => {
    const f = (index: number, key = 'k'): { source: string; file: ShardFile } => ({ source: `s${index}`, file: { blocksim: 'shard', kind: 'sweep', key, shard: { index, count: 3 }, total: 3, meta: {}, results: [] } });
    expect(mergeShards([f(1), f(2)])).toEqual(['missing shard 3 of 3']);
    expect(mergeShards([f(1), f(2), f(2), f(3)])).toEqual(['s2: shard 2/3 is also in s2']);
    expect((mergeShards([f(1), f(2), f(3, 'other')]) as string[]).join()).toMatch(/s3: from another run/);
    expect(mergeShards([f(1), f(2), f(3)])).toEqual(['3 of 3 points have no result']);
  });

  it('sweep --shard on 1, 2 and 3 shards, then merge, writes the unsharded sweep’s files byte for byte', async () => {
    const dir = scratch.tempDir('blocksim-shard-');
    const scenario = join(dir, 's.yaml');
    writeFileSync(scenario, SWEEP_SCENARIO);
    const sweep = { scenario, vary: ['containers.db.jobs.r.rate_iops=1000..4000/1000', 'devices.d.parallelism=1,2'], repeat: 2, workers: 1, slo: 'p99<=300us' };
    await handle(sweepCmd, { ...sweep, out: join(dir, 'whole') });
    const whole = files(join(dir, 'whole'));
    expect(Object.keys(whole)).toEqual(['charts/sweep.vl.json', 'report.html', 'sweep.csv']);
    expect(whole['sweep.csv']!.trim().split('\n')).toHaveLength(1 + 16);
    for (const n of [1, 2, 3]) {
      const shards = [];
      for (let i = 1; i <= n; i++) {
        const out = join(dir, `n${n}-s${i}`);
        await handle(sweepCmd, { ...sweep, shard: `${i}/${n}`, out });
        expect(readdirSync(out)).toEqual([`sweep-shard-${i}-of-${n}.json`]);
        shards.push(out);
      }
      await handle(mergeCmd, { dirs: shards.reverse(), out: join(dir, `merged-${n}`) });
      expect(files(join(dir, `merged-${n}`)), `${n} shards`).toEqual(whole);
    }
    // the same through the command line, from shard files and a log that printed one
    const log = join(dir, 'pod-2.log');
    writeFileSync(log, `starting\n${readFileSync(join(dir, 'n3-s2', 'sweep-shard-2-of-3.json'), 'utf8')}`);
    const r = blocksimIn(dir, ['merge', 'n3-s1', log, 'n3-s3/sweep-shard-3-of-3.json', '--out', 'cli']);
    expect(r.code, r.err).toBe(0);
    expect(files(join(dir, 'cli'))).toEqual(whole);
    const missing = blocksimIn(dir, ['merge', 'n3-s1', 'n3-s3', '--out', 'cli2']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/missing shard 2 of 3/);
    const mixed = blocksimIn(dir, ['merge', 'n2-s1', 'n3-s2', 'n3-s3', '--out', 'cli3']);
    expect(mixed.code).toBe(2);
    expect(mixed.err).toMatch(/from another run/);
  });

  it('capacity --shard, then merge, writes the capacity.json of a search on one machine', async () => {
    const dir = scratch.tempDir('blocksim-shard-cap-');
    const scenario = join(dir, 's.yaml');
    writeFileSync(scenario, SWEEP_SCENARIO);
    const cap = { scenario, vary: 'containers.db.jobs.r.rate_iops=1000..20000/1000', slo: ['p99<=800us'], repeat: 2, workers: 1 };
    await handle(capacityCmd, { ...cap, out: join(dir, 'whole') });
    const whole = readFileSync(join(dir, 'whole', 'capacity.json'), 'utf8');
    const answer = JSON.parse(whole);
    expect(answer.value).toBeGreaterThan(1000);
    expect(answer.atUpperBound).toBe(false); // the search had to find a boundary
    for (const n of [2, 3]) {
      const shards = [];
      for (let i = 1; i <= n; i++) {
        shards.push(join(dir, `n${n}-s${i}`));
        await handle(capacityCmd, { ...cap, shard: `${i}/${n}`, out: shards.at(-1) });
      }
      await handle(mergeCmd, { dirs: shards, out: join(dir, `merged-${n}`) });
      expect(readFileSync(join(dir, `merged-${n}`, 'capacity.json'), 'utf8'), `${n} shards`).toBe(whole);
    }
  });
});
