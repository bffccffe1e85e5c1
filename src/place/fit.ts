/**
 * Whether an item fits on a node, by the estimates: CPU and memory requests, one replica
 * per node for anti-affine workloads, copies of one volume on distinct nodes, space on
 * the device, the device's load within the budget of every workload on it, and the NIC.
 * Budgets start from the estimates and only ever tighten, as verification learns.
 */
import type { Cluster, NodeType } from './types.js';
import type { Estimates } from './estimate.js';
import { addLoad, loadOf, loadScalar, zeroLoad, type LoadVector, type Stream } from './load.js';
import { localBytes } from './demand.js';
import type { Item, PlacedNode } from './state.js';

/** Share of a NIC the estimates may fill, before verification learns better. */
export const NIC_SHARE = 0.8;

export class Learned {
  /** Lower budgets found by verification, by workload and device class. */
  readonly budgetCaps = new Map<string, number>();
  /** NIC share per node type. */
  readonly nicShare: number[];

  constructor(c: Cluster) {
    this.nicShare = c.nodeTypes.map(() => NIC_SHARE);
  }

  capBudget(w: number, key: string, load: number): void {
    const k = `${w}|${key}`;
    this.budgetCaps.set(k, Math.min(this.budgetCaps.get(k) ?? Infinity, load));
  }
}

export interface DeviceUse {
  load: LoadVector;
  spaceBytes: number;
  /** Lowest budget among the workloads on the device. */
  budget: number;
}

export class Fit {
  constructor(readonly cluster: Cluster, readonly est: Estimates, readonly learned: Learned) {}

  type(node: PlacedNode): NodeType {
    return this.cluster.nodeTypes[node.type]!;
  }

  budget(w: number, t: NodeType, device: number): number {
    const wl = this.cluster.workloads[w]!;
    const e = this.est.of(wl, t, device);
    if (!e.feasible) return -1;
    return Math.min(e.budget, this.learned.budgetCaps.get(`${w}|${this.est.keyOf(w, t.index, device)}`) ?? Infinity);
  }

  /** The stream an item sends to the device it sits on. */
  stream(item: Item, t: NodeType): Stream {
    const e = this.est.of(this.cluster.workloads[item.w]!, t, item.device);
    return item.kind === 'pod' ? e.streams.local : e.streams.copies[item.v]![item.k]!;
  }

  private readonly loads = new Map<string, LoadVector>();

  /** The load an item puts on the device it sits on (memoized: packing asks often). */
  load(item: Item, t: NodeType): LoadVector {
    const key = item.kind === 'pod' ? `${item.w}|${t.index}|${item.device}` : `${item.w}|${t.index}|${item.device}|${item.v}|${item.k}`;
    let l = this.loads.get(key);
    if (!l) {
      l = loadOf(this.stream(item, t), t.devices[item.device]!.spec);
      this.loads.set(key, l);
    }
    return l;
  }

  spaceOf(item: Item | { kind: 'copy'; w: number; v: number } | { kind: 'pod'; w: number }): number {
    const w = this.cluster.workloads[item.w]!;
    return item.kind === 'pod' ? localBytes(w) : w.volumes[item.v]!.sizeBytes;
  }

  deviceUse(node: PlacedNode, device: number, extra?: Item): DeviceUse {
    const t = this.type(node);
    const use: DeviceUse = { load: zeroLoad(), spaceBytes: 0, budget: Infinity };
    const items = extra ? [...node.items, extra] : node.items;
    for (const i of items) {
      if (i.device !== device) continue;
      addLoad(use.load, this.load(i, t));
      use.spaceBytes += this.spaceOf(i);
      use.budget = Math.min(use.budget, this.budget(i.w, t, device));
    }
    return use;
  }

  /** Bytes per second through the node's NIC, each way (the busier way counts). */
  nicBytesPerSec(node: PlacedNode, extra?: Item): number {
    let tx = 0;
    let rx = 0;
    for (const i of extra ? [...node.items, extra] : node.items) {
      const w = this.cluster.workloads[i.w]!;
      if (i.kind === 'pod') {
        const s = this.est.anyFeasible(w)?.streams;
        tx += s?.nicTxBytesPerSec ?? 0;
        rx += s?.nicRxBytesPerSec ?? 0;
      } else {
        const s = this.stream(i, this.type(node));
        tx += s.readBytesPerSec;
        rx += s.writeBytesPerSec;
      }
    }
    return Math.max(tx, rx);
  }

  requests(node: PlacedNode, extra?: Item): { cpuMillis: number; memoryBytes: number } {
    let cpuMillis = 0;
    let memoryBytes = 0;
    for (const i of extra ? [...node.items, extra] : node.items) {
      if (i.kind !== 'pod') continue;
      cpuMillis += this.cluster.workloads[i.w]!.cpuMillis;
      memoryBytes += this.cluster.workloads[i.w]!.memoryBytes;
    }
    return { cpuMillis, memoryBytes };
  }

  /** Constraints that never bend: requests, anti-affinity, distinct copies, space. */
  fitsHard(node: PlacedNode, item: Item): boolean {
    const t = this.type(node);
    const w = this.cluster.workloads[item.w]!;
    if (item.kind === 'pod') {
      const req = this.requests(node, item);
      if (req.cpuMillis > t.cpuMillis || req.memoryBytes > t.memoryBytes) return false;
      if (w.antiAffinity && node.items.some((i) => i.kind === 'pod' && i.w === item.w)) return false;
    } else if (node.items.some((i) => i.kind === 'copy' && i.w === item.w && i.r === item.r && i.v === item.v)) return false;
    if (item.device < 0) return true;
    if (item.device >= t.devices.length) return false;
    return this.deviceUse(node, item.device, item).spaceBytes <= t.devices[item.device]!.capacityBytes;
  }

  /** Every constraint, with loads within the budgets as the estimates and verification know them. */
  fits(node: PlacedNode, item: Item): boolean {
    if (!this.fitsHard(node, item)) return false;
    const t = this.type(node);
    if (item.device >= 0) {
      if (this.budget(item.w, t, item.device) < 0) return false;
      const use = this.deviceUse(node, item.device, item);
      if (loadScalar(use.load) > use.budget * (1 + 1e-9)) return false;
    }
    const needsNic = item.kind === 'copy' || this.cluster.workloads[item.w]!.volumes.some((v) => v.replication);
    return !needsNic || this.nicBytesPerSec(node, item) <= t.nicBytesPerSec * this.learned.nicShare[t.index]!;
  }
}
