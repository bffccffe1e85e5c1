/**
 * A device's bandwidth is the device's, not each slot's: large blocks at any depth never
 * move more than it, checked against hand-computed values; sequential access skips the
 * access latency where the device has a sequential latency (an HDD's seek and rotation).
 */
import { describe, expect, it } from 'vitest';
import { dir, relErr, run, scenarioFrom, singleDevice } from '../helpers.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

describe('shared transfer stage', () => {
  const device = {
    parallelism: 8,
    read: { latency: { dist: 'fixed', value: '100us' }, bandwidth: '1GiB/s' },
    write: { latency: { dist: 'fixed', value: '100us' }, bandwidth: '512MiB/s' },
  };

  it('1 MiB reads at QD32 on 8 slots move exactly the device bandwidth (1 GiB/s), not 8 times it', () => {
    const r = run(singleDevice(device, { j: { rw: 'randread', bs: '1m', iodepth: 32 } }, { duration: '5s' }));
    const bw = dir(r, 'c.j').bwBytesPerSec;
    expect(relErr(bw, GiB)).toBeLessThan(0.005);
    expect(bw).toBeLessThanOrEqual(GiB * 1.0001);
    expect(r.devices[0]!.transferUtilization!).toBeGreaterThan(0.99);
  });

  it('at QD1 one I/O takes access + size / bandwidth: 100 µs + 976.5625 µs', () => {
    const r = run(singleDevice(device, { j: { rw: 'randread', bs: '1m', iodepth: 1 } }, { duration: '5s' }));
    const iops = dir(r, 'c.j').iops;
    expect(relErr(iops, 1e6 / (100 + (MiB / GiB) * 1e6))).toBeLessThan(0.002);
  });

  it('writes use their own rate on the same stage: 1 MiB writes at QD16 give 512 MiB/s', () => {
    const r = run(singleDevice(device, { j: { rw: 'randwrite', bs: '1m', iodepth: 16 } }, { duration: '5s' }));
    expect(relErr(dir(r, 'c.j', 'write').bwBytesPerSec, 512 * MiB)).toBeLessThan(0.005);
  });

  it('small blocks are bound by slots, not by the transfer stage: 4 KiB QD64 IOPS close to 8 / (100 µs + 3.8 µs)', () => {
    const r = run(singleDevice(device, { j: { rw: 'randread', bs: '4k', iodepth: 64 } }, { duration: '5s' }));
    const iops = dir(r, 'c.j').iops;
    const slotBound = 8 / ((100 + (4096 / GiB) * 1e6) * 1e-6);
    expect(iops).toBeLessThanOrEqual(slotBound * 1.001);
    expect(relErr(iops, slotBound)).toBeLessThan(0.05);
  });

  it('the built-in nvme-dc never exceeds its data sheet 6,900 MB/s at QD64 with 1 MiB reads', () => {
    const r = run(singleDevice({ profile: 'nvme-dc' }, { j: { rw: 'randread', bs: '1m', iodepth: 64 } }, { duration: '2s' }));
    const bw = dir(r, 'c.j').bwBytesPerSec;
    expect(bw).toBeLessThanOrEqual(6900e6 * 1.0001);
    expect(bw).toBeGreaterThan(6900e6 * 0.97);
  });
});

describe('sequential access', () => {
  it('hdd-7200 reads 1 MiB sequentially at QD1 near its 215 MB/s media rate (50 µs command overhead)', () => {
    const r = run(singleDevice({ profile: 'hdd-7200' }, { j: { rw: 'read', bs: '1m', iodepth: 1 } }, { duration: '10s' }));
    const expected = MiB / ((MiB / 215e6) * 1e6 + 50); // bytes per µs
    expect(relErr(dir(r, 'c.j').bwBytesPerSec, expected * 1e6)).toBeLessThan(0.01);
    expect(dir(r, 'c.j').bwBytesPerSec).toBeGreaterThan(200e6);
  });

  it('hdd-7200 random 4 KiB reads still pay seek and rotation: about 80 IOPS', () => {
    const r = run(singleDevice({ profile: 'hdd-7200' }, { j: { rw: 'randread', bs: '4k', iodepth: 1 } }, { duration: '60s' }));
    expect(relErr(dir(r, 'c.j').iops, 1e6 / (12_500 + 4096 / 215 + 6))).toBeLessThan(0.05);
  });

  it('two interleaved sequential streams on one disk make it seek again', () => {
    const s = scenarioFrom({
      name: 't', seed: 5, duration: '10s',
      devices: { d: { profile: 'hdd-7200' } },
      volumes: { a: { device: 'd', size: '10GiB' }, b: { device: 'd', size: '10GiB' } },
      containers: { c: { volumes: ['a', 'b'], jobs: { x: { rw: 'read', bs: '64k', iodepth: 1, volume: 'a' }, y: { rw: 'read', bs: '64k', iodepth: 1, volume: 'b' } } } },
    });
    const r = run(s);
    const total = dir(r, 'c.x').iops + dir(r, 'c.y').iops;
    // Strictly alternating streams: every I/O is a random access (about 12.5 ms).
    expect(total).toBeLessThan(100);
  });

  it('a device without a sequential latency serves sequential and random I/O alike', () => {
    const dev = { parallelism: 1, read: { latency: { dist: 'fixed', value: '100us' } } };
    const seq = dir(run(singleDevice(dev, { j: { rw: 'read', bs: '4k' } }, { duration: '2s' })), 'c.j').iops;
    const rnd = dir(run(singleDevice(dev, { j: { rw: 'randread', bs: '4k' } }, { duration: '2s' })), 'c.j').iops;
    expect(seq).toBe(rnd);
  });
});
