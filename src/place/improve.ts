/**
 * Improvement for the objective, every step verified by simulation:
 *
 *   nodes, cost: empty a node (its items moved, with swaps, onto the others), then put a
 *                node's items on a cheaper type; nodes tried emptiest (or dearest) first
 *   headroom:    move the heaviest item off the node with the least headroom onto the
 *                node with the most, while the nodes' worst headrooms improve (the lowest
 *                first, then the next: leximin)
 *
 * A step that fails verification teaches its lesson (budgets tighten) and is undone.
 */
import type { SearchContext } from './search.js';
import { verifyCoupled } from './search.js';
import { learnFrom } from './repair.js';
import { Placement, refOf } from './state.js';
import { Rng } from '../random/rng.js';
import type { NodeVerdict } from './verify.js';
import { loadOf, loadScalar } from './load.js';

interface Current {
  placement: Placement;
  verdicts: NodeVerdict[];
}

/** Nodes' worst headrooms, lowest first: compared lexicographically, a better spread lifts the lowest, then the next. */
const headrooms = (v: NodeVerdict[]): number[] => v.map((x) => x.worstHeadroom).filter(Number.isFinite).sort((a, b) => a - b);

function better(a: number[], b: number[]): boolean {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (Math.abs(a[i]! - b[i]!) > 1e-9) return a[i]! > b[i]!;
  }
  return false;
}

async function attempt(ctx: SearchContext, cur: Current, trial: Placement, accept: (v: NodeVerdict[]) => boolean): Promise<boolean> {
  const v = await verifyCoupled(ctx, trial);
  if (v.every((x) => x.met) && accept(v)) {
    cur.placement = trial;
    cur.verdicts = v;
    return true;
  }
  learnFrom(ctx.packer.fit, trial, v);
  return false;
}

/** Attempts at repacking every item onto fewer nodes, in shuffled orders (bounded by items × attempts). */
const REPACK_WORK = 4_000;
const MAX_REPACKS = 64;

/**
 * Every item of the placement first-fit onto its nodes but `id`, in decreasing size and
 * then in seeded shuffles of that order: what moving one node's items cannot reach when
 * the others must make room in turn (bin packing's hard cases). Undefined when no order fits.
 */
function repackWithout(ctx: SearchContext, p: Placement, id: number): Placement | undefined {
  const refs = ctx.packer.orderedRefs();
  const rng = Rng.fromSeed(ctx.cluster.seed).fork(`repack/${id}/${p.openNodes().length}`);
  const attempts = Math.min(MAX_REPACKS, Math.max(1, Math.floor(REPACK_WORK / refs.length)));
  for (let a = 0; a < attempts; a++) {
    const order = [...refs];
    if (a > 0) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.below(i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
    }
    const trial = Placement.empty();
    for (const n of p.nodes) {
      const node = trial.open(n ? n.type : 0);
      if (!n || n.id === id) trial.close(node.id);
    }
    if (order.every((r) => ctx.packer.insertExisting(trial, r))) return trial;
  }
  return undefined;
}

/** The placement without node `id`, its items moved onto the others; undefined when they do not fit. */
function without(ctx: SearchContext, p: Placement, id: number, replacementType?: number): Placement | undefined {
  const trial = p.clone();
  const items = [...trial.nodes[id]!.items].map(refOf);
  for (const r of items) trial.remove(r);
  trial.close(id);
  const fresh = replacementType === undefined ? undefined : trial.open(replacementType);
  const packer = ctx.packer;
  items.sort((a, b) => packer.size(b) - packer.size(a));
  for (const r of items) {
    const onFresh = fresh && packer.placeOn(fresh, r);
    if (onFresh) trial.add(fresh.id, onFresh);
    else if (!packer.insert(trial, r, { open: false, swap: true })) return undefined;
  }
  return trial;
}

async function compact(ctx: SearchContext, cur: Current, budget: { attempts: number }): Promise<void> {
  const c = ctx.cluster;
  for (let improved = true; improved && budget.attempts > 0; ) {
    improved = false;
    const nodes = cur.placement.openNodes().sort((a, b) =>
      (c.objective === 'cost' ? c.nodeTypes[b.type]!.cost - c.nodeTypes[a.type]!.cost : 0) || a.items.length - b.items.length || a.id - b.id);
    for (const n of nodes) {
      if (budget.attempts <= 0) break;
      const trial = without(ctx, cur.placement, n.id) ?? repackWithout(ctx, cur.placement, n.id);
      if (!trial) continue;
      budget.attempts--;
      ctx.onProgress?.(`improving: ${cur.placement.openNodes().length - 1} nodes?`);
      if (await attempt(ctx, cur, trial, () => true)) {
        improved = true;
        break;
      }
    }
  }
}

async function cheaperTypes(ctx: SearchContext, cur: Current, budget: { attempts: number }): Promise<void> {
  const types = ctx.cluster.nodeTypes;
  for (const n of cur.placement.openNodes()) {
    const cheaper = types.filter((t) => t.cost < types[n.type]!.cost).sort((a, b) => a.cost - b.cost || a.index - b.index);
    for (const t of cheaper) {
      if (budget.attempts <= 0) return;
      if (cur.placement.countOfType(t.index) >= t.count || !cur.placement.nodes[n.id]) continue;
      const trial = without(ctx, cur.placement, n.id, t.index);
      if (!trial) continue;
      for (const x of trial.openNodes()) if (x.items.length === 0) trial.close(x.id);
      budget.attempts--;
      ctx.onProgress?.(`improving: node type ${t.name} instead of ${types[n.type]!.name}?`);
      if (await attempt(ctx, cur, trial, () => true)) break;
    }
  }
}

async function spread(ctx: SearchContext, cur: Current, budget: { attempts: number }): Promise<void> {
  const fit = ctx.packer.fit;
  while (budget.attempts > 0) {
    const byHeadroom = [...cur.verdicts].filter((v) => Number.isFinite(v.worstHeadroom) || v.pods.length === 0).sort((a, b) => a.worstHeadroom - b.worstHeadroom || a.node - b.node);
    const worst = byHeadroom[0];
    if (!worst || byHeadroom.length < 2) return;
    const node = cur.placement.nodes[worst.node]!;
    const t = fit.type(node);
    const heaviest = [...node.items].sort((a, b) => (b.device < 0 ? 0 : loadScalar(loadOf(fit.stream(b, t), t.devices[b.device]!.spec))) - (a.device < 0 ? 0 : loadScalar(loadOf(fit.stream(a, t), t.devices[a.device]!.spec))))[0];
    if (!heaviest) return;
    let moved = false;
    for (const target of [...byHeadroom].reverse()) {
      if (target.node === worst.node || budget.attempts <= 0) continue;
      const trial = cur.placement.clone();
      const ref = refOf(heaviest);
      trial.remove(ref);
      const item = ctx.packer.placeOn(trial.nodes[target.node]!, ref);
      if (!item) continue;
      trial.add(target.node, item);
      budget.attempts--;
      ctx.onProgress?.('improving: spreading for headroom');
      const before = headrooms(cur.verdicts);
      if (await attempt(ctx, cur, trial, (v) => better(headrooms(v), before))) {
        moved = true;
        break;
      }
    }
    if (!moved) return;
  }
}

export async function improve(ctx: SearchContext, p: Placement, verdicts: NodeVerdict[]): Promise<Current> {
  const cur: Current = { placement: p, verdicts };
  const budget = { attempts: 4 * p.openNodes().length + 8 };
  if (ctx.cluster.objective === 'headroom') await spread(ctx, cur, budget);
  else {
    await compact(ctx, cur, budget);
    await cheaperTypes(ctx, cur, budget);
  }
  return cur;
}
