/** The CSV files of a placement: where each replica and copy went, predicted figures, devices. Pure. */
import { stringify } from 'csv-stringify/sync';
import type { Cluster } from './types.js';
import type { Placement } from './state.js';
import type { NodeVerdict } from './verify.js';
import type { NodeRow } from './summary.js';

const r3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '');

/** One row per replica and volume (local volumes) or volume copy: replica → node → device. */
export function placementCsv(c: Cluster, p: Placement, labels: Map<number, string>): string {
  const rows: string[][] = [];
  for (const w of c.workloads) {
    for (let r = 0; r < w.replicas; r++) {
      const podNode = p.nodeOf({ kind: 'pod', w: w.index, r });
      const pod = p.itemOf({ kind: 'pod', w: w.index, r });
      const podLabel = podNode === undefined ? '' : labels.get(podNode)!;
      const podType = podNode === undefined ? '' : c.nodeTypes[p.nodes[podNode]!.type]!.name;
      w.volumes.forEach((v, vi) => {
        if (!v.replication) {
          const device = pod && pod.device >= 0 ? c.nodeTypes[p.nodes[podNode!]!.type]!.devices[pod.device]!.name : '';
          rows.push([w.name, String(r), podLabel, podType, v.name, 'local', podLabel, device]);
          return;
        }
        for (let k = 0; k < v.replication.copies; k++) {
          const ref = { kind: 'copy' as const, w: w.index, r, v: vi, k };
          const at = p.nodeOf(ref);
          const copy = p.itemOf(ref);
          const device = at === undefined || !copy ? '' : c.nodeTypes[p.nodes[at]!.type]!.devices[copy.device]!.name;
          rows.push([w.name, String(r), podLabel, podType, v.name, `copy-${k}`, at === undefined ? '' : labels.get(at)!, device]);
        }
      });
    }
  }
  return stringify([['workload', 'replica', 'node', 'node_type', 'volume', 'role', 'device_node', 'device'], ...rows]);
}

/** Predicted figures per replica, job and direction on its node (latencies of merged replicas are their pooled figures). */
export function predictedCsv(c: Cluster, verdicts: NodeVerdict[], labels: Map<number, string>): string {
  const rows: string[][] = [];
  for (const v of verdicts) {
    for (const pod of v.pods.filter((x) => !x.blocked)) {
      const { container, clones } = v.sim.pods.find((x) => x.w === pod.w && x.r === pod.r)!;
      for (const row of pod.rows) {
        rows.push([labels.get(v.node)!, c.nodeTypes[v.type]!.name, c.workloads[pod.w]!.name, String(pod.r), row.job.slice(container.length + 1), row.direction, r3(row.iops / clones), r3(row.meanUs), r3(row.p50Us), r3(row.p99Us), r3(row.p999Us)]);
      }
    }
  }
  return stringify([['node', 'node_type', 'workload', 'replica', 'job', 'direction', 'iops', 'clat_mean_us', 'clat_p50_us', 'clat_p99_us', 'clat_p99_9_us'], ...rows]);
}

/** Each replica's SLOs: observed (µs, or 0..1 for util), bound, met, headroom. */
export function sloCsv(c: Cluster, verdicts: NodeVerdict[], labels: Map<number, string>): string {
  const rows: string[][] = [];
  for (const v of verdicts) {
    for (const pod of v.pods) {
      for (const f of pod.figures) rows.push([labels.get(v.node)!, c.workloads[pod.w]!.name, String(pod.r), f.slo, r3(f.observed), r3(f.bound), f.met ? 'yes' : 'no', r3(f.headroom * 100)]);
    }
  }
  return stringify([['node', 'workload', 'replica', 'slo', 'observed', 'bound', 'met', 'headroom_pct'], ...rows]);
}

export function devicesCsv(rows: NodeRow[]): string {
  const out = rows.flatMap((n) => n.devices.map((d) => [n.label, n.type, d.name, r3(d.utilization * 100), String(d.usedBytes), String(d.capacityBytes)]));
  return stringify([['node', 'node_type', 'device', 'utilization_pct', 'space_used_bytes', 'space_bytes'], ...out]);
}
