/**
 * What verification teaches, and the repair it calls for. A pod that misses an SLO is
 * limited by the busiest thing it uses: a device (its own, or one holding a copy) or its
 * node's NIC. That resource's budget for the pod's workload drops below the load it
 * carried, so the estimates no longer allow what failed; repair then evicts the heaviest
 * items from every device and NIC over budget and puts them elsewhere (moves, swaps,
 * new nodes when allowed).
 */
import { loadScalar } from './load.js';
import type { Fit } from './fit.js';
import type { Packer } from './pack.js';
import { refOf, type Item, type ItemRef, type Placement } from './state.js';
import type { NodeVerdict } from './verify.js';

/** Budgets drop this far below the load that failed. */
const MARGIN = 0.97;

export function learnFrom(fit: Fit, p: Placement, verdicts: NodeVerdict[]): number {
  let lessons = 0;
  for (const v of verdicts) {
    const node = p.nodes[v.node]!;
    const t = fit.type(node);
    for (const pod of v.pods) {
      if (pod.met || pod.blocked) continue;
      lessons++;
      const nicUtil = t.nicBytesPerSec > 0 && fit.cluster.workloads[pod.w]!.volumes.some((x) => x.replication) ? fit.nicBytesPerSec(node) / t.nicBytesPerSec : 0;
      const devices = v.devices.filter((d) => pod.devices.includes(d.name)).sort((a, b) => b.utilization - a.utilization || a.name.localeCompare(b.name));
      const busiest = devices[0];
      if (v.sim.nicSaturated || (nicUtil > 0 && (!busiest || nicUtil >= busiest.utilization))) {
        fit.learned.nicShare[t.index] = Math.min(fit.learned.nicShare[t.index]!, nicUtil * MARGIN);
        continue;
      }
      if (!busiest) continue;
      const at = p.nodes[busiest.node]!;
      const load = loadScalar(fit.deviceUse(at, busiest.device).load);
      fit.learned.capBudget(pod.w, fit.est.keyOf(pod.w, at.type, busiest.device), load * MARGIN);
    }
  }
  return lessons;
}

function heaviest(fit: Fit, items: Item[], t: ReturnType<Fit['type']>): Item {
  let best = items[0]!;
  let bestLoad = -1;
  for (const i of items) {
    const l = i.device < 0 ? 0 : loadScalar(fit.load(i, t));
    if (l > bestLoad) [best, bestLoad] = [i, l];
  }
  return best;
}

/** Removes items until every device and NIC is within its budget; returns what was removed (heaviest first). */
export function evictOverBudget(fit: Fit, p: Placement): { ref: ItemRef; from: number }[] {
  const out: { ref: ItemRef; from: number }[] = [];
  for (const node of p.openNodes()) {
    const t = fit.type(node);
    for (let j = 0; j < t.devices.length; j++) {
      for (;;) {
        const use = fit.deviceUse(node, j);
        const on = node.items.filter((i) => i.device === j);
        if (on.length === 0 || loadScalar(use.load) <= use.budget * (1 + 1e-9)) break;
        const victim = heaviest(fit, on, t);
        out.push({ ref: refOf(p.remove(refOf(victim))), from: node.id });
      }
    }
    const share = fit.learned.nicShare[t.index]!;
    for (;;) {
      const nic = fit.nicBytesPerSec(node);
      const movable = node.items.filter((i) => i.kind === 'copy' || fit.cluster.workloads[i.w]!.volumes.some((v) => v.replication));
      if (movable.length === 0 || nic <= t.nicBytesPerSec * share) break;
      out.push({ ref: refOf(p.remove(refOf(movable[movable.length - 1]!))), from: node.id });
    }
  }
  return out;
}

/** Evicts what is over budget and reinserts it; returns the items that found no place. */
export function repair(packer: Packer, p: Placement): ItemRef[] {
  const evicted = evictOverBudget(packer.fit, p);
  const unplaced: ItemRef[] = [];
  for (const { ref, from } of evicted) {
    if (packer.insert(p, ref, { open: true, swap: true, exclude: new Set([from]) })) continue;
    if (!packer.insert(p, ref, { open: false, swap: true })) unplaced.push(ref);
  }
  if (packer.objective !== 'headroom') for (const n of p.openNodes()) if (n.items.length === 0) p.close(n.id);
  return unplaced;
}
