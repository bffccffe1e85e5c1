/**
 * The search: a first placement from the estimates, then rounds of verification by
 * simulation, learning and repair until every node meets its SLOs, then improvement for
 * the objective, each step verified the same way.
 *
 *   first fit decreasing (or spread, for headroom)
 *        │
 *        ▼
 *   ┌─▶ verify nodes ──all met──▶ improve (empty a node / move off the worst) ──▶ answer
 *   └── learn + repair ◀─missed─┘
 */
import type { Cluster } from './types.js';
import type { Estimates } from './estimate.js';
import { Fit, Learned } from './fit.js';
import { Packer } from './pack.js';
import { learnFrom, repair } from './repair.js';
import { Placement, refKey, type ItemRef } from './state.js';
import type { RateBook } from './node-scenario.js';
import { updateRates, verifyNodes, type NodeVerdict } from './verify.js';
import type { SimLedger } from './ledger.js';
import { improve } from './improve.js';

export interface SearchOutcome {
  placement: Placement;
  verdicts: NodeVerdict[];
  unplaced: ItemRef[];
  fit: Fit;
  rates: RateBook;
  rounds: number;
}

export interface SearchContext {
  cluster: Cluster;
  est: Estimates;
  ledger: SimLedger;
  packer: Packer;
  rates: RateBook;
  onProgress?: (message: string) => void;
}

const MAX_REPAIR_ROUNDS = 30;
/** Re-verifications when closed-loop rates measured on one node change another node's background. */
const COUPLING_ROUNDS = 2;

export function initialRates(c: Cluster, est: Estimates): RateBook {
  const rates: RateBook = new Map();
  for (const w of c.workloads) {
    const e = est.anyFeasible(w);
    for (let r = 0; r < w.replicas; r++) rates.set(`${w.index}.${r}`, e ? e.rates : w.jobs.map(() => ({ read: 0, write: 0 })));
  }
  return rates;
}

/** Verifies every node, and again while measured rates that other nodes see as background change. */
export async function verifyCoupled(ctx: SearchContext, p: Placement): Promise<NodeVerdict[]> {
  let verdicts = await verifyNodes(ctx.cluster, p, ctx.rates, ctx.ledger);
  for (let i = 0; i < COUPLING_ROUNDS && updateRates(ctx.cluster, verdicts, ctx.rates) && hasCoupling(p); i++) {
    verdicts = await verifyNodes(ctx.cluster, p, ctx.rates, ctx.ledger);
  }
  return verdicts;
}

const hasCoupling = (p: Placement): boolean => p.openNodes().some((n) => n.items.some((i) => i.kind === 'copy'));

/** The first placement: first fit decreasing, or for headroom every allowed node opened and pods spread. */
export function firstPlacement(ctx: SearchContext): { placement: Placement; unplaced: ItemRef[] } {
  const p = Placement.empty();
  const { packer, cluster } = ctx;
  if (cluster.objective === 'headroom') for (const t of packer.typeOrder) for (let i = 0; i < cluster.nodeTypes[t]!.count; i++) p.open(t);
  const unplaced: ItemRef[] = [];
  for (const ref of packer.orderedRefs()) if (!packer.insert(p, ref, { open: true, swap: false })) unplaced.push(ref);
  for (const n of p.openNodes()) if (n.items.length === 0 && cluster.objective !== 'headroom') p.close(n.id);
  return { placement: p, unplaced };
}

export function searchContext(c: Cluster, est: Estimates, ledger: SimLedger, onProgress?: (message: string) => void): SearchContext {
  const fit = new Fit(c, est, new Learned(c));
  return { cluster: c, est, ledger, packer: new Packer(fit, c.objective), rates: initialRates(c, est), ...(onProgress ? { onProgress } : {}) };
}

const signature = (p: Placement): string => JSON.stringify(p.openNodes().map((n) => [n.id, n.type, n.items]));

/**
 * Verify, learn, repair until every node meets its SLOs, nothing more can be learned, or
 * the rounds run out. Items without a place are retried every round.
 */
export async function settle(ctx: SearchContext, p: Placement, unplaced: Map<string, ItemRef>): Promise<{ verdicts: NodeVerdict[]; rounds: number }> {
  let verdicts: NodeVerdict[] = [];
  let rounds = 0;
  while (rounds < MAX_REPAIR_ROUNDS) {
    for (const [k, r] of [...unplaced]) if (ctx.packer.insert(p, r, { open: true, swap: true })) unplaced.delete(k);
    rounds++;
    ctx.onProgress?.(`verifying ${p.openNodes().length} nodes (round ${rounds})`);
    verdicts = await verifyCoupled(ctx, p);
    if (verdicts.every((v) => v.met)) break;
    const before = signature(p);
    if (learnFrom(ctx.packer.fit, p, verdicts) === 0) break;
    for (const r of repair(ctx.packer, p)) unplaced.set(refKey(r), r);
    if (signature(p) === before && unplaced.size === 0) break;
  }
  return { verdicts, rounds };
}

export async function search(ctx: SearchContext): Promise<SearchOutcome> {
  const first = firstPlacement(ctx);
  let p = first.placement;
  const unplaced = new Map(first.unplaced.map((r) => [refKey(r), r]));
  const settled = await settle(ctx, p, unplaced);
  let verdicts = settled.verdicts;
  if (verdicts.every((v) => v.met) && unplaced.size === 0) {
    const better = await improve(ctx, p, verdicts);
    p = better.placement;
    verdicts = better.verdicts;
  }
  // nodes left empty (headroom opens every node allowed) are not part of the answer
  const empty = new Set(p.openNodes().filter((n) => n.items.length === 0).map((n) => n.id));
  for (const id of empty) p.close(id);
  verdicts = verdicts.filter((v) => !empty.has(v.node));
  return { placement: p, verdicts, unplaced: [...unplaced.values()], fit: ctx.packer.fit, rates: ctx.rates, rounds: settled.rounds };
}
