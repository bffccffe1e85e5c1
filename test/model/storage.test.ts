/**
 * Storage semantics against values computed by hand, independently of the simulator:
 * coupon-collector counts, fixed-service latencies, replica quorums, token-bucket rates.
 */
import { describe, expect, it } from 'vitest';
import { dir, relErr, run, scenarioFrom } from '../helpers.js';
import type { Results } from '../../src/results/types.js';

const dev = (readUs: number, writeUs: number, parallelism = 1, extra: Record<string, unknown> = {}) => ({
  parallelism,
  read: { latency: { dist: 'fixed', value: `${readUs}us` } },
  write: { latency: { dist: 'fixed', value: `${writeUs}us` } },
  ...extra,
});

function one(volume: Record<string, unknown>, job: Record<string, unknown>, opts: Record<string, unknown> = {}): Results {
  return run(
    scenarioFrom({
      name: 't', seed: 3, duration: '10s',
      devices: { d: dev(100, 50, 64), ...(opts.devices as object) },
      ...(opts.pools ? { pools: opts.pools } : {}),
      volumes: { v: { device: 'd', size: '1GiB', ...volume } },
      containers: { c: { volumes: ['v'], jobs: { j: job } } },
      ...(opts.top as object),
    }),
  );
}

const vol = (r: Results) => r.volumes![0]!;

describe('snapshots', () => {
  for (const chunk of ['4k', '64k']) {
    it(`norandommap: distinct chunks copied after n uniform 4k writes match N(1-(1-1/N)^n) within 2 % (chunk ${chunk})`, () => {
      const span = 40 * 2 ** 20;
      const chunkBytes = chunk === '4k' ? 4096 : 65536;
      const r = one(
        { snapshots: { at: [0], chunk, mode: 'cow' } },
        { rw: 'randwrite', bs: '4k', size: span, rate_iops: 2000, iodepth: 64, norandommap: 1 },
        { top: { duration: '10s' } },
      );
      const n = 20_000; // linear pacing: arrivals at 0, 0.5 ms, ... before 10 s
      const N = span / chunkBytes;
      const expected = N * (1 - (1 - 1 / N) ** n);
      expect(relErr(vol(r).cowCopies, expected)).toBeLessThan(0.02);
      expect(vol(r).snapshotBytes).toBe(vol(r).cowCopies * chunkBytes);
      expect(vol(r).snapshotDeviceIos).toBe(2 * vol(r).cowCopies);
    });
  }

  it("fio's random map: n ≤ N uniform 4k writes touch exactly n distinct 4k chunks", () => {
    const span = 40 * 2 ** 20; // 10,240 blocks
    const r = one({ snapshots: { at: [0], chunk: '4k', mode: 'cow' } }, { rw: 'randwrite', bs: '4k', size: span, rate_iops: 2000, iodepth: 64 }, { top: { duration: '4s' } });
    expect(vol(r).cowCopies).toBe(8000);
  });

  it("fio's random map with 64k chunks: distinct chunks match the hypergeometric expectation within 2 %", () => {
    const span = 40 * 2 ** 20;
    const N = span / 4096; // blocks
    const k = 16; // blocks per chunk
    const n = 4000;
    const r = one({ snapshots: { at: [0], chunk: '64k', mode: 'cow' } }, { rw: 'randwrite', bs: '4k', size: span, rate_iops: 2000, iodepth: 64 }, { top: { duration: '2s' } });
    // A chunk stays untouched when none of its k blocks is among the n drawn without replacement.
    let untouched = 1;
    for (let i = 0; i < k; i++) untouched *= (N - n - i) / (N - i);
    expect(relErr(vol(r).cowCopies, (N / k) * (1 - untouched))).toBeLessThan(0.02);
  });

  it('cow write latency and IOPS with fixed service: chunk read + chunk write + data write', () => {
    // QD1 sequential 4k writes, chunk 16k: every 4th write starts a fresh chunk and copies it.
    const r = one({ snapshots: { at: [0], chunk: '16k' } }, { rw: 'write', bs: '4k', iodepth: 1 }, { top: { devices: { d: dev(100, 50, 1) } } });
    const w = dir(r, 'c.j', 'write');
    const meanUs = (100 + 50 + 50 + 3 * 50) / 4;
    expect(relErr(w.clat.meanNs / 1e3, meanUs)).toBeLessThan(0.001);
    expect(relErr(w.iops, 1e6 / meanUs)).toBeLessThan(0.001);
  });

  it('a write before any snapshot copies nothing; keep retires the oldest and frees what it held', () => {
    const r = one({ snapshots: { every: '2s', keep: 2, chunk: '64k' } }, { rw: 'randwrite', bs: '4k', size: '8m', rate_iops: 500, iodepth: 8 });
    const v = vol(r);
    expect(v.snapshotsTaken).toBe(5); // at 2, 4, 6, 8, 10 s
    expect(v.snapshotsRetired).toBe(3);
    expect(v.freedBytes).toBeGreaterThan(0);
    expect(v.snapshotBytes + v.freedBytes).toBe(v.cowCopies * 65536);
  });

  it('row: the first write to a chunk pays its device cost once per chunk; reads of redirected chunks pay theirs', () => {
    const r = one(
      { snapshots: { at: [0], chunk: '16k', mode: 'row', firstWrite: { device: '40us' }, redirectedReadCost: '30us' } },
      { rw: 'write', bs: '4k', iodepth: 1 },
      { top: { devices: { d: dev(100, 50, 1) } } },
    );
    // sequential 4k writes: one in four starts a 16k chunk
    expect(relErr(dir(r, 'c.j', 'write').clat.meanNs / 1e3, 50 + 40 / 4)).toBeLessThan(0.001);
    expect(vol(r).snapshotDeviceIos).toBe(0);
    const r2 = one(
      { snapshots: { at: [0], chunk: '4k', mode: 'row', redirectedReadCost: '30us' } },
      { rw: 'randrw', bs: '4k', size: '64k', iodepth: 1 },
      { top: { devices: { d: dev(100, 50, 1) } } },
    );
    // After the first few writes every chunk of the 64k span is redirected: reads cost 100 + 30.
    expect(dir(r2, 'c.j', 'read').clat.percentiles!.find((p) => p.pct === 50)!.ns).toBeCloseTo(130_000, -3);
  });

  it('chunk tracking is sparse: a 64 TiB volume with 4 KiB chunks costs memory only for chunks touched', () => {
    const before = process.memoryUsage().heapUsed;
    const r = one({ size: '64TiB', snapshots: { at: [0, '2s'], chunk: '4k' } }, { rw: 'randwrite', bs: '4k', rate_iops: 5000, iodepth: 8 }, { top: { duration: '4s' } });
    expect(vol(r).cowCopies).toBeGreaterThan(19_000); // nearly every write hits a fresh chunk of 2^34
    expect(vol(r).snapshots!.map((s) => s.heldBytes)).toEqual([10_000 * 4096, vol(r).cowCopies * 4096 - 10_000 * 4096]);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 2 ** 20);
  });

  it('taking a snapshot pauses the volume for its pause time', () => {
    const r = one({ snapshots: { at: ['5s'], pause: '50ms' } }, { rw: 'randread', bs: '4k', iodepth: 1 }, { top: { devices: { d: dev(100, 50, 1) } } });
    // 10 s at 100 µs per read, less the 50 ms paused: 99,500 reads (± the one caught in the pause)
    expect(Math.abs(dir(r, 'c.j').totalIos - 99_500)).toBeLessThanOrEqual(1);
  });
});

describe('block size and request shape', () => {
  it('4 KiB random writes on a 64 KiB-block volume cost exactly one extra 64 KiB read each', () => {
    const r = one({ blockSize: '64k' }, { rw: 'randwrite', bs: '4k', iodepth: 4 });
    const v = vol(r);
    expect(v.rmwReads).toBe(v.dataDeviceIos);
    expect(v.rmwReads).toBeGreaterThan(1000);
    expect(dir(r, 'c.j', 'write').clat.meanNs).toBe(150_000); // read 100 + write 50, slots to spare
  });

  it('reads of partial blocks read the whole block; aligned whole-block writes need no read', () => {
    const r = one({ blockSize: '16k' }, { rw: 'randrw', bs: '16k', iodepth: 1 });
    expect(vol(r).rmwReads).toBe(0);
  });

  it('a 1 MiB request with maxIoSize 128 KiB becomes 8 device I/Os and completes with the last', () => {
    const r = one({ maxIoSize: '128k' }, { rw: 'read', bs: '1m', iodepth: 1 }, { top: { devices: { d: dev(100, 50, 8) } } });
    const reqs = dir(r, 'c.j').totalIos;
    expect(vol(r).dataDeviceIos).toBeGreaterThanOrEqual(8 * reqs);
    expect(dir(r, 'c.j').clat.meanNs).toBe(100_000);
    const serial = one({ maxIoSize: '128k' }, { rw: 'read', bs: '1m', iodepth: 1 }, { top: { devices: { d: dev(100, 50, 1) } } });
    expect(dir(serial, 'c.j').clat.meanNs).toBe(800_000);
  });
});

describe('thin provisioning', () => {
  const pools = { p: { devices: ['d'], capacity: '2GiB', allocationUnit: '64k', firstWriteCost: '1ms' } };

  it('allocates on first write; the first write to a unit pays the first-write cost', () => {
    const r = one({ device: undefined, pool: 'p', size: '10GiB' }, { rw: 'write', bs: '4k', iodepth: 1 }, { pools, top: { devices: { d: dev(100, 50, 1) } } });
    const w = dir(r, 'c.j', 'write');
    expect(relErr(w.clat.meanNs / 1e3, 50 + 1000 / 16)).toBeLessThan(0.001);
    const written = vol(r).allocatedBytes!;
    const pool = r.pools![0]!;
    expect(pool.overcommit).toBe(5);
    expect(pool.allocatedBytes).toBe(written);
    // at a steady allocation rate the pool fills when the free space runs out
    const expectedFull = 10e6 + ((2 * 2 ** 30 - written) / pool.allocationBytesPerSec) * 1e6;
    expect(relErr(pool.fullAtUs, expectedFull)).toBeLessThan(0.01);
    expect(relErr(pool.allocationBytesPerSec, 65536 * (w.iops / 16))).toBeLessThan(0.02);
  });

  it('thick volumes reserve their size', () => {
    const r = one({ device: undefined, pool: 'p', thin: false, size: '1GiB' }, { rw: 'randwrite', bs: '4k', iodepth: 1 }, { pools });
    expect(r.pools![0]!.allocatedBytes).toBe(2 ** 30);
  });
});

describe('replication', () => {
  const devices = { a: dev(100, 100), b: dev(200, 200), c: dev(300, 300) };
  const replicated = (writeAck: unknown, read = 'primary') => ({
    device: undefined,
    replicated: { devices: ['a', 'b', 'c'], writeAck, read, network: { latency: '50us', bandwidth: '1PiB/s' } },
  });

  for (const [ack, k] of [[1, 100], [2, 200], ['quorum', 200], ['all', 300]] as const) {
    it(`writeAck ${ack}: write latency = network round trip + the ${ack === 'all' ? '3rd' : ack === 'quorum' ? '2nd' : `${ack}th`} smallest replica latency`, () => {
      const r = one(replicated(ack), { rw: 'randwrite', bs: '4k', iodepth: 1 }, { top: { devices } });
      expect(dir(r, 'c.j', 'write').clat.meanNs / 1e3).toBeCloseTo(50 + k, 1);
    });
  }

  it('read throughput scales with replicas under read: any', () => {
    const primary = one(replicated('all', 'primary'), { rw: 'randread', bs: '4k', iodepth: 16 }, { top: { devices: { a: dev(100, 100), b: dev(100, 100), c: dev(100, 100) } } });
    const any = one(replicated('all', 'any'), { rw: 'randread', bs: '4k', iodepth: 16 }, { top: { devices: { a: dev(100, 100), b: dev(100, 100), c: dev(100, 100) } } });
    expect(relErr(dir(primary, 'c.j').iops, 10_000)).toBeLessThan(0.01);
    expect(relErr(dir(any, 'c.j').iops, 30_000)).toBeLessThan(0.01);
  });

  it('the link limits bandwidth, shared by all traffic that crosses it', () => {
    const r = one(
      { device: undefined, replicated: { devices: ['a'], network: { latency: '10us', bandwidth: '100MiB/s' } } },
      { rw: 'read', bs: '1m', iodepth: 8 },
      { top: { devices: { a: dev(100, 100, 8) } } },
    );
    expect(relErr(dir(r, 'c.j').bwBytesPerSec, 100 * 2 ** 20)).toBeLessThan(0.01);
  });
});

describe('throttles', () => {
  it('a volume cap clips to its rate within 1 %', () => {
    const r = one({ limits: { iops: 2000 } }, { rw: 'randread', iodepth: 16 });
    expect(relErr(dir(r, 'c.j').iops, 2000)).toBeLessThan(0.01);
  });

  it('cgroup io.max: a container limited to 500 IOPS leaves the rest of the device to the other', () => {
    const r = run(
      scenarioFrom({
        name: 't', duration: '20s',
        devices: { d: dev(100, 100, 4) },
        volumes: { v: { device: 'd', size: '1GiB' } },
        containers: {
          capped: { volumes: ['v'], limits: { riops: 500, wiops: 200 }, jobs: { r: { rw: 'randread', iodepth: 8 }, w: { rw: 'randwrite', iodepth: 8 } } },
          free: { volumes: ['v'], jobs: { j: { rw: 'randread', iodepth: 8 } } },
        },
      }),
    );
    expect(relErr(dir(r, 'capped.r', 'read').iops, 500)).toBeLessThan(0.01);
    expect(relErr(dir(r, 'capped.w', 'write').iops, 200)).toBeLessThan(0.01);
    // 4 slots / 100 µs = 40,000 IOPS, less what the capped container takes
    expect(relErr(dir(r, 'free.j').iops, 40_000 - 700)).toBeLessThan(0.01);
  });

  it('gp2 burst credits: burst rate until the credits run out, then the baseline, at the predicted second', () => {
    const r = one(
      {},
      { rw: 'randread', iodepth: 16 },
      { top: { duration: '40s', timeline: '1s', devices: { d: dev(100, 100, 64, { limits: { iops: 3000, credits: { baseline: 300, balance: 54000 } } }) } } },
    );
    // credits drain at 3000 - 300 = 2700/s: 54000 / 2700 = 20 s of burst
    const iops = r.timeline!.filter((t) => t.entity === 'job' && t.metric === 'iops').map((t) => [t.timeUs / 1e6, t.value] as const);
    for (const [t, v] of iops) {
      if (t <= 19) expect(relErr(v, 3000), `second ${t}`).toBeLessThan(0.015);
      if (t >= 21) expect(relErr(v, 300), `second ${t}`).toBeLessThan(0.015);
    }
    const second20 = iops.find(([t]) => t === 20)![1];
    expect(second20).toBeGreaterThan(2900); // the credits last until the end of the 20th second
    expect(iops.find(([t]) => t === 21)![1]).toBeLessThan(400);
  });
});
