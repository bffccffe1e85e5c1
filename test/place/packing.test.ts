/**
 * Bin packing with a known optimum: CPU requests that fill nodes exactly (sizes chosen so
 * that first fit decreasing alone needs one node more than the optimum). The search must
 * reach the optimum; I/O is light enough never to matter.
 */
import { describe, expect, it } from 'vitest';
import { clusterFrom, inThread, plan, podsPerNode } from './helpers.js';
import { estimateDemand } from '../../src/place/estimate.js';
import { SimLedger } from '../../src/place/ledger.js';
import { firstPlacement, searchContext } from '../../src/place/search.js';

function cluster(cpuPerNode: number, sizes: number[]): Record<string, unknown> {
  const counts = new Map<number, number>();
  for (const s of sizes) counts.set(s, (counts.get(s) ?? 0) + 1);
  return {
    name: 'packing', seed: 3, duration: '200ms', ramp: '20ms',
    nodeTypes: { node: { cpu: cpuPerNode, memory: '1TiB', devices: { d: { parallelism: 64, read: { latency: { dist: 'fixed', value: '10us' } }, capacity: '100TiB' } } } },
    workloads: Object.fromEntries([...counts].map(([size, n]) => [`cpu${size}`, {
      replicas: n, cpu: size, memory: '1GiB', slo: ['p99<=50ms'],
      volumes: { v: { size: '1GiB' } },
      jobs: { j: { rw: 'randread', bs: '4k', rate_iops: 20, rate_process: 'poisson' } },
    }])),
  };
}

describe('bin packing with a known optimum', () => {
  const cases = [
    { cpu: 12, sizes: [6, 6, 4, 4, 3, 3, 3, 3, 2, 2], optimum: 3 },
    { cpu: 12, sizes: [8, 8, 6, 3, 3, 2, 2, 2, 2], optimum: 3 },
    { cpu: 12, sizes: [6, 6, 5, 5, 5, 3, 3, 3, 2, 2, 2, 2, 2, 2], optimum: 4 },
  ];
  for (const tc of cases) {
    it(`packs ${tc.sizes.join(', ')} into ${tc.optimum} nodes of ${tc.cpu} CPU (first fit decreasing needs ${tc.optimum + 1})`, async () => {
      const input = cluster(tc.cpu, tc.sizes);
      const c = clusterFrom(input);
      const ledger = new SimLedger(c.seed, inThread);
      const ffd = firstPlacement(searchContext(c, await estimateDemand(c, ledger), ledger));
      expect(ffd.placement.openNodes().length).toBe(tc.optimum + 1);
      const r = await plan(input, 0);
      expect(r.met).toBe(true);
      expect(r.placement.openNodes().length).toBe(tc.optimum);
      expect(r.lowerBound.nodes).toBe(tc.optimum);
      for (const n of r.placement.openNodes()) {
        const used = n.items.filter((i) => i.kind === 'pod').reduce((s, i) => s + r.cluster.workloads[i.w]!.cpuMillis, 0);
        expect(used).toBe(tc.cpu * 1000); // exactly full
      }
      expect(podsPerNode(r).flat().length).toBe(tc.sizes.length);
    }, 120_000);
  }
});
