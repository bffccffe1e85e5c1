/**
 * Utilization of every cap beside slot utilization, and the binding constraint: a device
 * whose write-IOPS cap is full shows it even when its slots are mostly idle, and the
 * capacity search names it at the answer.
 */
import { describe, expect, it } from 'vitest';
import { relErr, run, scenarioFrom } from '../helpers.js';
import { bindingConstraint, resourceUses } from '../../src/results/resources.js';
import { evaluatePoint } from '../../src/sweep/evaluate.js';
import { pointSeed } from '../../src/sweep/grid.js';
import { searchCapacity } from '../../src/sweep/capacity.js';
import { parseSlo, type Slo } from '../../src/sweep/slo.js';

const device = {
  parallelism: 32,
  read: { latency: { dist: 'fixed', value: '100us' } },
  write: { latency: { dist: 'fixed', value: '50us' }, iops: '10k' },
};

const raw = (replicas: number, extra: Record<string, unknown> = {}) => ({
  name: 'caps', seed: 3, duration: '4s', ramp: '200ms',
  devices: { d: device },
  volumes: { v: { device: 'd', size: '10GiB', ...extra } },
  containers: { c: { replicas, volumes: ['v'], jobs: { w: { rw: 'randwrite', rate_iops: 1000, rate_process: 'poisson', iodepth: 64 } } } },
});

const use = (r: ReturnType<typeof run>, where: string, resource: string): number => {
  const u = resourceUses(r).find((x) => x.where === where && x.resource === resource);
  if (!u) throw new Error(`no ${where} ${resource} in ${JSON.stringify(resourceUses(r))}`);
  return u.utilization;
};

describe('cap utilization', () => {
  it('a paced load under a cap uses its share: 6 × 1000 IOPS of a 10k write cap is 60 %', () => {
    const r = run(scenarioFrom(raw(6)));
    expect(Math.abs(use(r, 'device d', 'write iops cap') - 0.6)).toBeLessThan(0.02);
    // slots: 6000 IOPS × 50 µs over 32 slots
    expect(relErr(r.devices[0]!.utilization, (6000 * 50e-6) / 32)).toBeLessThan(0.03);
  });

  it('a saturated cap reads 100 % (never more) while the slots stay nearly idle, and it is the binding constraint', () => {
    const r = run(scenarioFrom(raw(14)));
    const cap = use(r, 'device d', 'write iops cap');
    expect(cap).toBeGreaterThan(0.995);
    expect(cap).toBeLessThanOrEqual(1);
    expect(r.devices[0]!.utilization).toBeLessThan(0.05);
    expect(bindingConstraint(r)).toMatchObject({ where: 'device d', resource: 'write iops cap' });
  });

  it('volume and cgroup caps are reported too', () => {
    const s = scenarioFrom({
      ...raw(2, { limits: { iops: 4000 } }),
      containers: { c: { replicas: 2, volumes: ['v'], limits: { wiops: 500 }, jobs: { w: { rw: 'randwrite', iodepth: 8 } } } },
    });
    const r = run(s);
    expect(use(r, 'cgroup c.0', 'wiops cap')).toBeGreaterThan(0.99);
    expect(Math.abs(use(r, 'volume v', 'iops cap') - 1000 / 4000)).toBeLessThan(0.02);
    expect(bindingConstraint(r)!.where.startsWith('cgroup c.')).toBe(true);
  });

  it('capacity: the answer is bound by the write-IOPS cap, and the util SLO sees it', async () => {
    const slo = parseSlo('util<=0.95') as Slo;
    const values = Array.from({ length: 16 }, (_, i) => i + 1);
    const base = raw(1);
    const answer = await searchCapacity(values, [slo], () => true, async (value, repetition) => {
      const v = { 'containers.c.replicas': value };
      return evaluatePoint(base, { index: 0, values: v, repetition, seed: pointSeed(3, v, repetition) });
    }, 2);
    // 9 × 1000 = 90 % of the cap; 10 × 1000 would be 100 %.
    expect(answer.value).toBe(9);
    expect(answer.binding).toMatchObject({ where: 'device d', resource: 'write iops cap' });
  });
});
