/**
 * Per-workload demand, from short simulations of each workload alone on each kind of
 * device it could use (a "device class": the device's definition, and the NIC when the
 * workload has replicated volumes):
 *
 *   solo run (one replica) ──▶ rates of its jobs, load per replica, feasible at all?
 *        │
 *        ▼
 *   capacity search (k replicas on one device, bisection, src/sweep/capacity.ts)
 *        ──▶ budget: the device load at which the workload's SLOs still hold
 *
 * The search stops at the largest load a device of the class could ever carry under its
 * space, CPU and memory limits; a workload that meets its SLOs there has no I/O budget
 * (Infinity). Packing then keeps every device's load within the budgets of the workloads
 * on it; verification by simulation corrects what this linear picture misses.
 */
import type { Cluster, NodeType, Workload } from './types.js';
import type { DeviceSpec } from '../scenario/types.js';
import { asClones, hasLocalVolumes, hasReplicatedVolumes, localBytes, mergeable, podStreams, ratesFromRows, type JobRate, type PodStreams } from './demand.js';
import { addLoad, loadOf, loadScalar, zeroLoad } from './load.js';
import { searchCapacity } from '../sweep/capacity.js';
import { meets, observed } from '../sweep/slo.js';
import type { PointResult } from '../sweep/evaluate.js';
import type { SimLedger } from './ledger.js';
import { describeSloMisses, sloFigures } from './verdict.js';
import { normalizeScenario } from '../scenario/normalize.js';

type Raw = Record<string, unknown>;

export interface DeviceClass {
  key: string;
  raw: Raw;
  spec: DeviceSpec;
  nicBytesPerSec: number;
  /** Where it first appears, for messages: "nvme/nvme0" (node type and device index). */
  where: string;
  type: number;
  device: number;
}

export interface Estimate {
  feasible: boolean;
  /** Why the workload cannot use this class at all. */
  reason?: string;
  rates: JobRate[];
  streams: PodStreams;
  /** Load of one replica on the busiest device it uses (its own, or a copy's). */
  unitLoad: number;
  /** Device load up to which its SLOs hold (Infinity: within anything the device can carry). */
  budget: number;
  /** Replicas on one device that met the SLOs in the search. */
  kStar: number;
  /** Lowest headroom of its SLOs alone on the class ((bound − observed) / bound; Infinity without SLOs). */
  soloHeadroom: number;
}

/** Most I/Os one estimate simulation may run: bounds the search on very fast devices. */
const MAX_ESTIMATE_IOS = 1.5e6;
const MAX_K = 4096;

export function classKey(w: Workload, t: NodeType, device: number): string {
  return JSON.stringify([t.devices[device]!.raw, hasReplicatedVolumes(w) ? t.nicBytesPerSec : 0]);
}

/**
 * One device class with k replicas of a workload (containers p0, p1, ..., or one container
 * of k clones when they may merge): local volumes on `d`, copy i of each replicated
 * volume on `c<i>`; with `partial`, one more replica (container q) whose paced jobs run
 * at that share of their rates.
 */
export function estimateScenario(c: Cluster, w: Workload, cls: DeviceClass, k: number, partial?: number): Raw {
  const devices: Raw = {};
  if (hasLocalVolumes(w)) devices.d = cls.raw;
  const copies = Math.max(0, ...w.volumes.map((v) => v.replication?.copies ?? 0));
  for (let i = 0; i < copies; i++) devices[`c${i}`] = cls.raw;
  const volumes: Raw = {};
  const containers: Raw = {};
  const clones = mergeable(w) ? k : 1;
  const pods = mergeable(w) ? 1 : k;
  for (let i = 0; i < pods + (partial === undefined ? 0 : 1); i++) {
    const names = w.volumes.map((_, j) => `v${i}-${j}`);
    w.volumes.forEach((v, j) => {
      const r = v.replication;
      volumes[names[j]!] = r
        ? { ...v.raw, replicated: { devices: Array.from({ length: r.copies }, (_, x) => `c${x}`), writeAck: r.writeAck, read: r.read, network: { latency: `${c.networkLatencyUs}us`, bandwidth: cls.nicBytesPerSec } } }
        : { ...v.raw, device: 'd' };
    });
    const pod = podContainer(w, (volume) => names[w.volumes.findIndex((v) => v.name === volume)]!);
    if (i < pods) containers[`p${i}`] = asClones(pod, w, clones);
    else containers.q = { ...pod, jobs: Object.fromEntries(w.jobs.map((j) => [j.name, { ...(pod.jobs as Raw)[j.name] as Raw, rate_iops: `${j.rateIops!.read * partial!},${j.rateIops!.write * partial!}` }])) };
  }
  return { name: 'estimate', duration: `${c.durationUs}us`, ramp: `${c.rampUs}us`, timeline: `${c.durationUs + c.rampUs}us`, devices, volumes, containers };
}

/** A pod as a scenario container: the workload's jobs, each on the scenario volume `volumeName` gives. */
export function podContainer(w: Workload, volumeName: (workloadVolume: string) => string): Raw {
  const jobs: Raw = {};
  for (const j of w.jobs) jobs[j.name] = { ...w.jobsRaw[j.name], volume: volumeName(j.volume) };
  const used = [...new Set(w.jobs.map((j) => volumeName(j.volume)))];
  return { volumes: w.volumes.map((v) => volumeName(v.name)).filter((v) => used.includes(v)), jobs, ...(w.limitsRaw ? { limits: w.limitsRaw } : {}) };
}

function unitLoadOf(streams: PodStreams, spec: DeviceSpec): number {
  let worst = loadScalar(loadOf(streams.local, spec));
  const copies = Math.max(0, ...streams.copies.map((c) => c.length));
  for (let k = 0; k < copies; k++) {
    const l = zeroLoad();
    for (const c of streams.copies) if (c[k]) addLoad(l, loadOf(c[k]!, spec));
    worst = Math.max(worst, loadScalar(l));
  }
  return worst;
}

export class Estimates {
  readonly classes = new Map<string, DeviceClass>();
  private readonly byKey = new Map<string, Estimate>();
  /** Class key of each workload, node type and device: [w][t][j]. */
  private readonly keys: string[][][];
  private readonly feasibleOf = new Map<number, Estimate | undefined>();

  constructor(readonly cluster: Cluster) {
    this.keys = cluster.workloads.map((w) => cluster.nodeTypes.map((t) => t.devices.map((_, j) => classKey(w, t, j))));
    for (const w of cluster.workloads) {
      for (const t of cluster.nodeTypes) {
        t.devices.forEach((d, j) => {
          const key = this.keyOf(w.index, t.index, j);
          if (!this.classes.has(key)) this.classes.set(key, { key, raw: d.raw, spec: d.spec, nicBytesPerSec: hasReplicatedVolumes(w) ? t.nicBytesPerSec : 0, where: `${t.name}/${d.name}`, type: t.index, device: j });
        });
      }
    }
  }

  keyOf(w: number, t: number, device: number): string {
    return this.keys[w]![t]![device]!;
  }

  pairs(): [Workload, DeviceClass][] {
    const out: [Workload, DeviceClass][] = [];
    for (const w of this.cluster.workloads) {
      const keys = new Set(this.keys[w.index]!.flat());
      for (const k of keys) out.push([w, this.classes.get(k)!]);
    }
    return out;
  }

  set(w: Workload, key: string, e: Estimate): void {
    this.byKey.set(`${w.index}|${key}`, e);
    this.feasibleOf.clear();
  }

  /** The estimate of a workload on device `device` of node type `t`. */
  of(w: Workload, t: NodeType, device: number): Estimate {
    return this.byKey.get(`${w.index}|${this.keyOf(w.index, t.index, device)}`)!;
  }

  /** A workload's estimate on the first class it can use (its rates, for NIC traffic and coupling before verification). */
  anyFeasible(w: Workload): Estimate | undefined {
    if (!this.feasibleOf.has(w.index)) {
      const keys = [...new Set(this.keys[w.index]!.flat())];
      this.feasibleOf.set(w.index, keys.map((k) => this.byKey.get(`${w.index}|${k}`)).find((e) => e?.feasible));
    }
    return this.feasibleOf.get(w.index);
  }
}

/** What one item kind can add to a device: how many at most, the load of each, and what each takes. */
interface Carriable {
  count: number;
  load: number;
  cpuMillis: number;
  memoryBytes: number;
  spaceBytes: number;
}

/** Fractional knapsack: the most load that fits `capacity` of one resource (an upper bound of the integer one). */
function mostLoad(items: Carriable[], capacity: number, weight: (x: Carriable) => number): number {
  let left = capacity;
  let total = 0;
  const sorted = [...items].sort((a, b) => b.load / Math.max(weight(b), 1e-12) - a.load / Math.max(weight(a), 1e-12));
  for (const x of sorted) {
    const w = weight(x);
    const n = w === 0 ? x.count : Math.min(x.count, left / w);
    total += n * x.load;
    left -= n * w;
  }
  return total;
}

/**
 * The most load one device of type t could carry: replicas and copies of every workload
 * that can use it, within the node's CPU and memory and the device's space, each limit
 * taken alone (fractional knapsacks), so an upper bound.
 */
function maxCarried(c: Cluster, t: NodeType, j: number, solo: Map<string, Estimate>): number {
  const cap = t.devices[j]!.capacityBytes;
  const items: Carriable[] = [];
  for (const w of c.workloads) {
    const e = solo.get(`${w.index}|${classKey(w, t, j)}`);
    if (!e?.feasible) continue;
    if (hasLocalVolumes(w)) items.push({ count: w.antiAffinity ? 1 : w.replicas, load: loadScalar(loadOf(e.streams.local, t.devices[j]!.spec)), cpuMillis: w.cpuMillis, memoryBytes: w.memoryBytes, spaceBytes: localBytes(w) });
    w.volumes.forEach((v, vi) => {
      if (!v.replication) return;
      const load = Math.max(...e.streams.copies[vi]!.map((s) => loadScalar(loadOf(s, t.devices[j]!.spec))));
      items.push({ count: w.replicas, load, cpuMillis: 0, memoryBytes: 0, spaceBytes: v.sizeBytes });
    });
  }
  return Math.min(
    items.reduce((s, x) => s + x.count * x.load, 0),
    mostLoad(items, t.cpuMillis, (x) => x.cpuMillis),
    mostLoad(items, t.memoryBytes, (x) => x.memoryBytes),
    mostLoad(items, cap, (x) => x.spaceBytes),
  );
}

/** Candidate replica counts: every count up to 16, then about 8 % apart. */
export function countsUpTo(hi: number): number[] {
  const out: number[] = [];
  for (let k = 1; k <= hi; k = k < 16 ? k + 1 : Math.max(k + 1, Math.round(k * 1.08))) out.push(k);
  if (out[out.length - 1] !== hi) out.push(hi);
  return out;
}

export async function estimateDemand(c: Cluster, ledger: SimLedger, onProgress?: (done: number, total: number) => void): Promise<Estimates> {
  const est = new Estimates(c);
  const pairs = est.pairs();
  let done = 0;
  const total = pairs.length * 2;
  const solo = new Map<string, Estimate>();
  await Promise.all(
    pairs.map(async ([w, cls]) => {
      const raw = estimateScenario(c, w, cls, 1);
      const check = normalizeScenario(raw);
      if (!check.ok) {
        const none = podStreams(w, w.jobs.map(() => ({ read: 0, write: 0 })));
        solo.set(`${w.index}|${cls.key}`, { feasible: false, reason: `it cannot run on ${cls.where}: ${check.issues.map((i) => i.message).join('; ')}`, rates: [], streams: none, unitLoad: 0, budget: 0, kStar: 0, soloHeadroom: -Infinity });
        onProgress?.(++done, total);
        return;
      }
      const r = await ledger.simulate(raw, 'estimate');
      const rates = ratesFromRows(w, 'p0', r.rows);
      const streams = podStreams(w, rates);
      const feasible = meets(w.slos, r, () => true);
      const soloHeadroom = Math.min(Infinity, ...sloFigures(w.slos, (x) => observed(x, r, () => true)).map((f) => f.headroom));
      const e: Estimate = { feasible, rates, streams, unitLoad: unitLoadOf(streams, cls.spec), budget: feasible ? Infinity : 0, kStar: feasible ? 1 : 0, soloHeadroom };
      if (!feasible) e.reason = `alone on ${cls.where} it misses ${describeSloMisses(w.slos, (s) => observed(s, r, () => true))}`;
      solo.set(`${w.index}|${cls.key}`, e);
      onProgress?.(++done, total);
    }),
  );
  await Promise.all(
    pairs.map(async ([w, cls]) => {
      const e = solo.get(`${w.index}|${cls.key}`)!;
      if (e.feasible && w.slos.length > 0 && e.unitLoad > 0) await searchBudget(c, ledger, w, cls, e, solo);
      est.set(w, cls.key, e);
      onProgress?.(++done, total);
    }),
  );
  return est;
}

/** Steps of the bisection on a fraction of one more replica, after the whole-replica search. */
const PARTIAL_STEPS = 3;

async function searchBudget(c: Cluster, ledger: SimLedger, w: Workload, cls: DeviceClass, e: Estimate, solo: Map<string, Estimate>): Promise<void> {
  let carried = 0;
  for (const t of c.nodeTypes) t.devices.forEach((_, j) => classKey(w, t, j) === cls.key && (carried = Math.max(carried, maxCarried(c, t, j, solo))));
  const iopsPerReplica = e.rates.reduce((s, r) => s + r.read + r.write, 0);
  const byIos = iopsPerReplica > 0 ? Math.floor(MAX_ESTIMATE_IOS / (iopsPerReplica * (c.durationUs + c.rampUs) / 1e6)) : MAX_K;
  const reach = Math.min(Math.ceil(carried / e.unitLoad), Math.ceil(1 / e.unitLoad)) + 1;
  const hi = Math.max(2, Math.min(reach, MAX_K, byIos));
  const counts = countsUpTo(hi);
  const evaluate = (k: string | number, repetition: number): Promise<PointResult> => ledger.simulate(estimateScenario(c, w, cls, Number(k)), 'estimate', repetition - 1);
  const answer = await searchCapacity(counts, w.slos, () => true, evaluate, 1);
  const k = Number(answer.value ?? 1);
  e.kStar = k;
  if (answer.atUpperBound) {
    e.budget = hi === reach ? Infinity : k * e.unitLoad;
    return;
  }
  // between k and k + 1 replicas: a fraction of one more replica, when its jobs are paced
  let share = 0;
  if (counts[counts.indexOf(k) + 1] === k + 1 && w.jobs.every((j) => j.rateIops)) {
    let hiShare = 1;
    for (let i = 0; i < PARTIAL_STEPS; i++) {
      const f = (share + hiShare) / 2;
      const r = await ledger.simulate(estimateScenario(c, w, cls, k, f), 'estimate');
      if (meets(w.slos, r, (job) => !job.startsWith('q.'))) share = f;
      else hiShare = f;
    }
  }
  e.budget = (k + share) * e.unitLoad;
}
