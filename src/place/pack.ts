/**
 * Putting items on nodes by the estimates: first fit decreasing (each pod, then its
 * volumes' copies), moves with one swap when an item fits nowhere (an item on a node is
 * moved elsewhere to make room), opening nodes of the preferred type when allowed, and
 * eviction of the heaviest items from devices over budget. Deterministic: nodes, devices
 * and items are tried in a fixed order.
 */
import type { Objective } from './types.js';
import { hasLocalVolumes, localBytes } from './demand.js';
import { loadOf, loadScalar } from './load.js';
import type { Fit } from './fit.js';
import { allRefs, refOf, type Item, type ItemRef, type PlacedNode, type Placement } from './state.js';

export class Packer {
  /** Node types in the order new nodes are opened. */
  readonly typeOrder: number[];

  constructor(readonly fit: Fit, readonly objective: Objective) {
    this.typeOrder = this.rankTypes();
  }

  /** Devices an item may use on a node of type `type` (-1: a pod without local volumes). */
  devicesFor(ref: ItemRef, type: number): number[] {
    const w = this.fit.cluster.workloads[ref.w]!;
    if (ref.kind === 'pod' && !hasLocalVolumes(w)) return [-1];
    return this.fit.cluster.nodeTypes[type]!.devices.map((_, j) => j);
  }

  /**
   * How good a spot is, lower better: for fewest nodes or cost, how full the item's device
   * would be (with `node` true: how full the node would be); for headroom, minus the
   * headroom to expect there: the workload's SLO headroom alone on that device, or the
   * room left on the node, whichever is smaller.
   */
  score(node: PlacedNode, item: Item, wholeNode: boolean): number {
    if (this.objective !== 'headroom') return wholeNode ? this.pressure(node, item) : this.devicePressure(node, item);
    const t = this.fit.type(node);
    const solo = item.kind === 'pod' && item.device >= 0 ? this.fit.est.of(this.fit.cluster.workloads[item.w]!, t, item.device).soloHeadroom : Infinity;
    return -Math.min(solo, 1 - this.pressure(node, item));
  }

  /** The item on this node at the device where it fits best (ties: the first), or undefined. */
  placeOn(node: PlacedNode, ref: ItemRef): Item | undefined {
    let best: Item | undefined;
    let bestScore = Infinity;
    for (const device of this.devicesFor(ref, node.type)) {
      const item = { ...ref, device } as Item;
      if (!this.fit.fits(node, item)) continue;
      const score = this.score(node, item, false);
      if (score < bestScore) [best, bestScore] = [item, score];
    }
    return best;
  }

  /** How full the item's device would be with it: space or load relative to budget, whichever is more. */
  devicePressure(node: PlacedNode, item: Item): number {
    if (item.device < 0) return 0;
    const t = this.fit.type(node);
    const use = this.fit.deviceUse(node, item.device, item);
    return Math.max(use.spaceBytes / t.devices[item.device]!.capacityBytes, Number.isFinite(use.budget) ? loadScalar(use.load) / use.budget : loadScalar(use.load));
  }

  /** How full a node would be with the item: its fullest resource relative to its limit. */
  pressure(node: PlacedNode, item: Item): number {
    const t = this.fit.type(node);
    const req = this.fit.requests(node, item);
    return Math.max(req.cpuMillis / t.cpuMillis, req.memoryBytes / t.memoryBytes, this.devicePressure(node, item));
  }

  /** First fit over open nodes (for headroom: the best spot on any node). */
  insertExisting(p: Placement, ref: ItemRef, exclude: Set<number> = new Set()): boolean {
    let best: [PlacedNode, Item] | undefined;
    let bestScore = Infinity;
    for (const node of p.openNodes()) {
      if (exclude.has(node.id)) continue;
      const item = this.placeOn(node, ref);
      if (!item) continue;
      if (this.objective !== 'headroom') {
        p.add(node.id, item);
        return true;
      }
      const score = this.score(node, item, true);
      if (score < bestScore) [best, bestScore] = [[node, item], score];
    }
    if (best) p.add(best[0].id, best[1]);
    return best !== undefined;
  }

  /** Opens a node of the first type (in the item's preference order) with nodes left that can hold the item. */
  insertOpening(p: Placement, ref: ItemRef): boolean {
    for (const type of this.typesFor(ref.w)) {
      if (p.countOfType(type) >= this.fit.cluster.nodeTypes[type]!.count) continue;
      const probe: PlacedNode = { id: -1, type, items: [] };
      const item = this.placeOn(probe, ref);
      if (!item) continue;
      p.add(p.open(type).id, item);
      return true;
    }
    return false;
  }

  /** Makes room on a node by moving one of its items to another node (a swap chain of depth one). */
  insertSwapping(p: Placement, ref: ItemRef, exclude: Set<number> = new Set()): boolean {
    for (const node of p.openNodes()) {
      if (exclude.has(node.id)) continue;
      for (const other of [...node.items]) {
        const moved = p.remove(refOf(other));
        const item = this.placeOn(node, ref);
        if (item) {
          p.add(node.id, item);
          if (this.insertExisting(p, refOf(moved), new Set([...exclude, node.id]))) return true;
          p.remove(ref);
        }
        p.add(node.id, moved);
      }
    }
    return false;
  }

  insert(p: Placement, ref: ItemRef, opts: { open: boolean; swap: boolean; exclude?: Set<number> }): boolean {
    if (this.insertExisting(p, ref, opts.exclude)) return true;
    if (opts.swap && this.insertSwapping(p, ref, opts.exclude)) return true;
    return opts.open && this.insertOpening(p, ref);
  }

  /** A pod's size for the decreasing order: its largest share of any resource of the largest node. */
  size(ref: ItemRef): number {
    const c = this.fit.cluster;
    const w = c.workloads[ref.w]!;
    const maxCpu = Math.max(...c.nodeTypes.map((t) => t.cpuMillis));
    const maxMem = Math.max(...c.nodeTypes.map((t) => t.memoryBytes));
    const maxCap = Math.max(1, ...c.nodeTypes.flatMap((t) => t.devices.map((d) => d.capacityBytes)));
    let io = Infinity;
    for (const t of c.nodeTypes) {
      t.devices.forEach((d, j) => {
        const b = this.fit.budget(ref.w, t, j);
        if (b >= 0) io = Math.min(io, Number.isFinite(b) ? loadScalar(loadOf(this.fit.est.of(w, t, j).streams.local, d.spec)) / b : 0);
      });
    }
    return Math.max(w.cpuMillis / maxCpu, w.memoryBytes / maxMem, localBytes(w) / maxCap, Number.isFinite(io) ? io : 0);
  }

  /** How many replicas of a workload fit on an empty node of a type, by the estimates (0: none). */
  perNode(w: number, type: number): number {
    const ref: ItemRef = { kind: 'pod', w, r: 0 };
    const node: PlacedNode = { id: -1, type, items: [] };
    const wl = this.fit.cluster.workloads[w]!;
    let n = 0;
    for (; n < (wl.antiAffinity ? 1 : wl.replicas); n++) {
      const item = this.placeOn(node, { ...ref, r: n });
      if (!item) break;
      node.items.push(item);
    }
    return n;
  }

  /**
   * Node types to open for a workload's items, best first: for the cost objective the
   * lowest cost per replica it holds, otherwise the most replicas per node; types that
   * cannot hold one come last (copies may still go there).
   */
  typesFor(w: number): number[] {
    const cached = this.typeCache.get(w);
    if (cached) return cached;
    const c = this.fit.cluster;
    const general = new Map(this.typeOrder.map((t, i) => [t, i]));
    const per = new Map(c.nodeTypes.map((t) => [t.index, this.perNode(w, t.index)]));
    const score = (t: number): number => (per.get(t)! === 0 ? Infinity : this.objective === 'cost' ? c.nodeTypes[t]!.cost / per.get(t)! : -per.get(t)!);
    const order = c.nodeTypes.map((t) => t.index).sort((a, b) => score(a) - score(b) || general.get(a)! - general.get(b)!);
    this.typeCache.set(w, order);
    return order;
  }

  private readonly typeCache = new Map<number, number[]>();

  /**
   * Pods of the least flexible workloads first (fewest node types that can hold them),
   * then by decreasing size (ties: workload, then replica order), each followed by its copies.
   */
  orderedRefs(): ItemRef[] {
    const refs = allRefs(this.fit.cluster);
    const pods = refs.filter((r) => r.kind === 'pod');
    const sizes = new Map(pods.map((r) => [`${r.w}.${r.r}`, this.size(r)]));
    const types = this.fit.cluster.nodeTypes;
    const flexibility = new Map(this.fit.cluster.workloads.map((w) => [w.index, types.filter((t) => this.perNode(w.index, t.index) > 0).length]));
    pods.sort((a, b) => flexibility.get(a.w)! - flexibility.get(b.w)! || sizes.get(`${b.w}.${b.r}`)! - sizes.get(`${a.w}.${a.r}`)! || a.w - b.w || a.r - b.r);
    return pods.flatMap((pod) => [pod, ...refs.filter((r) => r.kind === 'copy' && r.w === pod.w && r.r === pod.r)]);
  }

  /**
   * Types by how few nodes (or how little cost) they would need to hold every pod alone:
   * the largest of total CPU, memory, space and I/O load over one node's. Types that
   * cannot hold some workload at all come last.
   */
  private rankTypes(): number[] {
    const c = this.fit.cluster;
    const need = c.nodeTypes.map((t) => {
      let cpu = 0;
      let mem = 0;
      let space = 0;
      let io = 0;
      let unusable = 0;
      for (const w of c.workloads) {
        cpu += (w.cpuMillis * w.replicas) / t.cpuMillis;
        mem += (w.memoryBytes * w.replicas) / t.memoryBytes;
        space += (localBytes(w) * w.replicas) / Math.max(1, t.devices.reduce((s, d) => s + d.capacityBytes, 0));
        let share = Infinity;
        t.devices.forEach((d, j) => {
          const e = this.fit.est.of(w, t, j);
          if (e.feasible) share = Math.min(share, Number.isFinite(e.budget) ? loadScalar(loadOf(e.streams.local, d.spec)) / e.budget : 0);
        });
        if (hasLocalVolumes(w) && !Number.isFinite(share)) unusable++;
        else if (hasLocalVolumes(w)) io += (share * w.replicas) / t.devices.length;
      }
      const nodes = Math.max(cpu, mem, space, io);
      return { type: t.index, unusable, score: this.objective === 'cost' ? nodes * t.cost : nodes, cost: t.cost };
    });
    need.sort((a, b) => a.unusable - b.unusable || a.score - b.score || a.cost - b.cost || a.type - b.type);
    return need.map((n) => n.type);
  }
}
