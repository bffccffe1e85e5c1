/**
 * The I/O-blind baseline (Kubernetes LeastAllocated on CPU and memory requests) against
 * the placement: a CPU-heavy web pod is listed first and lands on one node; the two
 * databases request little CPU, so LeastAllocated puts both on the emptier node, whose
 * one device (M/M/1, 100 µs) they load to 120 %: both miss p99 <= 2 ms. Alone each loads
 * a device to 60 % (p99 = ln(100) / (10000 - 6000) s = 1.15 ms), so the answer puts them
 * on different nodes of the same two.
 */
import { describe, expect, it } from 'vitest';
import { plan, podsPerNode } from './helpers.js';
import { leastAllocated } from '../../src/place/baseline.js';

const input = {
  name: 'blind', seed: 5, duration: '2s', ramp: '200ms',
  nodeTypes: { node: { cpu: 16, memory: '64GiB', count: 4, devices: { d: { parallelism: 1, read: { latency: { dist: 'exponential', mean: '100us' } }, capacity: '4TiB' } } } },
  workloads: {
    web: { replicas: 1, cpu: 10, memory: '4GiB', slo: ['p99<=20ms'], volumes: { v: { size: '10GiB' } }, jobs: { j: { rw: 'randread', rate_iops: 50, rate_process: 'poisson' } } },
    db: { replicas: 2, cpu: 1, memory: '4GiB', slo: ['p99<=2ms'], volumes: { v: { size: '100GiB' } }, jobs: { j: { rw: 'randread', rate_iops: 6000, rate_process: 'poisson', iodepth: 4096 } } },
  },
};

describe('I/O-blind baseline', () => {
  it('scores nodes as LeastAllocated does: the emptiest by CPU and memory, ties to the first', async () => {
    const r = await plan(input, 0);
    const b = leastAllocated(r.cluster, r.fit, [0, 0]);
    const pods = b.placement.openNodes().map((n) => n.items.map((i) => `${r.cluster.workloads[i.w]!.name}-${i.r}`));
    expect(pods).toEqual([['web-0'], ['db-0', 'db-1']]);
  }, 60_000);

  it('misses the SLOs the placement meets on the same nodes', async () => {
    const r = await plan(input, 1);
    expect(r.met).toBe(true);
    expect(r.placement.openNodes().length).toBe(2);
    for (const pods of podsPerNode(r)) expect(pods.filter((p) => p.startsWith('db-')).length).toBe(1);
    expect(r.baseline.placement.openNodes().length).toBe(2);
    expect(r.baseline.missingByWorkload).toEqual({ db: 2 });
    expect(r.baseline.podsMissing).toBe(2);
    const missed = r.baseline.verdicts.flatMap((v) => v.pods).filter((p) => !p.met);
    for (const p of missed) expect(p.figures[0]!.observed).toBeGreaterThan(2 * 2000); // an overloaded queue, far past the bound
  }, 120_000);
});
