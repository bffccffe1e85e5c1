/**
 * A placement read back for people: per node (its pods, devices, headroom) and per
 * workload (where its replicas went, the worst figure of each SLO). Text tables, CSV
 * files and the report page are all built from these rows. Pure.
 */
import type { Cluster } from './types.js';
import type { Fit } from './fit.js';
import type { Placement } from './state.js';
import type { NodeVerdict } from './verify.js';

export interface NodeRow {
  id: number;
  label: string;
  type: string;
  pods: string[];
  copies: string[];
  cpuMillis: number;
  memoryBytes: number;
  devices: { name: string; utilization: number; usedBytes: number; capacityBytes: number }[];
  /** Lowest headroom of any SLO of its pods (Infinity without SLOs). */
  worstHeadroom: number;
  met: boolean;
}

export interface WorkloadRow {
  name: string;
  replicas: number;
  placed: number;
  nodes: number;
  slos: { slo: string; worst: number; bound: number; replicasMet: number }[];
}

export function nodeRows(c: Cluster, fit: Fit, p: Placement, verdicts: NodeVerdict[], labels: Map<number, string>): NodeRow[] {
  return p.openNodes().map((n) => {
    const t = c.nodeTypes[n.type]!;
    const v = verdicts.find((x) => x.node === n.id);
    const req = fit.requests(n);
    const name = (w: number, r: number): string => `${c.workloads[w]!.name}-${r}`;
    return {
      id: n.id,
      label: labels.get(n.id)!,
      type: t.name,
      pods: n.items.filter((i) => i.kind === 'pod').map((i) => name(i.w, i.r)),
      copies: n.items.flatMap((i) => (i.kind === 'copy' ? [`${name(i.w, i.r)}/${c.workloads[i.w]!.volumes[i.v]!.name}#${i.k}`] : [])),
      cpuMillis: req.cpuMillis,
      memoryBytes: req.memoryBytes,
      devices: t.devices.map((d, j) => ({
        name: d.name,
        utilization: v?.devices.find((x) => x.node === n.id && x.device === j)?.utilization ?? 0,
        usedBytes: fit.deviceUse(n, j).spaceBytes,
        capacityBytes: d.capacityBytes,
      })),
      worstHeadroom: v?.worstHeadroom ?? Infinity,
      met: v?.met ?? true,
    };
  });
}

export function workloadRows(c: Cluster, verdicts: NodeVerdict[]): WorkloadRow[] {
  return c.workloads.map((w) => {
    const pods = verdicts.flatMap((v) => v.pods.filter((x) => x.w === w.index).map((x) => ({ ...x, node: v.node })));
    return {
      name: w.name,
      replicas: w.replicas,
      placed: pods.length,
      nodes: new Set(pods.map((x) => x.node)).size,
      slos: w.slos.map((s, i) => ({
        slo: s.text,
        worst: Math.max(-Infinity, ...pods.map((x) => x.figures[i]!.observed)),
        bound: s.bound,
        replicasMet: pods.filter((x) => x.figures[i]!.met).length,
      })),
    };
  });
}

/** Node types used, as "sata × 4, nvme × 2". */
export function typeCounts(c: Cluster, p: Placement): string {
  return c.nodeTypes.map((t) => [t.name, p.countOfType(t.index)] as const).filter(([, n]) => n > 0).map(([name, n]) => `${name} × ${n}`).join(', ');
}

export function totalCost(c: Cluster, p: Placement): number {
  return p.openNodes().reduce((s, n) => s + c.nodeTypes[n.type]!.cost, 0);
}
