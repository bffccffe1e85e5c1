/** fio's workload semantics, each against a value computed by hand. */
import { describe, expect, it } from 'vitest';
import { dir, p, relErr, run, singleDevice } from '../helpers.js';
import { AddressGenerator } from '../../src/model/address.js';
import { Rng } from '../../src/random/rng.js';
import { scenarioFrom } from '../helpers.js';

const FIXED_100 = { parallelism: 8, read: { latency: { dist: 'fixed', value: '100us' } }, write: { latency: { dist: 'fixed', value: '100us' } } };

describe('workload semantics', () => {
  it('issuing-side CPU: QD1 IOPS = 1/(submit + device + complete); slat and clat split as fio', () => {
    const r = run(singleDevice({ ...FIXED_100, cpu: { submit: '5us', complete: '10us' } }, { j: { rw: 'randread', iodepth: 1 } }));
    const d = dir(r, 'c.j');
    expect(relErr(d.iops, 1e6 / 115)).toBeLessThan(0.001);
    expect(d.slat.meanNs).toBe(5000);
    expect(d.clat.meanNs).toBe(110_000);
    expect(d.lat.meanNs).toBe(115_000);
  });

  it('CPU cost serialises per job: at depth 16 one job is CPU-bound at 1/(submit+complete)', () => {
    const r = run(singleDevice({ ...FIXED_100, parallelism: 64, cpu: { submit: '5us', complete: '5us' } }, { j: { rw: 'randread', iodepth: 16 } }));
    expect(relErr(dir(r, 'c.j').iops, 1e6 / 10)).toBeLessThan(0.01);
  });

  it('a per-call CPU cost batches an async engine: cost per I/O falls with depth', () => {
    const dev = { parallelism: 64, read: { latency: { dist: 'fixed', value: '0us' } }, cpu: { submit: '1us', complete: '1us', call: '10us' } };
    // QD1: one call per submit and per reap: 2 × (10 + 1) µs per I/O
    expect(relErr(dir(run(singleDevice(dev, { j: { rw: 'randread', iodepth: 1 } })), 'c.j').iops, 1e6 / 22)).toBeLessThan(0.001);
    // QD16 on an instant device: submit 16 in one call (10 + 16 µs), reap 16 in one call (10 + 16 µs)
    expect(relErr(dir(run(singleDevice(dev, { j: { rw: 'randread', iodepth: 16 } })), 'c.j').iops, 16e6 / 52)).toBeLessThan(0.001);
    // a synchronous engine pays the call on every I/O and keeps one in flight
    expect(relErr(dir(run(singleDevice(dev, { j: { rw: 'randread', iodepth: 16, ioengine: 'psync' } })), 'c.j').iops, 1e6 / 12)).toBeLessThan(0.001);
  });

  it('per-direction CPU costs: a write may cost the issuing side more than a read', () => {
    const dev = { parallelism: 8, read: { latency: { dist: 'fixed', value: '10us' } }, write: { latency: { dist: 'fixed', value: '10us' } }, cpu: { submit: '2us', write: { submit: '12us' } } };
    const r = run(singleDevice(dev, { r: { rw: 'randread', iodepth: 1 }, w: { rw: 'randwrite', iodepth: 1 } }));
    expect(relErr(dir(r, 'c.r').iops, 1e6 / 12)).toBeLessThan(0.001);
    expect(relErr(dir(r, 'c.w', 'write').iops, 1e6 / 22)).toBeLessThan(0.001);
  });

  it('thinktime: quiesce, then sleep, after thinktime_blocks completions', () => {
    const r = run(singleDevice(FIXED_100, { j: { rw: 'randread', iodepth: 1, thinktime: '900us' } }));
    expect(relErr(dir(r, 'c.j').iops, 1000)).toBeLessThan(0.002);
    // depth 4, 8 blocks then 1 ms: each cycle = 2 rounds of 100 µs + 1000 µs for 8 I/Os
    const r2 = run(singleDevice(FIXED_100, { j: { rw: 'randread', iodepth: 4, thinktime: '1ms', thinktime_blocks: 8 } }));
    expect(relErr(dir(r2, 'c.j').iops, 8 / 1200e-6)).toBeLessThan(0.002);
  });

  it('rate_iops paces each direction at its rate (fio applies one value to reads and writes)', () => {
    const r = run(singleDevice(FIXED_100, { j: { rw: 'randrw', rwmixread: 70, rate_iops: 1000, iodepth: 8 } }));
    expect(relErr(dir(r, 'c.j', 'read').iops, 1000)).toBeLessThan(0.002);
    expect(relErr(dir(r, 'c.j', 'write').iops, 1000)).toBeLessThan(0.002);
    const r2 = run(singleDevice(FIXED_100, { j: { rw: 'randrw', rate_iops: '700,300', rate_process: 'poisson', iodepth: 8 } }));
    expect(relErr(dir(r2, 'c.j', 'read').iops, 700)).toBeLessThan(0.03);
    expect(relErr(dir(r2, 'c.j', 'write').iops, 300)).toBeLessThan(0.04);
  });

  it('linear pacing starts each job at a seeded random phase: 200 paced replicas do not arrive in lockstep', () => {
    const s = scenarioFrom({
      name: 't', seed: 9, duration: '4s', ramp: '100ms',
      devices: { d: { parallelism: 8, read: { latency: { dist: 'fixed', value: '100us' } } } },
      volumes: { v: { device: 'd', size: '10GiB' } },
      containers: { c: { replicas: 200, volumes: ['v'], jobs: { j: { rw: 'randread', rate_iops: 100, iodepth: 4 } } } },
    });
    const r = run(s);
    // 20k IOPS on 8 slots of 100 µs: utilization 0.25. Spread arrivals (a superposition of
    // randomly phased periodic streams, close to Poisson) almost never find 8 busy slots:
    // M/D/8 at 0.25 waits ~1e-4 I/Os on average; in lockstep all 200 would queue every 10 ms.
    expect(r.devices[0]!.meanWaiting).toBeLessThan(0.01);
    const worst = Math.max(...r.jobs.map((j) => p(j.read, 99)));
    expect(worst).toBeLessThan(150_000);
    expect(relErr(r.jobs.reduce((sum, j) => sum + j.read.iops, 0), 20_000)).toBeLessThan(0.01);
  });

  it('rwmixread splits a closed-loop mix; bssplit sets the mean block size', () => {
    const r = run(singleDevice(FIXED_100, { j: { rw: 'randrw', rwmixread: 70, bssplit: '4k/50:64k/50,16k', iodepth: 8 } }));
    const rd = dir(r, 'c.j', 'read');
    const wr = dir(r, 'c.j', 'write');
    expect(Math.abs(rd.totalIos / (rd.totalIos + wr.totalIos) - 0.7)).toBeLessThan(0.005);
    expect(relErr(rd.ioBytes / rd.totalIos, (4096 + 65536) / 2)).toBeLessThan(0.01);
    expect(wr.ioBytes / wr.totalIos).toBe(16384);
  });

  it('bandwidth adds size/bandwidth to service: 1 MiB at 1 GiB/s + 100 µs', () => {
    const dev = { parallelism: 1, read: { latency: { dist: 'fixed', value: '100us' }, bandwidth: '1GiB/s' } };
    const r = run(singleDevice(dev, { j: { rw: 'read', bs: '1m', iodepth: 1 } }));
    expect(dir(r, 'c.j').clat.meanNs).toBeCloseTo(100_000 + 1e9 / 1024, -1);
  });

  it('numjobs clones share one result; replicas share the device', () => {
    const r = run(singleDevice(FIXED_100, { j: { rw: 'randread', iodepth: 1, numjobs: 3 } }));
    expect(r.jobs.map((j) => j.name)).toEqual(['c.j']);
    expect(relErr(dir(r, 'c.j').iops, 30_000)).toBeLessThan(0.001);
    const s = scenarioFrom({
      name: 't', duration: '10s',
      devices: { d: FIXED_100 },
      volumes: { v: { device: 'd', size: '1GiB' } },
      containers: { db: { replicas: 2, volumes: ['v'], jobs: { q: { rw: 'randread', iodepth: 8 } } } },
    });
    const r2 = run(s);
    expect(r2.jobs.map((j) => j.name)).toEqual(['db.0.q', 'db.1.q']);
    const total = dir(r2, 'db.0.q').iops + dir(r2, 'db.1.q').iops;
    expect(relErr(total, 80_000)).toBeLessThan(0.001); // 8 slots / 100 µs, shared
    expect(relErr(dir(r2, 'db.0.q').iops, 40_000)).toBeLessThan(0.02);
  });

  it('sync engines keep one I/O in flight whatever iodepth says', () => {
    const r = run(singleDevice(FIXED_100, { j: { rw: 'randread', iodepth: 32, ioengine: 'psync' } }));
    expect(relErr(dir(r, 'c.j').iops, 10_000)).toBeLessThan(0.001);
  });

  it('startdelay shifts the job; ramp is excluded from statistics', () => {
    const r = run(singleDevice(FIXED_100, { j: { rw: 'randread', rate_iops: 100, startdelay: '3s', iodepth: 1 } }, { duration: '10s', ramp: '2s' }));
    expect(Math.abs(dir(r, 'c.j').totalIos - 1000)).toBeLessThanOrEqual(1);
  });
});

describe('addresses', () => {
  const spec = (extra: Record<string, unknown>) =>
    scenarioFrom({
      name: 't', duration: '1s',
      devices: { d: FIXED_100 },
      volumes: { v: { device: 'd', size: '1MiB' } },
      containers: { c: { volumes: ['v'], jobs: { j: { offset: '256k', size: '64k', ...extra } } } },
    }).containers[0]!.jobs[0]!;

  it('sequential jobs advance per direction and wrap within their span', () => {
    const g = new AddressGenerator(spec({ rw: 'rw', bs: '16k' }), Rng.fromSeed(1));
    const reads = Array.from({ length: 5 }, () => g.next(0, 16384) / 1024);
    expect(reads).toEqual([256, 272, 288, 304, 256]);
    expect(g.next(1, 16384) / 1024).toBe(256);
  });

  it('random offsets are aligned to the smallest block and stay in the span', () => {
    const g = new AddressGenerator(spec({ rw: 'randread', bssplit: '4k/50:16k/50' }), Rng.fromSeed(2));
    const seen = new Set<number>();
    for (let i = 0; i < 5000; i++) {
      const size = i % 2 ? 4096 : 16384;
      const off = g.next(0, size);
      expect(off % 4096).toBe(0);
      expect(off).toBeGreaterThanOrEqual(256 * 1024);
      expect(off + size).toBeLessThanOrEqual(320 * 1024);
      seen.add(off);
    }
    expect(seen.size).toBe(16); // every 4k slot of the 64k span is reached
  });

  it('zipf concentrates accesses: the hottest block takes far more than 1/N', () => {
    const g = new AddressGenerator(spec({ rw: 'randread', bs: '4k', random_distribution: 'zipf:1.2' }), Rng.fromSeed(3));
    const counts = new Map<number, number>();
    for (let i = 0; i < 10000; i++) {
      const o = g.next(0, 4096);
      counts.set(o, (counts.get(o) ?? 0) + 1);
    }
    expect(Math.max(...counts.values()) / 10000).toBeGreaterThan(0.3);
  });
});
