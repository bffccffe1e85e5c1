/** Space projected from a short window against a longer simulation of the same pattern. */
import { describe, expect, it } from 'vitest';
import { projectSpace } from '../../src/sweep/space-projection.js';
import { scenarioFrom, run, relErr } from '../helpers.js';

const base = (duration: string) =>
  scenarioFrom({
    name: 'space', seed: 4, duration,
    devices: { d: { parallelism: 8, read: { latency: { dist: 'fixed', value: '50us' } }, write: { latency: { dist: 'fixed', value: '50us' } } } },
    pools: { p: { devices: ['d'], capacity: '3.5GiB', allocationUnit: '1MiB' } },
    volumes: {
      snap: { device: 'd', size: '10GiB', snapshots: { every: '3s', keep: 2, chunk: '64k' } },
      thin: { pool: 'p', size: '8GiB' },
    },
    containers: {
      a: { volumes: ['snap'], jobs: { w: { rw: 'randwrite', bs: '4k', size: '256m', rate_iops: 4000, iodepth: 16 } } },
      b: { volumes: ['thin'], jobs: { w: { rw: 'randwrite', bs: '4k', size: '4GiB', rate_iops: 500, iodepth: 16 } } },
    },
  });

describe('space projection', () => {
  it('a 4 s window projected to 14 s matches a 14 s simulation (snapshots within 3 %, thin allocation within 3 %)', () => {
    const short = base('4s');
    const projection = projectSpace(short, run(short), 14e6);
    const long = run(base('14s'));
    const snap = long.volumes!.find((v) => v.name === 'snap')!;
    expect(projection.volumes[0]!.liveSnapshots).toBe(2);
    expect(relErr(projection.volumes[0]!.snapshotBytes, snap.snapshotBytes)).toBeLessThan(0.03);
    expect(relErr(projection.pools[0]!.allocatedBytes, long.pools![0]!.allocatedBytes)).toBeLessThan(0.03);
    expect(projection.assumption).toMatch(/uniformly/);
  });

  it('the pool fills when the expected allocated units reach its capacity', () => {
    const short = base('4s');
    const results = run(short);
    const projection = projectSpace(short, results, 60e6);
    // 4 GiB span in 1 MiB units, w random writes per second: U(1 - e^(-w t / U)) = 3584 units
    const U = 4096;
    const w = results.jobs.find((j) => j.name === 'b.w')!.write.iops;
    const expected = (-U / w) * Math.log(1 - 3584 / U) * 1e6;
    expect(relErr(projection.pools[0]!.fullAtUs, expected)).toBeLessThan(0.01);
    expect(projection.pools[0]!.allocatedBytes).toBe(3.5 * 2 ** 30);
  });
});
