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
  const device = (access: Record<string, unknown>) => ({
    parallelism: 8,
    read: { latency: access, bandwidth: '1GiB/s' },
    write: { latency: access, bandwidth: '512MiB/s' },
  });
  const fixed = device({ dist: 'fixed', value: '100us' });
  const exponential = device({ dist: 'exponential', mean: '100us' });
  /** Bytes that may complete in the window beyond bandwidth × time: transfers begun before it. */
  const edge = (qd: number, bs: number, seconds: number): number => (qd * bs) / seconds;

  it('1 MiB reads at QD32 on 8 slots move the device bandwidth (1 GiB/s), not 8 times it', () => {
    for (const dev of [fixed, exponential]) {
      const r = run(singleDevice(dev, { j: { rw: 'randread', bs: '1m', iodepth: 32 } }, { duration: '5s' }));
      const bw = dir(r, 'c.j').bwBytesPerSec;
      expect(bw).toBeLessThanOrEqual(GiB + edge(32, MiB, 5));
      // Fixed access keeps the 8 slots in step, so the stage idles 100 µs per 8 transfers: 98.7 %.
      expect(bw).toBeGreaterThan(GiB * 0.985);
      expect(r.devices[0]!.transferUtilization!).toBeGreaterThan(0.985);
    }
  });

  it('at QD1 one I/O takes access + size / bandwidth: 100 µs + 976.5625 µs', () => {
    const r = run(singleDevice(fixed, { j: { rw: 'randread', bs: '1m', iodepth: 1 } }, { duration: '5s' }));
    expect(relErr(dir(r, 'c.j').iops, 1e6 / (100 + (MiB / GiB) * 1e6))).toBeLessThan(0.002);
  });

  it('writes use their own rate on the same stage: 1 MiB writes at QD16 give 512 MiB/s', () => {
    const r = run(singleDevice(exponential, { j: { rw: 'randwrite', bs: '1m', iodepth: 16 } }, { duration: '5s' }));
    const bw = dir(r, 'c.j', 'write').bwBytesPerSec;
    expect(bw).toBeLessThanOrEqual(512 * MiB + edge(16, MiB, 5));
    expect(bw).toBeGreaterThan(512 * MiB * 0.99);
  });

  it('the stage is shared, not a queue: 4 KiB reads beside a 1 MiB stream wait a few 4 KiB transfers, never a whole 1 MiB one', () => {
    const r = run(singleDevice(fixed, { big: { rw: 'read', bs: '1m', iodepth: 4 }, small: { rw: 'randread', bs: '4k', iodepth: 1 } }, { duration: '5s' }));
    // With 5 transfers active the 4 KiB one takes 5 × 3.8 µs; a first-come-first-served
    // stage would hold it behind 1 MiB transfers (976 µs each).
    const mean = dir(r, 'c.small').clat.meanNs / 1e3;
    expect(mean).toBeLessThan(100 + 5 * 3.82 + 1);
    expect(mean).toBeGreaterThan(100 + 3.8);
    expect(dir(r, 'c.big').bwBytesPerSec + dir(r, 'c.small').bwBytesPerSec).toBeLessThanOrEqual(GiB + edge(5, MiB, 5));
  });

  it('processor sharing against theory: M/D/1-PS mean time = S / (1 - ρ), whatever the work distribution', () => {
    const S = (65536 / GiB) * 1e6; // 61.035 µs of exclusive transfer per 64 KiB read
    for (const rho of [0.5, 0.8]) {
      const dev = { parallelism: 65536, read: { latency: { dist: 'fixed', value: '0us' }, bandwidth: '1GiB/s' } };
      const job = { rw: 'randread', bs: '64k', rate_iops: Math.round((rho / S) * 1e6), rate_process: 'poisson', iodepth: 65536 };
      const r = run(singleDevice(dev, { j: job }, { duration: '60s' }));
      const rhoActual = (dir(r, 'c.j').iops * S) / 1e6;
      expect(relErr(dir(r, 'c.j').clat.meanNs / 1e3, S / (1 - rhoActual))).toBeLessThan(0.03);
    }
  });

  it('small blocks are bound by slots, not by the transfer stage: 4 KiB QD64 IOPS within 3 % of 8 / (100 µs + 3.8 µs)', () => {
    const r = run(singleDevice(exponential, { j: { rw: 'randread', bs: '4k', iodepth: 64 } }, { duration: '5s' }));
    const iops = dir(r, 'c.j').iops;
    const slotBound = 8 / ((100 + (4096 / GiB) * 1e6) * 1e-6);
    expect(iops).toBeLessThanOrEqual(slotBound * 1.01);
    expect(relErr(iops, slotBound)).toBeLessThan(0.03);
  });

  it('the built-in nvme-dc never exceeds its data sheet 6,900 MB/s at QD64 with 1 MiB reads', () => {
    const r = run(singleDevice({ profile: 'nvme-dc' }, { j: { rw: 'randread', bs: '1m', iodepth: 64 } }, { duration: '2s' }));
    const bw = dir(r, 'c.j').bwBytesPerSec;
    expect(bw).toBeLessThanOrEqual(6900e6 + edge(64, MiB, 2));
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
