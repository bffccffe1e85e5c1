/** Running the planner in tests: simulations in this thread, clusters from plain objects. */
import { normalizeCluster } from '../../src/place/cluster.js';
import type { Cluster } from '../../src/place/types.js';
import { evaluatePoint } from '../../src/sweep/evaluate.js';
import type { RunScenario } from '../../src/place/ledger.js';
import { planPlacement, type PlanResult } from '../../src/place/plan.js';

export const inThread: RunScenario = async (raw, seed) => evaluatePoint(raw, { index: 0, values: {}, repetition: 1, seed });

export function clusterFrom(input: Record<string, unknown>): Cluster {
  const r = normalizeCluster(input);
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return r.cluster;
}

export function plan(input: Record<string, unknown>, confirm = 1): Promise<PlanResult> {
  return planPlacement(clusterFrom(input), inThread, { confirm });
}

/** Pods per node: [[workload-replica, ...], ...] in node order. */
export function podsPerNode(r: PlanResult): string[][] {
  return r.placement.openNodes().map((n) => n.items.filter((i) => i.kind === 'pod').map((i) => `${r.cluster.workloads[i.w]!.name}-${i.r}`));
}
