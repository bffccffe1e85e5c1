/**
 * The placement an I/O-blind scheduler makes on the same nodes: Kubernetes' default
 * scoring by requests (NodeResourcesFit, LeastAllocated): pods in the order they are
 * listed, each on the feasible node with the highest score
 *
 *   score = mean over CPU and memory of floor((allocatable − requested) × 100 / allocatable)
 *
 * (requested includes the pod), ties to the first node (Kubernetes picks among ties at
 * random). Feasible: requests fit, anti-affinity holds, a device has space for the pod's
 * local volumes (local volumes bound at first consumer, as capacity-aware provisioners
 * do). Devices and copies go where the most space is free. Nothing looks at I/O.
 */
import type { Cluster } from './types.js';
import type { Fit } from './fit.js';
import { allRefs, Placement, type Item, type ItemRef, type PlacedNode } from './state.js';
import { hasLocalVolumes } from './demand.js';

function leastAllocatedScore(fit: Fit, node: PlacedNode, item: Item): number {
  const t = fit.type(node);
  const req = fit.requests(node, item);
  const cpu = Math.floor(((t.cpuMillis - req.cpuMillis) * 100) / t.cpuMillis);
  const mem = Math.floor(((t.memoryBytes - req.memoryBytes) * 100) / t.memoryBytes);
  return (cpu + mem) / 2;
}

/** The device with the most free space that takes the item, on a node (or undefined). */
function roomiest(fit: Fit, node: PlacedNode, ref: ItemRef): { item: Item; freeBytes: number } | undefined {
  const t = fit.type(node);
  const w = fit.cluster.workloads[ref.w]!;
  if (ref.kind === 'pod' && !hasLocalVolumes(w)) {
    const item = { ...ref, device: -1 } as Item;
    return fit.fitsHard(node, item) ? { item, freeBytes: 0 } : undefined;
  }
  let best: { item: Item; freeBytes: number } | undefined;
  t.devices.forEach((d, j) => {
    const item = { ...ref, device: j } as Item;
    if (!fit.fitsHard(node, item)) return;
    const free = d.capacityBytes - fit.deviceUse(node, j).spaceBytes;
    if (!best || free > best.freeBytes) best = { item, freeBytes: free };
  });
  return best;
}

export function leastAllocated(c: Cluster, fit: Fit, nodeTypes: number[]): { placement: Placement; unschedulable: ItemRef[] } {
  const p = Placement.empty();
  for (const t of nodeTypes) p.open(t);
  const unschedulable: ItemRef[] = [];
  for (const ref of allRefs(c)) {
    let best: { node: PlacedNode; item: Item; score: number } | undefined;
    for (const node of p.openNodes()) {
      const choice = roomiest(fit, node, ref);
      if (!choice) continue;
      const score = ref.kind === 'pod' ? leastAllocatedScore(fit, node, choice.item) : choice.freeBytes;
      if (!best || score > best.score) best = { node, item: choice.item, score };
    }
    if (best) p.add(best.node.id, best.item);
    else unschedulable.push(ref);
  }
  return { placement: p, unschedulable };
}
