/**
 * Placement against queueing theory. Nodes of one device that serves one I/O at a time
 * with exponential service (mean S) under Poisson arrivals are M/M/1 queues; the sojourn
 * time is exponential with rate μ − λ, so p99 = ln(100) / (μ − λ) and a p99 SLO admits
 * λc = μ − ln(100) / SLO per node. Replicas of rate r then fit floor(λc/r) to a node, and
 * the answer must be exactly ceil(total rate / λc) nodes when the instance packs evenly
 * (the numbers below are chosen so that it does, with λc/r = k + 0.5 so that k replicas
 * sit 20-30 % under the SLO and k + 1 replicas 30-40 % over it, far outside the noise of
 * a 3-second p99). Every node must also meet the SLO under other seeds.
 */
import { describe, expect, it } from 'vitest';
import { plan, podsPerNode } from './helpers.js';

const S_US = 100;
const MU = 1e6 / S_US;

function cluster(seed: number, workloads: { name: string; replicas: number; rate: number }[], sloUs: number): Record<string, unknown> {
  return {
    name: 'mm1', seed, duration: '3s', ramp: '300ms',
    nodeTypes: { node: { cpu: 64, memory: '256GiB', devices: { d: { parallelism: 1, read: { latency: { dist: 'exponential', mean: `${S_US}us` } }, capacity: '10TiB' } } } },
    workloads: Object.fromEntries(workloads.map((w) => [w.name, {
      replicas: w.replicas, cpu: 1, memory: '1GiB', slo: [`p99<=${sloUs}us`],
      volumes: { v: { size: '10GiB' } },
      jobs: { j: { rw: 'randread', bs: '4k', rate_iops: w.rate, rate_process: 'poisson', iodepth: 4096 } },
    }])),
  };
}

/** The p99 SLO that admits λ* per node: ln(100) / (μ − λ*), µs. */
const sloFor = (lambdaStar: number): number => (Math.log(100) / (MU - lambdaStar)) * 1e6;

describe('placement on M/M/1 nodes', () => {
  const cases = [
    { name: '20 replicas of 1600/s, 4.5 per node', workloads: [{ name: 'a', replicas: 11, rate: 1600 }, { name: 'b', replicas: 9, rate: 1600 }], lambdaStar: 7200 },
    { name: '15 replicas of 2200/s, 3.5 per node', workloads: [{ name: 'a', replicas: 15, rate: 2200 }], lambdaStar: 7700 },
  ];
  for (const tc of cases) {
    it(`needs exactly ceil(total rate / per-node capacity) nodes: ${tc.name}`, async () => {
      const total = tc.workloads.reduce((s, w) => s + w.replicas * w.rate, 0);
      const expected = Math.ceil(total / tc.lambdaStar);
      const slo = Math.round(sloFor(tc.lambdaStar));
      for (const seed of [1, 2, 3]) {
        const r = await plan(cluster(seed, tc.workloads, slo), 2);
        expect(r.met).toBe(true);
        expect(r.placement.openNodes().length).toBe(expected);
        expect(r.lowerBound.nodes).toBe(expected);
        const perNode = Math.floor(tc.lambdaStar / tc.workloads[0]!.rate);
        for (const pods of podsPerNode(r)) expect(pods.length).toBeLessThanOrEqual(perNode);
        expect(r.confirmation.nodesMet).toBe(expected); // every node met the SLO under 2 other seeds
      }
    }, 300_000);
  }
});
