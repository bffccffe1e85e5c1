/**
 * The simulator against queueing theory. Each case states its formula and tolerance;
 * tolerances allow for the sampling error of a finite run (about 10^6 I/Os) and the
 * histogram's bucket error (under 0.8 %) for percentiles. Service and arrival rates are
 * chosen so that the expected values are easy to check by hand.
 */
import { describe, expect, it } from 'vitest';
import { erlangC } from '../queueing.js';
import { dir, p, relErr, run, singleDevice } from '../helpers.js';

const S_US = 100; // mean service time
const MU = 1e6 / S_US; // service rate per second

function openLoop(lambda: number, parallelism: number, latency: Record<string, unknown>, duration = '200s') {
  return run(
    singleDevice(
      { parallelism, read: { latency } },
      { j: { rw: 'randread', rate_iops: lambda, rate_process: 'poisson', iodepth: 65536 } },
      { duration, ramp: '2s' },
    ),
  );
}


describe('M/M/1 (Poisson arrivals, exponential service, one slot)', () => {
  for (const rho of [0.5, 0.9]) {
    // At ρ = 0.9 the queue's relaxation time (≈ S/(1-√ρ)² ≈ 38 ms) makes successive
    // latencies strongly correlated: over seeds, 600 s of simulated time gives about 1 %
    // standard error on the mean and 2.5 % on p99, hence tolerances of 4 % and 6 %.
    it(`at utilization ${rho}: mean = 1/(μ-λ), p99 = ln(100)/(μ-λ)`, () => {
      const lambda = rho * MU;
      const r = openLoop(lambda, 1, { dist: 'exponential', mean: `${S_US}us` }, rho > 0.8 ? '600s' : '200s');
      const d = dir(r, 'c.j');
      const meanUs = 1e6 / (MU - lambda);
      const p99Us = (Math.log(100) * 1e6) / (MU - lambda);
      expect(relErr(d.clat.meanNs / 1e3, meanUs)).toBeLessThan(rho > 0.8 ? 0.04 : 0.02);
      expect(relErr(p(d, 99) / 1e3, p99Us)).toBeLessThan(rho > 0.8 ? 0.06 : 0.03);
      expect(relErr(d.iops, lambda)).toBeLessThan(0.01);
      expect(relErr(r.devices[0]!.utilization, rho)).toBeLessThan(0.02);
    });
  }
});

describe('M/M/c with Erlang C', () => {
  for (const c of [4, 16]) {
    it(`c = ${c} at utilization 0.8: mean = C(c,a)/(cμ-λ) + 1/μ`, () => {
      const lambda = 0.8 * c * MU;
      const r = openLoop(lambda, c, { dist: 'exponential', mean: `${S_US}us` }, c === 16 ? '40s' : '100s');
      const d = dir(r, 'c.j');
      const meanUs = (erlangC(c, lambda / MU) / (c * MU - lambda)) * 1e6 + S_US;
      expect(relErr(d.clat.meanNs / 1e3, meanUs)).toBeLessThan(0.02);
      expect(relErr(r.devices[0]!.utilization, 0.8)).toBeLessThan(0.02);
      // Little's law on the device: mean number present = λ × mean time in system
      expect(relErr(r.devices[0]!.meanQueueDepth, (lambda * meanUs) / 1e6)).toBeLessThan(0.03);
    });
  }
});

describe('M/D/1 (Pollaczek–Khinchine)', () => {
  it('mean = 1/μ + ρ/(2μ(1-ρ)) at utilization 0.8', () => {
    const rho = 0.8;
    const r = openLoop(rho * MU, 1, { dist: 'fixed', value: `${S_US}us` });
    const meanUs = S_US + (rho * S_US) / (2 * (1 - rho));
    expect(relErr(dir(r, 'c.j').clat.meanNs / 1e3, meanUs)).toBeLessThan(0.02);
  });
});

describe('closed loop: iodepth N against c slots with service S', () => {
  const cases = [
    { n: 4, c: 8, dist: { dist: 'fixed', value: `${S_US}us` } },
    { n: 32, c: 8, dist: { dist: 'fixed', value: `${S_US}us` } },
    { n: 4, c: 8, dist: { dist: 'exponential', mean: `${S_US}us` } },
    { n: 32, c: 8, dist: { dist: 'exponential', mean: `${S_US}us` } },
  ];
  for (const { n, c, dist } of cases) {
    it(`N=${n}, c=${c}, ${dist.dist}: IOPS = min(N, c)/S`, () => {
      const r = run(singleDevice({ parallelism: c, read: { latency: dist } }, { j: { rw: 'randread', iodepth: n } }));
      const iops = (Math.min(n, c) * 1e6) / S_US;
      expect(relErr(dir(r, 'c.j').iops, iops)).toBeLessThan(dist.dist === 'fixed' ? 0.001 : 0.01);
      if (dist.dist === 'fixed' && n <= c) expect(dir(r, 'c.j').clat.meanNs).toBe(S_US * 1000);
    });
  }
});

describe("Little's law holds for every job", () => {
  it('mean in flight = IOPS × mean latency, with CPU cost, mixes, pacing and thinktime', () => {
    const r = run(
      singleDevice(
        {
          parallelism: 4,
          read: { latency: { dist: 'lognormal', p50: '80us', p99: '400us' }, bandwidth: '2GiB/s' },
          write: { latency: { dist: 'exponential', mean: '30us' } },
          cpu: { submit: '2us', complete: '3us' },
        },
        {
          oltp: { rw: 'randrw', rwmixread: 70, bs: '8k', iodepth: 8 },
          wal: { rw: 'write', bs: '64k', iodepth: 2, rate_iops: 500, rate_process: 'poisson' },
          scan: { rw: 'read', bs: '1m', iodepth: 2, thinktime: '2ms', thinktime_blocks: 4, numjobs: 2 },
          sync: { rw: 'randwrite', ioengine: 'psync', iodepth: 16 },
        },
        { duration: '30s' },
      ),
    );
    for (const job of r.jobs) {
      const ios = job.read.totalIos + job.write.totalIos;
      const iops = job.read.iops + job.write.iops;
      const meanLatUs = ((job.read.lat.meanNs * job.read.totalIos + job.write.lat.meanNs * job.write.totalIos) / ios) / 1e3;
      expect(ios, job.name).toBeGreaterThan(1000);
      expect(relErr(job.meanInflight!, (iops * meanLatUs) / 1e6), job.name).toBeLessThan(0.01);
    }
    // closed-loop jobs without thinktime hold exactly iodepth in flight; sync engines hold 1
    expect(r.jobs.find((j) => j.name === 'c.oltp')!.meanInflight).toBeCloseTo(8, 3);
    expect(r.jobs.find((j) => j.name === 'c.sync')!.meanInflight).toBeCloseTo(1, 3);
  });
});

describe('token bucket caps', () => {
  it('a cap of R IOPS on a fast device gives R ± 1 %', () => {
    const r = run(
      singleDevice(
        { parallelism: 64, read: { latency: { dist: 'fixed', value: '10us' } }, limits: { iops: 5000 } },
        { j: { rw: 'randread', iodepth: 32 } },
        { duration: '60s' },
      ),
    );
    expect(relErr(dir(r, 'c.j').iops, 5000)).toBeLessThan(0.01);
  });

  it('a bandwidth cap gives its rate ± 1 % with mixed block sizes', () => {
    const r = run(
      singleDevice(
        { parallelism: 64, read: { latency: { dist: 'fixed', value: '10us' } }, limits: { bandwidth: '100MiB/s' } },
        { j: { rw: 'randread', bssplit: '4k/50:64k/30:1m/20', iodepth: 32 } },
        { duration: '60s' },
      ),
    );
    expect(relErr(dir(r, 'c.j').bwBytesPerSec, 100 * 2 ** 20)).toBeLessThan(0.01);
  });
});
