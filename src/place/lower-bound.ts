/**
 * A lower bound on the number of nodes: no placement needs fewer than total demand over
 * the largest per-node capacity, for every resource. CPU, memory and space are exact
 * bounds; the I/O bound holds under the estimates' linear budgets (each replica takes
 * unit load / budget of a device, at best on the node type where that share is smallest);
 * anti-affinity needs a node per replica, and copies of a volume need distinct nodes.
 */
import type { Cluster } from './types.js';
import type { Estimates } from './estimate.js';
import { localBytes } from './demand.js';
import { loadOf, loadScalar, type Stream } from './load.js';

export interface LowerBound {
  nodes: number;
  by: { resource: string; nodes: number }[];
}

const up = (x: number): number => Math.max(0, Math.ceil(x - 1e-9));

/** Shares of a node of the best type one item takes: 1 / Σ over devices of budget / load. */
function ioShare(c: Cluster, est: Estimates, w: number, stream: (e: ReturnType<Estimates['of']>) => Stream | undefined): number {
  let best = Infinity;
  for (const t of c.nodeTypes) {
    let perNode = 0;
    t.devices.forEach((d, j) => {
      const e = est.of(c.workloads[w]!, t, j);
      const s = stream(e);
      if (!e.feasible || !s) return;
      const load = loadScalar(loadOf(s, d.spec));
      perNode += load === 0 || !Number.isFinite(e.budget) ? Infinity : e.budget / load;
    });
    if (perNode > 0) best = Math.min(best, 1 / perNode);
  }
  return Number.isFinite(best) ? best : 0;
}

export function lowerBound(c: Cluster, est: Estimates): LowerBound {
  const maxCpu = Math.max(...c.nodeTypes.map((t) => t.cpuMillis));
  const maxMem = Math.max(...c.nodeTypes.map((t) => t.memoryBytes));
  const maxSpace = Math.max(...c.nodeTypes.map((t) => t.devices.reduce((s, d) => s + d.capacityBytes, 0)));
  let cpu = 0;
  let mem = 0;
  let space = 0;
  let io = 0;
  let spread = 0;
  for (const w of c.workloads) {
    cpu += w.cpuMillis * w.replicas;
    mem += w.memoryBytes * w.replicas;
    space += (localBytes(w) + w.volumes.reduce((s, v) => s + (v.replication ? v.sizeBytes * v.replication.copies : 0), 0)) * w.replicas;
    if (w.volumes.some((v) => !v.replication)) io += w.replicas * ioShare(c, est, w.index, (e) => e.streams.local);
    w.volumes.forEach((v, vi) => {
      for (let k = 0; k < (v.replication?.copies ?? 0); k++) io += w.replicas * ioShare(c, est, w.index, (e) => e.streams.copies[vi]?.[k]);
    });
    if (w.antiAffinity) spread = Math.max(spread, w.replicas);
    spread = Math.max(spread, ...w.volumes.map((v) => v.replication?.copies ?? 0));
  }
  const by = [
    { resource: 'cpu', nodes: up(cpu / maxCpu) },
    { resource: 'memory', nodes: up(mem / maxMem) },
    { resource: 'space', nodes: maxSpace > 0 ? up(space / maxSpace) : 0 },
    { resource: 'io', nodes: up(io) },
    { resource: 'anti-affinity', nodes: spread },
  ];
  return { nodes: Math.max(1, ...by.map((b) => b.nodes)), by };
}
