/**
 * One node as a scenario, for verification. Nodes are simulated one by one; what couples
 * them is modelled like this:
 *
 *   - A pod's network-replicated volume is a replicated volume over the devices holding
 *     its copies. A copy on another node's device is that device, defined the same, in
 *     this node's scenario (a "remote" device), carrying as background jobs the other I/O
 *     that device serves: the pods and copies placed on it.
 *   - This node's own devices carry, as background jobs, the I/O of copies placed on them
 *     by pods of other nodes.
 *   - The node's NIC is one link each way (`network.link`), shared by all its pods'
 *     replicated volumes; the traffic of copies it serves for other nodes takes its share
 *     of the bandwidth (the link is that much slower).
 *
 * Background jobs are the original jobs paced at the rates they ran at (paced jobs at
 * their pace; closed loops as measured at the last verification of their node, rounded),
 * Poisson. Remote NICs are not modelled. No timeline is sampled (one interval): placement
 * reads totals only. Pure.
 */
import type { Cluster, Workload } from './types.js';
import { asClones, hasReplicatedVolumes, mergeable, type JobRate } from './demand.js';
import { podContainer } from './estimate.js';
import type { Item, PlacedNode, Placement } from './state.js';

type Raw = Record<string, unknown>;

export interface NodePod {
  w: number;
  r: number;
  container: string;
  /** Replicas that run as clones of this container (1 unless pods were merged). */
  clones: number;
  /** Scenario names of the devices it uses (its own, its copies'). */
  devices: string[];
}

export interface NodeSim {
  raw: Raw;
  pods: NodePod[];
  /** Scenario device name → the real device (node id, index in its type). */
  devices: { name: string; node: number; device: number }[];
  /** Traffic served for other nodes leaves the NIC (almost) no bandwidth. */
  nicSaturated: boolean;
  /** Pods left out: a copy of one of their volumes has no place yet. */
  blocked: { w: number; r: number }[];
}

/** Rates of each pod's jobs (`w.r` → one rate per job), as last known. */
export type RateBook = Map<string, JobRate[]>;

const SATURATED = 0.05;

function readShare(w: Workload, v: number, k: number): number {
  const r = w.volumes[v]!.replication!;
  return r.read === 'primary' ? (k === 0 ? 1 : 0) : 1 / r.copies;
}

/** A job paced at given total rates, as a background job on `volume`; undefined when it would do nothing. */
function backgroundJob(w: Workload, job: number, rate: JobRate, readScale: number, volume: string): Raw | undefined {
  const spec = w.jobs[job]!;
  const raw = { ...w.jobsRaw[spec.name]! };
  const read = spec.readRatio > 0 ? (rate.read * readScale) / spec.numjobs : 0;
  const write = spec.readRatio < 1 ? rate.write / spec.numjobs : 0;
  if (read === 0 && write === 0) return undefined;
  const random = spec.rw.startsWith('rand');
  delete raw.thinktime;
  delete raw.thinktime_blocks;
  delete raw.startdelay;
  if (read === 0 || write === 0) {
    delete raw.rwmixread;
    delete raw.rwmixwrite;
    raw.rw = read === 0 ? (random ? 'randwrite' : 'write') : random ? 'randread' : 'read';
  }
  return { ...raw, volume, rate_iops: read === 0 ? write : write === 0 ? read : `${read},${write}`, rate_process: 'poisson', iodepth: Math.max(spec.iodepth, 1) };
}

class Builder {
  readonly devices: Raw = {};
  readonly volumes: Raw = {};
  readonly containers: Raw = {};
  readonly deviceMap: NodeSim['devices'] = [];
  private volumeCount = 0;

  constructor(private readonly c: Cluster, private readonly p: Placement, private readonly rates: RateBook, readonly local: number) {}

  /** This node's devices keep their names; a remote device is r0, r1, ... (never a local name). */
  deviceName(node: number, device: number): string {
    const found = this.deviceMap.find((d) => d.node === node && d.device === device);
    if (found) return found.name;
    const dev = this.c.nodeTypes[this.p.nodes[node]!.type]!.devices[device]!;
    let name = dev.name;
    if (node !== this.local) for (let i = this.deviceMap.length; name === dev.name || name in this.devices; i++) name = `r${i}`;
    this.devices[name] = dev.raw;
    this.deviceMap.push({ name, node, device });
    return name;
  }

  volume(raw: Raw): string {
    const name = `v${this.volumeCount++}`;
    this.volumes[name] = raw;
    return name;
  }

  /** Background I/O per device, workload, volume and read share: summed rates per job. */
  private readonly background = new Map<string, { w: number; v: number; scale: number; device: string; rates: JobRate[] }>();

  /** An item's I/O on the device `deviceName`, as background (summed with others like it). */
  addBackground(item: Item, deviceName: string): void {
    const w = this.c.workloads[item.w]!;
    const rates = this.rates.get(`${item.w}.${item.r}`)!;
    w.volumes.forEach((v, vi) => {
      if (item.kind === 'pod' ? v.replication !== undefined : vi !== item.v) return;
      const scale = item.kind === 'pod' ? 1 : readShare(w, item.v, item.k);
      const key = `${deviceName}|${item.w}|${vi}|${scale}`;
      const g = this.background.get(key) ?? { w: item.w, v: vi, scale, device: deviceName, rates: w.jobs.map(() => ({ read: 0, write: 0 })) };
      g.rates = g.rates.map((r, i) => ({ read: r.read + rates[i]!.read, write: r.write + rates[i]!.write }));
      this.background.set(key, g);
    });
  }

  /** Background containers, one per group, in the order the groups appeared. */
  flushBackground(): void {
    let n = 0;
    for (const g of this.background.values()) {
      const w = this.c.workloads[g.w]!;
      const v = w.volumes[g.v]!;
      const name = this.volume({ ...v.raw, device: g.device });
      const jobs: Raw = {};
      w.jobs.forEach((j, ji) => {
        const job = j.volume === v.name ? backgroundJob(w, ji, g.rates[ji]!, g.scale, name) : undefined;
        if (job) jobs[j.name] = job;
      });
      if (Object.keys(jobs).length > 0) this.containers[`b${n++}`] = { jobs };
    }
  }
}

type Pod = Extract<Item, { kind: 'pod' }>;

/** Pods to simulate, grouped: replicas that may merge share a container per device. Pods missing a copy are blocked. */
function podGroups(c: Cluster, p: Placement, node: PlacedNode): { groups: Pod[][]; blocked: NodeSim['blocked'] } {
  const groups = new Map<string, Pod[]>();
  const blocked: NodeSim['blocked'] = [];
  for (const item of node.items) {
    if (item.kind !== 'pod') continue;
    const w = c.workloads[item.w]!;
    const copiesPlaced = w.volumes.every((v, vi) => Array.from({ length: v.replication?.copies ?? 0 }, (_, k) => k).every((k) => p.nodeOf({ kind: 'copy', w: item.w, r: item.r, v: vi, k }) !== undefined));
    if (!copiesPlaced) blocked.push({ w: item.w, r: item.r });
    else {
      const key = mergeable(w) && !hasReplicatedVolumes(w) ? `${item.w}/${item.device}` : `${item.w}.${item.r}`;
      groups.set(key, [...(groups.get(key) ?? []), item]);
    }
  }
  return { groups: [...groups.values()], blocked };
}

/** A pod's volumes in the scenario: local ones on its device, replicated ones over its copies' devices through the NIC. */
function podVolumes(c: Cluster, p: Placement, b: Builder, pod: Pod, nicBytesPerSec: number, remotes: Set<string>, used: Set<string>): string[] {
  const w = c.workloads[pod.w]!;
  return w.volumes.map((v, vi) => {
    const r = v.replication;
    if (!r) {
      const dev = b.deviceName(b.local, pod.device);
      used.add(dev);
      return b.volume({ ...v.raw, device: dev });
    }
    const devices = Array.from({ length: r.copies }, (_, k) => {
      const ref = { kind: 'copy' as const, w: pod.w, r: pod.r, v: vi, k };
      const at = p.nodeOf(ref)!;
      const copy = p.itemOf(ref)!;
      if (at !== b.local) remotes.add(`${at}/${copy.device}`);
      return b.deviceName(at, copy.device);
    });
    devices.forEach((d) => used.add(d));
    return b.volume({ ...v.raw, replicated: { devices, writeAck: r.writeAck, read: r.read, network: { latency: `${c.networkLatencyUs}us`, bandwidth: Math.max(nicBytesPerSec, 1), link: 'nic' } } });
  });
}

/** Background on this node's devices (copies of pods elsewhere) and on the remote devices its pods reach (all else they serve). */
function addBackgrounds(p: Placement, b: Builder, node: PlacedNode, remotes: Set<string>): void {
  const owner = (i: Item): number | undefined => p.nodeOf({ kind: 'pod', w: i.w, r: i.r });
  for (const item of node.items) {
    if (item.kind === 'copy' && owner(item) !== undefined && owner(item) !== node.id) b.addBackground(item, b.deviceName(node.id, item.device));
  }
  for (const key of [...remotes].sort()) {
    const [at, device] = key.split('/').map(Number) as [number, number];
    for (const item of p.nodes[at]!.items) {
      if (item.device !== device) continue;
      if (item.kind === 'copy' && (owner(item) === node.id || owner(item) === undefined)) continue; // modelled directly, or not running
      b.addBackground(item, b.deviceName(at, device));
    }
  }
}

export function buildNodeScenario(c: Cluster, p: Placement, node: PlacedNode, rates: RateBook, nicServedBytesPerSec: number): NodeSim {
  const t = c.nodeTypes[node.type]!;
  const b = new Builder(c, p, rates, node.id);
  t.devices.forEach((_, j) => b.deviceName(node.id, j));
  const nic = t.nicBytesPerSec - nicServedBytesPerSec;
  const nicSaturated = nicServedBytesPerSec > 0 && nic <= SATURATED * t.nicBytesPerSec;
  const remotes = new Set<string>();
  const pods: NodePod[] = [];
  const { groups, blocked } = podGroups(c, p, node);
  for (const [i, members] of groups.entries()) {
    const w = c.workloads[members[0]!.w]!;
    const used = new Set<string>();
    const names = podVolumes(c, p, b, members[0]!, nic, remotes, used);
    const container = `p${i}`;
    b.containers[container] = asClones(podContainer(w, (vol) => names[w.volumes.findIndex((v) => v.name === vol)]!), w, members.length);
    for (const m of members) pods.push({ w: m.w, r: m.r, container, clones: members.length, devices: [...used] });
  }
  addBackgrounds(p, b, node, remotes);
  b.flushBackground();
  const raw: Raw = { name: 'node', duration: `${c.durationUs}us`, ramp: `${c.rampUs}us`, timeline: `${c.durationUs + c.rampUs}us`, devices: b.devices, volumes: b.volumes, containers: b.containers };
  return { raw, pods, devices: b.deviceMap, nicSaturated, blocked };
}
