/**
 * What couples nodes: a pod's replicated volume reaches the devices holding its copies on
 * other nodes (remote devices in its node's scenario, carrying what those devices serve
 * as background), and the copies' writes land on the other nodes' devices. (That a named
 * link is shared is checked in test/model/shared-link.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { clusterFrom, inThread } from './helpers.js';
import { Placement } from '../../src/place/state.js';
import { buildNodeScenario, type RateBook } from '../../src/place/node-scenario.js';

function cluster(dbRate: number) {
  return clusterFrom({
    name: 'coupled', seed: 2, duration: '2s', ramp: '200ms', network: { latency: '100us' },
    nodeTypes: { node: { cpu: 16, memory: '64GiB', network: '10Gbit/s', devices: { d: { parallelism: 1, read: { latency: { dist: 'exponential', mean: '100us' } }, write: { latency: { dist: 'exponential', mean: '100us' } }, capacity: '1TiB' } } } },
    workloads: {
      app: { replicas: 2, cpu: 1, slo: ['p99<=10ms'], volumes: { log: { size: '10GiB', replicated: { copies: 2, writeAck: 'all' } } }, jobs: { w: { rw: 'randwrite', rate_iops: 1000, rate_process: 'poisson', iodepth: 256 } } },
      db: { cpu: 1, slo: ['p99<=10ms'], volumes: { data: { size: '10GiB' } }, jobs: { q: { rw: 'randread', rate_iops: dbRate, rate_process: 'poisson', iodepth: 256 } } },
    },
  });
}

/** app-0 on node 0 with copies on nodes 1 and 2; db on node 1; app-1 on node 2 with copies on nodes 0 and 1. */
function placement(): Placement {
  const pl = Placement.empty();
  for (let i = 0; i < 3; i++) pl.open(0);
  pl.add(0, { kind: 'pod', w: 0, r: 0, device: -1 });
  pl.add(1, { kind: 'copy', w: 0, r: 0, v: 0, k: 0, device: 0 });
  pl.add(2, { kind: 'copy', w: 0, r: 0, v: 0, k: 1, device: 0 });
  pl.add(1, { kind: 'pod', w: 1, r: 0, device: 0 });
  pl.add(2, { kind: 'pod', w: 0, r: 1, device: -1 });
  pl.add(0, { kind: 'copy', w: 0, r: 1, v: 0, k: 0, device: 0 });
  pl.add(1, { kind: 'copy', w: 0, r: 1, v: 0, k: 1, device: 0 });
  return pl;
}

const rates = (dbRate: number): RateBook => new Map([['0.0', [{ read: 0, write: 1000 }]], ['0.1', [{ read: 0, write: 1000 }]], ['1.0', [{ read: dbRate, write: 0 }]]]);

describe('coupling between nodes', () => {
  it('puts remote copies, their devices\' other load and the shared NIC into a node\'s scenario', () => {
    const c = cluster(3000);
    const pl = placement();
    const sim = buildNodeScenario(c, pl, pl.nodes[0]!, rates(3000), 0);
    const raw = sim.raw as { devices: Record<string, unknown>; volumes: Record<string, any>; containers: Record<string, any> };
    // node 0's own device, and node 1's and node 2's devices as remote ones
    expect(sim.devices.map((d) => [d.node, d.device])).toEqual([[0, 0], [1, 0], [2, 0]]);
    const replicated = Object.values(raw.volumes).find((v) => v.replicated);
    expect(replicated.replicated.devices).toEqual(['r1', 'r2']);
    expect(replicated.replicated.network.link).toBe('nic');
    // background: app-1's copy writes on node 0's device; db's reads and app-1's copy on node 1's; nothing else on node 2's
    const backgrounds = Object.entries(raw.containers).filter(([k]) => k.startsWith('b')).map(([, v]) => Object.values(v.jobs as Record<string, any>).map((j) => `${raw.volumes[j.volume].device}:${j.rw}@${j.rate_iops}`)).flat().sort();
    expect(backgrounds).toEqual(['d:randwrite@1000', 'r1:randread@3000', 'r1:randwrite@1000']);
    expect(sim.pods).toEqual([{ w: 0, r: 0, container: 'p0', clones: 1, devices: ['r1', 'r2'] }]);
  });

  it('makes a pod slower when the device holding its copy serves more elsewhere', async () => {
    const latency = async (dbRate: number): Promise<number> => {
      const c = cluster(dbRate);
      const pl = placement();
      const sim = buildNodeScenario(c, pl, pl.nodes[0]!, rates(dbRate), 0);
      const r = await inThread(sim.raw, 7);
      return r.rows.find((x) => x.job === 'p0.w' && x.direction === 'write')!.p99Us;
    };
    const light = await latency(500);
    const heavy = await latency(6500);
    // node 1's device goes from 25 % to 85 % busy (M/M/1): the copy's write waits far longer
    expect(heavy).toBeGreaterThan(2 * light);
  }, 60_000);
});
