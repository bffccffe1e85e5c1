/**
 * A placement: open nodes (each of a node type) holding items, and where each item is.
 * An item is a pod (a workload's replica, with its local volumes on one device of its
 * node) or a copy of one of its network-replicated volumes (on a device of a node).
 */
import type { Cluster } from './types.js';

export type Item =
  | { kind: 'pod'; w: number; r: number; device: number }
  | { kind: 'copy'; w: number; r: number; v: number; k: number; device: number };

/** An item without its device: what is placed, not where. */
export type ItemRef = { kind: 'pod'; w: number; r: number } | { kind: 'copy'; w: number; r: number; v: number; k: number };

export interface PlacedNode {
  id: number;
  type: number;
  items: Item[];
}

export const sameRef = (a: ItemRef, b: ItemRef): boolean =>
  a.kind === b.kind && a.w === b.w && a.r === b.r && (a.kind === 'pod' || (b.kind === 'copy' && a.v === b.v && a.k === b.k));

export const refKey = (x: ItemRef): string => (x.kind === 'pod' ? `p${x.w}.${x.r}` : `c${x.w}.${x.r}.${x.v}.${x.k}`);

export const refOf = (x: Item): ItemRef => (x.kind === 'pod' ? { kind: 'pod', w: x.w, r: x.r } : { kind: 'copy', w: x.w, r: x.r, v: x.v, k: x.k });

export class Placement {
  /** Indexed by node id; undefined once a node is closed. */
  readonly nodes: (PlacedNode | undefined)[] = [];
  /** Node id of each item (refKey), absent when unplaced. */
  private readonly where = new Map<string, number>();

  static empty(): Placement {
    return new Placement();
  }

  clone(): Placement {
    const p = new Placement();
    for (const n of this.nodes) p.nodes.push(n && { id: n.id, type: n.type, items: n.items.map((i) => ({ ...i })) });
    for (const [k, v] of this.where) p.where.set(k, v);
    return p;
  }

  open(type: number): PlacedNode {
    const node: PlacedNode = { id: this.nodes.length, type, items: [] };
    this.nodes.push(node);
    return node;
  }

  close(id: number): void {
    const n = this.nodes[id];
    if (!n) return;
    if (n.items.length > 0) throw new Error(`node ${id} still holds ${n.items.length} items`);
    this.nodes[id] = undefined;
  }

  openNodes(): PlacedNode[] {
    return this.nodes.filter((n): n is PlacedNode => n !== undefined);
  }

  countOfType(type: number): number {
    return this.openNodes().filter((n) => n.type === type).length;
  }

  add(nodeId: number, item: Item): void {
    const key = refKey(item);
    if (this.where.has(key)) throw new Error(`${key} is already placed on node ${this.where.get(key)}`);
    this.nodes[nodeId]!.items.push(item);
    this.where.set(key, nodeId);
  }

  remove(ref: ItemRef): Item {
    const key = refKey(ref);
    const id = this.where.get(key);
    if (id === undefined) throw new Error(`${key} is not placed`);
    const node = this.nodes[id]!;
    const at = node.items.findIndex((i) => sameRef(i, ref));
    const [item] = node.items.splice(at, 1);
    this.where.delete(key);
    return item!;
  }

  nodeOf(ref: ItemRef): number | undefined {
    return this.where.get(refKey(ref));
  }

  itemOf(ref: ItemRef): Item | undefined {
    const id = this.nodeOf(ref);
    return id === undefined ? undefined : this.nodes[id]!.items.find((i) => sameRef(i, ref));
  }

  /** Drops closed nodes and numbers the rest 0.. in order (for output). */
  compacted(): Placement {
    const p = new Placement();
    for (const n of this.openNodes()) {
      const node = p.open(n.type);
      for (const i of n.items) p.add(node.id, { ...i });
    }
    return p;
  }
}

/** Every item a cluster needs placed: each pod, then each copy of its replicated volumes. */
export function allRefs(c: Cluster): ItemRef[] {
  const out: ItemRef[] = [];
  for (const w of c.workloads) {
    for (let r = 0; r < w.replicas; r++) {
      out.push({ kind: 'pod', w: w.index, r });
      w.volumes.forEach((v, vi) => {
        for (let k = 0; k < (v.replication?.copies ?? 0); k++) out.push({ kind: 'copy', w: w.index, r, v: vi, k });
      });
    }
  }
  return out;
}

export const podName = (c: Cluster, w: number, r: number): string => `${c.workloads[w]!.name}-${r}`;
