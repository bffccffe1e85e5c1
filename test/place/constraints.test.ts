/**
 * Property: whatever the instance, no placement (the answer, or the I/O-blind baseline)
 * breaks a hard constraint: CPU and memory requests within each node, space within each
 * device, one replica per node for anti-affine workloads, a volume's copies on distinct
 * nodes, no more nodes of a type than allowed, every item placed at most once. Random
 * clusters with short simulations; SLOs tight enough that some instances need repairs
 * and some cannot be placed at all.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { plan } from './helpers.js';
import type { PlanResult } from '../../src/place/plan.js';
import type { Placement } from '../../src/place/state.js';
import { refKey } from '../../src/place/state.js';
import { localBytes } from '../../src/place/demand.js';

const nodeType = fc.record({
  count: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
  cpu: fc.integer({ min: 2, max: 16 }),
  memoryGiB: fc.integer({ min: 4, max: 64 }),
  devices: fc.array(fc.record({ capacityGiB: fc.integer({ min: 20, max: 300 }), serviceUs: fc.integer({ min: 20, max: 400 }), parallelism: fc.integer({ min: 1, max: 8 }) }), { minLength: 1, maxLength: 2 }),
});
const workload = fc.record({
  replicas: fc.integer({ min: 1, max: 6 }),
  cpuMillis: fc.integer({ min: 250, max: 6000 }),
  memoryGiB: fc.integer({ min: 1, max: 24 }),
  antiAffinity: fc.boolean(),
  localGiB: fc.integer({ min: 1, max: 120 }),
  replicated: fc.option(fc.record({ copies: fc.integer({ min: 1, max: 3 }), sizeGiB: fc.integer({ min: 1, max: 60 }) }), { nil: undefined }),
  rate: fc.integer({ min: 100, max: 4000 }),
  sloUs: fc.integer({ min: 500, max: 5000 }),
});
const instance = fc.record({
  seed: fc.integer({ min: 0, max: 1000 }),
  objective: fc.constantFrom('nodes', 'cost', 'headroom'),
  types: fc.array(nodeType, { minLength: 1, maxLength: 2 }),
  workloads: fc.array(workload, { minLength: 1, maxLength: 3 }),
});
type Instance = typeof instance extends fc.Arbitrary<infer T> ? T : never;

function clusterOf(x: Instance): Record<string, unknown> {
  const headroom = x.objective === 'headroom';
  return {
    name: 'random', seed: x.seed, duration: '100ms', ramp: '10ms', objective: x.objective, network: { latency: '100us' },
    nodeTypes: Object.fromEntries(x.types.map((t, i) => [`t${i}`, {
      ...(t.count !== undefined || headroom ? { count: t.count ?? 3 } : {}), cost: 1 + i, cpu: t.cpu, memory: `${t.memoryGiB}GiB`, network: '10Gbit/s',
      devices: Object.fromEntries(t.devices.map((d, j) => [`d${j}`, {
        parallelism: d.parallelism, capacity: `${d.capacityGiB}GiB`,
        read: { latency: { dist: 'exponential', mean: `${d.serviceUs}us` } }, write: { latency: { dist: 'exponential', mean: `${d.serviceUs}us` } },
      }])),
    }])),
    workloads: Object.fromEntries(x.workloads.map((w, i) => [`w${i}`, {
      replicas: w.replicas, cpu: `${w.cpuMillis}m`, memory: `${w.memoryGiB}GiB`, antiAffinity: w.antiAffinity, slo: [`p99<=${w.sloUs}us`],
      volumes: { data: { size: `${w.localGiB}GiB` }, ...(w.replicated ? { log: { size: `${w.replicated.sizeGiB}GiB`, replicated: { copies: w.replicated.copies } } } : {}) },
      jobs: {
        j: { rw: 'randrw', bs: '4k', rate_iops: w.rate, rate_process: 'poisson', iodepth: 64, volume: 'data' },
        ...(w.replicated ? { l: { rw: 'write', bs: '16k', rate_iops: 50, rate_process: 'poisson', volume: 'log' } } : {}),
      },
    }])),
  };
}

function checkHard(r: PlanResult, p: Placement): void {
  const c = r.cluster;
  const seen = new Set<string>();
  for (const t of c.nodeTypes) expect(p.countOfType(t.index)).toBeLessThanOrEqual(t.count);
  for (const n of p.openNodes()) {
    const t = c.nodeTypes[n.type]!;
    const pods = n.items.filter((i) => i.kind === 'pod');
    expect(pods.reduce((s, i) => s + c.workloads[i.w]!.cpuMillis, 0)).toBeLessThanOrEqual(t.cpuMillis);
    expect(pods.reduce((s, i) => s + c.workloads[i.w]!.memoryBytes, 0)).toBeLessThanOrEqual(t.memoryBytes);
    t.devices.forEach((d, j) => {
      const used = n.items.filter((i) => i.device === j).reduce((s, i) => s + (i.kind === 'pod' ? localBytes(c.workloads[i.w]!) : c.workloads[i.w]!.volumes[i.v]!.sizeBytes), 0);
      expect(used).toBeLessThanOrEqual(d.capacityBytes);
    });
    for (const w of c.workloads.filter((x) => x.antiAffinity)) expect(pods.filter((i) => i.w === w.index).length).toBeLessThanOrEqual(1);
    const copies = n.items.flatMap((i) => (i.kind === 'copy' ? [`${i.w}.${i.r}.${i.v}`] : []));
    expect(new Set(copies).size).toBe(copies.length);
    for (const i of n.items) {
      expect(seen.has(refKey(i))).toBe(false);
      seen.add(refKey(i));
      if (i.kind === 'pod') expect(i.device >= 0).toBe(localBytes(c.workloads[i.w]!) > 0);
    }
  }
}

describe('placement constraints', () => {
  it('never breaks requests, space, anti-affinity, distinct copies or node counts (random instances)', async () => {
    let placedAll = 0;
    let failed = 0;
    await fc.assert(
      fc.asyncProperty(instance, async (x) => {
        const r = await plan(clusterOf(x), 0);
        checkHard(r, r.placement);
        checkHard(r, r.baseline.placement);
        const items = r.cluster.workloads.reduce((s, w) => s + w.replicas * (1 + w.volumes.reduce((a, v) => a + (v.replication?.copies ?? 0), 0)), 0);
        const placed = r.placement.openNodes().reduce((s, n) => s + n.items.length, 0);
        if (r.met) expect(placed).toBe(items);
        else expect(r.problems.length).toBeGreaterThan(0);
        if (r.met) placedAll++;
        else failed++;
      }),
      { numRuns: 30, seed: 15 },
    );
    // the instances must exercise both outcomes, or the property says little
    expect(placedAll).toBeGreaterThan(3);
    expect(failed).toBeGreaterThan(0);
  }, 600_000);
});
