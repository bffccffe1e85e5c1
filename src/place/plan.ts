/**
 * blocksim place: the whole pipeline, pure except for the simulations it is handed.
 *
 *   Cluster ──estimate (solo runs, capacity searches)──▶ Estimates ──▶ lower bound
 *      │
 *      ▼
 *   search: first fit decreasing ─▶ verify / learn / repair ─▶ improve for the objective
 *      │
 *      ▼
 *   confirm every node under other seeds (a failure goes back to repair)
 *      │
 *      ▼
 *   baseline: LeastAllocated on the answer's nodes, verified the same way ──▶ PlanResult
 */
import type { Cluster } from './types.js';
import { estimateDemand, type Estimates } from './estimate.js';
import { SimLedger, type Purpose, type RunScenario } from './ledger.js';
import { search, searchContext, settle } from './search.js';
import { learnFrom, repair } from './repair.js';
import { refKey, type ItemRef, type Placement } from './state.js';
import { updateRates, verifyNodes, type NodeVerdict } from './verify.js';
import { lowerBound, type LowerBound } from './lower-bound.js';
import { leastAllocated } from './baseline.js';
import { whyUnplaced } from './reasons.js';
import { formatObserved } from './verdict.js';
import type { RateBook } from './node-scenario.js';
import type { Fit } from './fit.js';

export interface PlanOptions {
  /** Repetitions under other seeds that confirm every node of the answer. */
  confirm: number;
  onProgress?: (message: string, simulations: number) => void;
}

export interface BaselineOutcome {
  placement: Placement;
  verdicts: NodeVerdict[];
  unschedulable: ItemRef[];
  podsMissing: number;
  podsTotal: number;
  missingByWorkload: Record<string, number>;
}

export interface PlanResult {
  cluster: Cluster;
  met: boolean;
  placement: Placement;
  verdicts: NodeVerdict[];
  /** Per workload: why replicas found no place or miss an SLO. */
  problems: { workload: string; reason: string }[];
  lowerBound: LowerBound;
  baseline: BaselineOutcome;
  confirmation: { repetitions: number; nodes: number; nodesMet: number };
  simulations: Record<Purpose, number> & { total: number };
  estimates: Estimates;
  /** The estimates and what verification taught, as the search ended. */
  fit: Fit;
  rounds: number;
}

async function confirmNodes(c: Cluster, p: Placement, rates: RateBook, ledger: SimLedger, repetitions: number): Promise<{ failing: NodeVerdict[]; nodesMet: number }> {
  const failing = new Map<number, NodeVerdict>();
  for (let rep = 1; rep <= repetitions; rep++) {
    for (const v of await verifyNodes(c, p, rates, ledger, 'confirm', rep)) if (!v.met && !failing.has(v.node)) failing.set(v.node, v);
  }
  return { failing: [...failing.values()], nodesMet: p.openNodes().length - failing.size };
}

async function runBaseline(c: Cluster, fit: Fit, answer: Placement, rates: RateBook, ledger: SimLedger): Promise<BaselineOutcome> {
  const { placement, unschedulable } = leastAllocated(c, fit, answer.openNodes().map((n) => n.type));
  const own: RateBook = new Map([...rates].map(([k, v]) => [k, [...v]]));
  let verdicts = await verifyNodes(c, placement, own, ledger, 'baseline');
  if (updateRates(c, verdicts, own)) verdicts = await verifyNodes(c, placement, own, ledger, 'baseline');
  const missingByWorkload: Record<string, number> = {};
  let podsMissing = 0;
  let podsTotal = 0;
  for (const v of verdicts) {
    for (const pod of v.pods) {
      podsTotal++;
      if (pod.met) continue;
      podsMissing++;
      const name = c.workloads[pod.w]!.name;
      missingByWorkload[name] = (missingByWorkload[name] ?? 0) + 1;
    }
  }
  return { placement, verdicts, unschedulable, podsMissing, podsTotal, missingByWorkload };
}

function problemsOf(c: Cluster, est: Estimates, fit: Fit, p: Placement, unplaced: ItemRef[], verdicts: NodeVerdict[], label: (id: number) => string, when: string): PlanResult['problems'] {
  const out = new Map<string, Set<string>>();
  const add = (w: number, reason: string): void => void out.set(c.workloads[w]!.name, (out.get(c.workloads[w]!.name) ?? new Set()).add(reason));
  for (const ref of unplaced) {
    const what = ref.kind === 'pod' ? 'replicas' : `copies of volume ${c.workloads[ref.w]!.volumes[ref.v]!.name}`;
    const count = unplaced.filter((u) => u.w === ref.w && u.kind === ref.kind).length;
    add(ref.w, `${count} ${what} cannot be placed: ${whyUnplaced(c, est, fit, p, ref)}`);
  }
  for (const v of verdicts) {
    for (const pod of v.pods.filter((x) => !x.blocked)) {
      for (const f of pod.figures.filter((x) => !x.met)) add(pod.w, `replica ${pod.r} misses ${f.slo} on node ${label(v.node)}${when} (observed ${Number.isFinite(f.observed) ? formatObserved(f, f.observed) : 'no I/O: its NIC is saturated'})`);
    }
  }
  return [...out].map(([workload, reasons]) => ({ workload, reason: [...reasons].join('; ') }));
}

/** Node labels for output: n1, n2, ... in node order. */
export function nodeLabels(p: Placement): Map<number, string> {
  return new Map(p.openNodes().map((n, i) => [n.id, `n${i + 1}`]));
}

/** Rounds of confirmation: a node that misses under another seed goes back to repair, this many times at most. */
const CONFIRM_CYCLES = 3;

export async function planPlacement(c: Cluster, run: RunScenario, opts: PlanOptions): Promise<PlanResult> {
  const ledger = new SimLedger(c.seed, run);
  const progress = (message: string): void => opts.onProgress?.(message, ledger.total);
  const est = await estimateDemand(c, ledger, (done, total) => progress(`estimating demand: ${done}/${total}`));
  const ctx = searchContext(c, est, ledger, progress);
  const found = await search(ctx);
  const p = found.placement;
  let verdicts = found.verdicts;
  const unplaced = new Map(found.unplaced.map((r) => [refKey(r), r]));
  let rounds = found.rounds;
  let confirmation = { repetitions: opts.confirm, nodes: p.openNodes().length, nodesMet: p.openNodes().length };
  let unconfirmed: NodeVerdict[] = [];
  for (let cycle = 0; opts.confirm > 0 && unplaced.size === 0 && verdicts.every((v) => v.met); cycle++) {
    progress(`confirming ${p.openNodes().length} nodes under ${opts.confirm} other seed${opts.confirm === 1 ? '' : 's'}`);
    const { failing, nodesMet } = await confirmNodes(c, p, ctx.rates, ledger, opts.confirm);
    confirmation = { repetitions: opts.confirm, nodes: p.openNodes().length, nodesMet };
    unconfirmed = failing;
    if (failing.length === 0 || cycle === CONFIRM_CYCLES - 1) break;
    learnFrom(ctx.packer.fit, p, failing);
    for (const r of repair(ctx.packer, p)) unplaced.set(refKey(r), r);
    const settled = await settle(ctx, p, unplaced);
    verdicts = settled.verdicts;
    rounds += settled.rounds;
  }
  progress('baseline: the I/O-blind placement on the same nodes');
  const baseline = await runBaseline(c, ctx.packer.fit, p, ctx.rates, ledger);
  const labels = nodeLabels(p);
  const label = (id: number): string => labels.get(id) ?? `#${id}`;
  const problems = problemsOf(c, est, ctx.packer.fit, p, [...unplaced.values()], verdicts, label, '');
  if (problems.length === 0) problems.push(...problemsOf(c, est, ctx.packer.fit, p, [], unconfirmed, label, ' under another seed'));
  return {
    cluster: c, met: problems.length === 0, placement: p, verdicts, problems, lowerBound: lowerBound(c, est), baseline, confirmation,
    simulations: { ...ledger.counts, total: ledger.total }, estimates: est, fit: ctx.packer.fit, rounds,
  };
}
