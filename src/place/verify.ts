/**
 * Verification: each node's scenario simulated (on the worker pool, through the ledger),
 * read back as SLO verdicts per pod and utilization per device.
 */
import type { Cluster } from './types.js';
import type { PointResult, PointRow } from '../sweep/evaluate.js';
import { observed } from '../sweep/slo.js';
import { podStreams, ratesFromRows } from './demand.js';
import { buildNodeScenario, type NodeSim, type RateBook } from './node-scenario.js';
import { sloFigures, type SloFigure } from './verdict.js';
import type { PlacedNode, Placement } from './state.js';
import type { Purpose, SimLedger } from './ledger.js';

export interface PodVerdict {
  w: number;
  r: number;
  figures: SloFigure[];
  met: boolean;
  rows: PointRow[];
  /** Busiest device it uses, 0..1. */
  utilization: number;
  /** Scenario names of its devices. */
  devices: string[];
  /** Not simulated: a copy of one of its volumes has no place. */
  blocked?: boolean;
}

export interface NodeVerdict {
  node: number;
  type: number;
  sim: NodeSim;
  result?: PointResult;
  pods: PodVerdict[];
  met: boolean;
  /** Utilization of each device of this node and of the remote devices its pods reach. */
  devices: { name: string; node: number; device: number; utilization: number }[];
  worstHeadroom: number;
}

/** NIC bytes per second (the busier way) of copies this node holds for pods of other nodes. */
export function nicServed(c: Cluster, p: Placement, node: PlacedNode, rates: RateBook): number {
  let tx = 0;
  let rx = 0;
  for (const i of node.items) {
    const owner = i.kind === 'copy' ? p.nodeOf({ kind: 'pod', w: i.w, r: i.r }) : undefined;
    if (i.kind !== 'copy' || owner === undefined || owner === node.id) continue;
    const s = podStreams(c.workloads[i.w]!, rates.get(`${i.w}.${i.r}`)!).copies[i.v]![i.k]!;
    tx += s.readBytesPerSec;
    rx += s.writeBytesPerSec;
  }
  return Math.max(tx, rx);
}

export function verdictOf(c: Cluster, node: PlacedNode, sim: NodeSim, result: PointResult | undefined): NodeVerdict {
  const util = new Map((result?.devices ?? []).map((d) => [d.name, d.utilization]));
  const pods = sim.pods.map((pod): PodVerdict => {
    const w = c.workloads[pod.w]!;
    const mine = (job: string): boolean => job.startsWith(`${pod.container}.`);
    const utilization = Math.max(0, ...pod.devices.map((d) => util.get(d) ?? 0));
    const figures = sloFigures(w.slos, (s) => (sim.nicSaturated || !result ? Infinity : s.metric === 'util' ? utilization : observed(s, result, mine)));
    return { w: pod.w, r: pod.r, figures, met: figures.every((f) => f.met), rows: result?.rows.filter((row) => mine(row.job)) ?? [], utilization, devices: pod.devices };
  });
  for (const b of sim.blocked) {
    const figures = sloFigures(c.workloads[b.w]!.slos, () => Infinity);
    pods.push({ w: b.w, r: b.r, figures, met: false, rows: [], utilization: 0, devices: [], blocked: true });
  }
  const worstHeadroom = Math.min(Infinity, ...pods.flatMap((p) => p.figures.map((f) => f.headroom)));
  return {
    node: node.id, type: node.type, sim, ...(result ? { result } : {}), pods, met: pods.every((p) => p.met),
    devices: sim.devices.map((d) => ({ ...d, utilization: util.get(d.name) ?? 0 })), worstHeadroom,
  };
}

/** Simulates every open node (each distinct scenario once) and returns verdicts in node order. */
export async function verifyNodes(c: Cluster, p: Placement, rates: RateBook, ledger: SimLedger, purpose: Purpose = 'verify', repetition = 0): Promise<NodeVerdict[]> {
  return Promise.all(
    p.openNodes().map(async (node) => {
      const sim = buildNodeScenario(c, p, node, rates, nicServed(c, p, node, rates));
      const hasJobs = Object.keys(sim.raw.containers as object).length > 0;
      const result = hasJobs && !sim.nicSaturated ? await ledger.simulate(sim.raw, purpose, repetition) : undefined;
      return verdictOf(c, node, sim, result);
    }),
  );
}

/** Rates measured at verification replace the estimates for the next round (closed loops only change). */
export function updateRates(c: Cluster, verdicts: NodeVerdict[], rates: RateBook): boolean {
  let changed = false;
  for (const v of verdicts) {
    for (const pod of v.pods) {
      if (!v.result || pod.blocked) continue;
      const { container, clones } = v.sim.pods.find((x) => x.w === pod.w && x.r === pod.r)!;
      const next = ratesFromRows(c.workloads[pod.w]!, container, v.result.rows, true, clones);
      const key = `${pod.w}.${pod.r}`;
      if (JSON.stringify(next) !== JSON.stringify(rates.get(key))) changed = true;
      rates.set(key, next);
    }
  }
  return changed;
}
