/** Why a workload's replicas (or copies) found no place: the first limit that explains it. Pure. */
import type { Cluster, Workload } from './types.js';
import type { Estimates } from './estimate.js';
import type { Fit } from './fit.js';
import { hasLocalVolumes, localBytes } from './demand.js';
import { loadOf, loadScalar } from './load.js';
import type { ItemRef, Placement } from './state.js';
import { formatBytes } from '../scenario/units.js';

const cores = (m: number): string => `${Number((m / 1000).toPrecision(4))}`;

function feasibleSomewhere(c: Cluster, est: Estimates, w: Workload): string | undefined {
  const reasons = new Set<string>();
  for (const t of c.nodeTypes) {
    for (let j = 0; j < t.devices.length; j++) {
      const e = est.of(w, t, j);
      if (e.feasible) return undefined;
      if (e.reason) reasons.add(e.reason);
    }
  }
  return [...reasons].join('; ') || 'no node type has a device';
}

export function whyUnplaced(c: Cluster, est: Estimates, fit: Fit, p: Placement, ref: ItemRef): string {
  const w = c.workloads[ref.w]!;
  const largest = (f: (t: Cluster['nodeTypes'][number]) => number): [number, string] => {
    const t = [...c.nodeTypes].sort((a, b) => f(b) - f(a))[0]!;
    return [f(t), t.name];
  };
  const allowed = c.nodeTypes.reduce((s, t) => s + t.count, 0);
  if (ref.kind === 'pod') {
    const [cpu, cpuType] = largest((t) => t.cpuMillis);
    if (w.cpuMillis > cpu) return `each replica requests ${cores(w.cpuMillis)} CPU; the largest node type (${cpuType}) has ${cores(cpu)}`;
    const [mem, memType] = largest((t) => t.memoryBytes);
    if (w.memoryBytes > mem) return `each replica requests ${formatBytes(w.memoryBytes)} of memory; the largest node type (${memType}) has ${formatBytes(mem)}`;
    const [space, spaceType] = largest((t) => Math.max(0, ...t.devices.map((d) => d.capacityBytes)));
    if (hasLocalVolumes(w) && localBytes(w) > space) return `its local volumes need ${formatBytes(localBytes(w))} on one device; the largest device (${spaceType}) holds ${formatBytes(space)}`;
    if (w.antiAffinity && w.replicas > allowed) return `anti-affinity needs ${w.replicas} nodes (one per replica); ${allowed} are allowed`;
  } else {
    const v = w.volumes[ref.v]!;
    if (v.replication!.copies > allowed) return `volume ${v.name} needs ${v.replication!.copies} copies on distinct nodes; ${allowed} nodes are allowed`;
  }
  const infeasible = feasibleSomewhere(c, est, w);
  if (infeasible) return infeasible;
  const learnedOut = c.nodeTypes.every((t) =>
    t.devices.every((d, j) => {
      const e = est.of(w, t, j);
      return !e.feasible || fit.budget(w.index, t, j) < loadScalar(loadOf(ref.kind === 'pod' ? e.streams.local : e.streams.copies[ref.v]![ref.k]!, d.spec));
    }));
  if (learnedOut) return 'it missed its SLOs in verification on every kind of device it was tried on, even with less load beside it';
  const used = c.nodeTypes.map((t) => `${t.name}: ${p.countOfType(t.index)} of ${Number.isFinite(t.count) ? t.count : 'any'}`).join(', ');
  return `no room left on the nodes allowed (${used} in use)`;
}
