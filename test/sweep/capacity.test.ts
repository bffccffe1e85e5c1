/**
 * The capacity search against queueing theory: for an M/M/c device (Poisson arrivals,
 * exponential service), the largest arrival rate whose mean latency stays under a bound
 * has a closed form through Erlang C; the search must find it within 2 %.
 */
import { describe, expect, it } from 'vitest';
import { erlangC } from '../queueing.js';
import { evaluatePoint } from '../../src/sweep/evaluate.js';
import { pointSeed, parseVary, gridPoints, applyPoint } from '../../src/sweep/grid.js';
import { searchCapacity } from '../../src/sweep/capacity.js';
import { parseSlo, type Slo } from '../../src/sweep/slo.js';

const S_US = 100;
const C = 4;


/** Mean time in an M/M/c system, µs. */
const meanUs = (lambda: number): number => {
  const mu = 1e6 / S_US;
  return (erlangC(C, lambda / mu) / (C * mu - lambda)) * 1e6 + S_US;
};

/** The λ at which the mean reaches the bound, by bisection on the closed form. */
function lambdaStar(boundUs: number): number {
  let lo = 1;
  let hi = (C * 1e6) / S_US - 1e-6;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (meanUs(mid) <= boundUs) lo = mid;
    else hi = mid;
  }
  return lo;
}

const RAW = {
  name: 'mmc', seed: 9, duration: '60s', ramp: '1s',
  devices: { d: { parallelism: C, read: { latency: { dist: 'exponential', mean: `${S_US}us` } } } },
  volumes: { v: { device: 'd', size: '10GiB' } },
  containers: { c: { volumes: ['v'], jobs: { j: { rw: 'randread', rate_iops: 10000, rate_process: 'poisson', iodepth: 65536 } } } },
};

describe('capacity search', () => {
  it('finds the largest Poisson rate that keeps the M/M/c mean under a bound within 2 %', async () => {
    const slo = parseSlo('mean<=250us') as Slo;
    const expected = lambdaStar(250);
    const vary = parseVary('containers.c.jobs.j.rate_iops=20000..39900/100');
    if (typeof vary === 'string') throw new Error(vary);
    const answer = await searchCapacity(vary.values, [slo], () => true, async (value, repetition) => {
      const values = { [vary.text]: value };
      return evaluatePoint(RAW, { index: 0, values, repetition, seed: pointSeed(9, values, repetition) });
    }, 3);
    expect(typeof answer.value).toBe('number');
    expect(Math.abs((answer.value as number) - expected) / expected).toBeLessThan(0.02);
    expect(answer.runs).toBeLessThan(vary.values.length / 5); // far fewer runs than a full grid
    expect(answer.headroom[0]!.headroom).toBeGreaterThanOrEqual(0);
  }, 120_000);

  it('says when even the smallest value misses the SLO', async () => {
    const slo = parseSlo('p99<=50us') as Slo;
    const answer = await searchCapacity([20000, 30000], [slo], () => true, async (value, repetition) => {
      const values = { 'containers.c.jobs.j.rate_iops': value };
      return evaluatePoint(RAW, { index: 0, values, repetition, seed: pointSeed(9, values, repetition) });
    }, 1);
    expect(answer.value).toBeUndefined();
  });
});

describe('grids', () => {
  it('parses lists and ranges, and derives seeds from values, not positions', () => {
    const a = parseVary('containers.db.replicas=1..4');
    const b = parseVary('devices.d.parallelism=2,8');
    if (typeof a === 'string' || typeof b === 'string') throw new Error('parse');
    expect(a.values).toEqual([1, 2, 3, 4]);
    const g = gridPoints([a, b], 2, 5);
    expect(g.length).toBe(16);
    const again = gridPoints([b, a], 2, 5);
    const seedOf = (pts: typeof g, r: number, p: number) => pts.find((x) => x.values['containers.db.replicas'] === r && x.values['devices.d.parallelism'] === p && x.repetition === 1)!.seed;
    expect(seedOf(g, 3, 8)).not.toBe(seedOf(g, 3, 2));
    // a point's seed follows from its values, not from the order fields were varied in
    expect(seedOf(again, 3, 8)).toBe(seedOf(g, 3, 8));
    expect(typeof parseVary('nothing')).toBe('string');
    expect(typeof parseVary('a.b=5..1')).toBe('string');
  });

  it('sets nested fields on a copy', () => {
    const raw = { containers: { db: { replicas: 1 } } };
    const p = applyPoint(raw, { index: 0, values: { 'containers.db.replicas': 4, 'devices.d.limits.iops': 100 }, repetition: 1, seed: 3 });
    expect(p).toEqual({ containers: { db: { replicas: 4 } }, devices: { d: { limits: { iops: 100 } } }, seed: 3 });
    expect(raw.containers.db.replicas).toBe(1);
  });
});
