/**
 * The host's cores as a shared resource, a device's CPU work (worker threads or work in
 * the submit call) and wake-ups, against closed-form results.
 *
 * - n closed-loop jobs on a CPU-bound device whose service is S of CPU on c cores:
 *   IOPS = min(n, c) / S (the cores are the bottleneck, whatever the job count).
 * - one worker thread: IOPS = 1 / S whatever n and c (a loop device's single worker).
 * - a pipeline (job threads' CPU, then one worker) on c ≥ 2 cores: IOPS = 1 / max(stage).
 * - QD1 with wake-ups: each I/O pays every stage plus both wake-ups, in series.
 * - finite-source queue: n jobs at QD1 alternate an exponential device latency Z and a
 *   fixed CPU time S on one core: between the M/M/1//n throughput and the asymptotic bound.
 * - waking near the waker (host balance b): a job thread (8 µs per I/O) and a worker
 *   (10 µs) that wake each other take turns on one core while a turn (depth × 10 µs of
 *   the worker's queue) is shorter than b: IOPS = 1 / (8 + 10); with turns longer than b
 *   they spread over two cores and pipeline: IOPS = 1 / max(8, 10).
 */
import { describe, expect, it } from 'vitest';
import { dir, relErr, run, singleDevice } from '../helpers.js';
import { bindingConstraint, describeUse } from '../../src/results/resources.js';

const S_US = 20;

function cpuBound(n: number, cores: number, threads: number | 'submitter', extra: Record<string, unknown> = {}) {
  return run(
    singleDevice(
      { parallelism: 1024, read: { latency: { dist: 'fixed', value: '0us' } }, worker: { threads, perIo: `${S_US}us` }, ...extra },
      { j: { rw: 'randread', iodepth: 1, numjobs: n } },
      { host: { cores }, duration: '2s', ramp: '100ms' },
    ),
  );
}

describe('CPU-bound device on c cores with n closed-loop jobs', () => {
  for (const [n, c] of [[1, 2], [2, 2], [4, 2], [3, 4], [8, 4]] as const) {
    it(`work in the submit call, n=${n}, c=${c}: IOPS = min(n, c)/S`, () => {
      const r = cpuBound(n, c, 'submitter');
      expect(relErr(dir(r, 'c.j').iops, (Math.min(n, c) * 1e6) / S_US)).toBeLessThan(0.002);
    });
  }
  for (const [n, c, k] of [[4, 2, 1], [4, 2, 2], [8, 4, 3], [2, 4, 4]] as const) {
    it(`${k} worker thread(s), n=${n}, c=${c}: IOPS = min(n, c, k)/S`, () => {
      const r = cpuBound(n, c, k);
      expect(relErr(dir(r, 'c.j').iops, (Math.min(n, c, k) * 1e6) / S_US)).toBeLessThan(0.002);
    });
  }

  it('without a host model the cores are unlimited: n jobs doing work in the submit call reach n/S', () => {
    const r = run(
      singleDevice(
        { parallelism: 1024, read: { latency: { dist: 'fixed', value: '0us' } }, worker: { threads: 'submitter', perIo: `${S_US}us` } },
        { j: { rw: 'randread', iodepth: 1, numjobs: 6 } },
        { duration: '2s', ramp: '100ms' },
      ),
    );
    expect(relErr(dir(r, 'c.j').iops, (6 * 1e6) / S_US)).toBeLessThan(0.002);
  });

  it('job threads and the worker compete for the cores: 4 jobs (8 µs submit each I/O) and one worker (6 µs) on 2 cores give 2/(8+6) µs⁻¹', () => {
    // Each I/O needs 8 µs of a job thread and 6 µs of the worker: 14 µs of core time.
    // The worker alone could do 1/6 µs⁻¹ and the 4 jobs 4/8; the 2 cores are the limit: 2/14.
    const r = run(
      singleDevice(
        { parallelism: 1024, read: { latency: { dist: 'fixed', value: '0us' } }, worker: { threads: 1, perIo: '6us' }, cpu: { submit: '8us' } },
        { j: { rw: 'randread', iodepth: 4, numjobs: 4 } },
        { host: { cores: 2 }, duration: '2s', ramp: '100ms' },
      ),
    );
    expect(relErr(dir(r, 'c.j').iops, 2e6 / 14)).toBeLessThan(0.01);
  });

  it('one job and one worker on 2 cores pipeline: IOPS = 1 / max(8 µs, 10 µs)', () => {
    const r = run(
      singleDevice(
        { parallelism: 1024, read: { latency: { dist: 'fixed', value: '0us' } }, worker: { threads: 1, perIo: '10us' }, cpu: { submit: '8us' } },
        { j: { rw: 'randread', iodepth: 16 } },
        { host: { cores: 2 }, duration: '2s', ramp: '100ms' },
      ),
    );
    expect(relErr(dir(r, 'c.j').iops, 1e6 / 10)).toBeLessThan(0.002);
  });

  it('per-byte work: a 64 KiB read at 4 GiB/s of CPU plus 2 µs per I/O on one worker', () => {
    const r = run(
      singleDevice(
        { parallelism: 1024, read: { latency: { dist: 'fixed', value: '0us' } }, worker: { threads: 1, perIo: '2us', bandwidth: '4GiB/s' } },
        { j: { rw: 'randread', bs: '64k', iodepth: 8 } },
        { host: { cores: 2 }, duration: '1s', ramp: '100ms' },
      ),
    );
    const perIoUs = 2 + (65536 / 2 ** 32) * 1e6;
    expect(relErr(dir(r, 'c.j').iops, 1e6 / perIoUs)).toBeLessThan(0.002);
  });
});

describe('CPU figures of a simulation with a host model', () => {
  it("the job's CPU busy share (fio's usr + sys) and the host's utilization: QD1, 3 + 2 µs of CPU per 10 µs", () => {
    const r = run(
      singleDevice(
        { parallelism: 4, read: { latency: { dist: 'fixed', value: '5us' } }, cpu: { submit: '3us', complete: '2us' } },
        { j: { rw: 'randread', iodepth: 1 } },
        { host: { cores: 2 }, duration: '1s', ramp: '100ms' },
      ),
    );
    const job = r.jobs[0]!;
    expect(relErr(job.read.iops, 1e5)).toBeLessThan(0.001);
    expect(relErr(job.cpu!.usrPct + job.cpu!.sysPct, 50)).toBeLessThan(0.001);
    expect(relErr(r.host!.utilization, 0.25)).toBeLessThan(0.001);
  });

  it("the worker's busy share, and the binding constraint names the busiest of worker and cores", () => {
    // one job, 2 µs submit, a worker of 8 µs: the worker is the bottleneck (busy ~100 %),
    // the 2 cores are (2 + 8) / 8 / 2 = 62.5 % busy
    const r = run(
      singleDevice(
        { parallelism: 64, read: { latency: { dist: 'fixed', value: '0us' } }, worker: { threads: 1, perIo: '8us' }, cpu: { submit: '2us' } },
        { j: { rw: 'randread', iodepth: 8 } },
        { host: { cores: 2 }, duration: '1s', ramp: '100ms' },
      ),
    );
    expect(r.devices[0]!.workerUtilization!).toBeGreaterThan(0.999);
    expect(relErr(r.host!.utilization, 10 / 8 / 2)).toBeLessThan(0.002);
    expect(describeUse(bindingConstraint(r)!)).toMatch(/^device d worker 100\.0 %/);
  });

  it('no host model: no CPU figures, results as before', () => {
    const r = run(singleDevice({ parallelism: 4, read: { latency: { dist: 'fixed', value: '5us' } }, cpu: { submit: '3us' } }, { j: { rw: 'randread', iodepth: 1 } }, { duration: '1s' }));
    expect(r.jobs[0]!.cpu).toBeUndefined();
    expect(r.host).toBeUndefined();
  });
});

describe('wake-ups at QD1', () => {
  it('IOPS = 1/(submit + worker wake + worker + latency + job wake + reap)', () => {
    const r = run(
      singleDevice(
        { parallelism: 4, read: { latency: { dist: 'fixed', value: '7us' } }, worker: { threads: 1, perIo: '5us', wake: '4us' }, cpu: { submit: '3us', complete: '2us', wake: '6us' } },
        { j: { rw: 'randread', iodepth: 1 } },
        { host: { cores: 2 }, duration: '1s', ramp: '100ms' },
      ),
    );
    const d = dir(r, 'c.j');
    expect(relErr(d.iops, 1e6 / (3 + 4 + 5 + 7 + 6 + 2))).toBeLessThan(0.001);
    // clat runs from the end of the submit call to the end of the reap
    expect(relErr(d.clat.meanNs / 1e3, 4 + 5 + 7 + 6 + 2)).toBeLessThan(0.001);
  });

  it('a device wake-up is paid in the submit call that finds the device idle: slat = submit + wake at QD1', () => {
    const r = run(
      singleDevice(
        { parallelism: 4, wake: '5us', read: { latency: { dist: 'fixed', value: '10us' } }, cpu: { submit: '2us', complete: '1us' } },
        { j: { rw: 'randread', iodepth: 1 } },
        { host: { cores: 2 }, duration: '1s', ramp: '100ms' },
      ),
    );
    const d = dir(r, 'c.j');
    expect(relErr(d.slat.meanNs / 1e3, 7)).toBeLessThan(0.001);
    expect(relErr(d.iops, 1e6 / (2 + 5 + 10 + 1))).toBeLessThan(0.001);
  });

  it('at depth the device is never idle: the wake-up vanishes and submit-bound IOPS = 1/submit', () => {
    const r = run(
      singleDevice(
        { parallelism: 64, wake: '5us', read: { latency: { dist: 'fixed', value: '10us' } }, cpu: { submit: '2us', complete: '0us' } },
        { j: { rw: 'randread', iodepth: 32 } },
        { host: { cores: 2 }, duration: '1s', ramp: '100ms' },
      ),
    );
    expect(relErr(dir(r, 'c.j').iops, 1e6 / 2)).toBeLessThan(0.002);
  });

  it('per-byte submit CPU (cpu.read.bandwidth): a 64 KiB read at 1 GiB/s adds 61 µs to the submit call', () => {
    const r = run(
      singleDevice(
        { parallelism: 4, read: { latency: { dist: 'fixed', value: '10us' } }, cpu: { submit: '2us', read: { bandwidth: '1GiB/s' } } },
        { j: { rw: 'randread', bs: '64k', iodepth: 1 } },
        { duration: '1s', ramp: '100ms' },
      ),
    );
    expect(relErr(dir(r, 'c.j').slat.meanNs / 1e3, 2 + (65536 / 2 ** 30) * 1e6)).toBeLessThan(0.001);
  });

  it('at depth the worker and the job thread stay awake: IOPS = 1 / the slowest stage', () => {
    const r = run(
      singleDevice(
        { parallelism: 64, read: { latency: { dist: 'fixed', value: '7us' } }, worker: { threads: 1, perIo: '5us', wake: '40us' }, cpu: { submit: '3us', complete: '1us', wake: '60us' } },
        { j: { rw: 'randread', iodepth: 32 } },
        { host: { cores: 2 }, duration: '1s', ramp: '100ms' },
      ),
    );
    expect(relErr(dir(r, 'c.j').iops, 1e6 / 5)).toBeLessThan(0.01);
  });
});

describe('finite-source queue: n jobs alternate an exponential device latency Z and a fixed CPU time S on one core', () => {
  /** M/M/1//n throughput (exponential S): (1 − p0)/S, p0 = 1 / Σ_k n!/(n−k)! (S/Z)^k. */
  function repairmanIops(n: number, zUs: number, sUs: number): number {
    let sum = 0;
    let term = 1;
    for (let k = 0; k <= n; k++) {
      if (k > 0) term *= (n - k + 1) * (sUs / zUs);
      sum += term;
    }
    return (1 - 1 / sum) / sUs;
  }
  // A fixed S is less variable than an exponential one, which only raises throughput, and
  // no closed loop beats its asymptotic bound min(n/(Z+S), 1/S): the IOPS lie between.
  it.each([[2, 50, 20], [4, 50, 20], [8, 100, 20]])('n=%i, Z=%i µs, S=%i µs: M/M/1//n ≤ IOPS ≤ min(n/(Z+S), 1/S)', (n, z, s) => {
    const r = run(
      singleDevice(
        { parallelism: 1024, read: { latency: { dist: 'exponential', mean: `${z}us` } }, worker: { threads: 'submitter', perIo: `${s}us` } },
        { j: { rw: 'randread', iodepth: 1, numjobs: n } },
        { host: { cores: 1 }, duration: '20s', ramp: '200ms' },
      ),
    );
    const iops = dir(r, 'c.j').iops / 1e6;
    expect(iops).toBeGreaterThan(repairmanIops(n, z, s) * 0.99);
    expect(iops).toBeLessThan(Math.min(n / (z + s), 1 / s) * 1.001);
  });
});

describe('waking near the waker (host balance)', () => {
  const pair = (iodepth: number, balance?: string) =>
    dir(
      run(
        singleDevice(
          { parallelism: 1024, read: { latency: { dist: 'fixed', value: '0us' } }, worker: { threads: 1, perIo: '10us' }, cpu: { submit: '8us' } },
          { j: { rw: 'randread', iodepth } },
          { host: { cores: 2, ...(balance ? { balance } : {}) }, duration: '2s', ramp: '100ms' },
        ),
      ),
      'c.j',
    ).iops;

  it('without a balance the pair pipelines on two cores at QD4: IOPS = 1 / max(8, 10) µs', () => {
    expect(relErr(pair(4), 1e6 / 10)).toBeLessThan(0.002);
  });
  it('QD4 turns (40 µs) shorter than the balance (1 ms): the pair takes turns on one core, IOPS = 1 / (8 + 10) µs', () => {
    expect(relErr(pair(4, '1ms'), 1e6 / 18)).toBeLessThan(0.002);
  });
  it('QD64 turns (640 µs) longer than the balance (50 µs): the pair spreads over two cores, IOPS = 1 / 10 µs', () => {
    expect(relErr(pair(64, '50us'), 1e6 / 10)).toBeLessThan(0.002);
  });
  it('QD64 turns shorter than a balance of 1 ms: one core again, IOPS = 1 / 18 µs', () => {
    expect(relErr(pair(64, '1ms'), 1e6 / 18)).toBeLessThan(0.002);
  });
});
