/**
 * Everything `blocksim place` shows and writes, from a PlanResult: the terminal summary,
 * the JSON form, the CSV files, the Kubernetes files, and the report page's sections and
 * charts. Pure.
 */
import { stringify } from 'csv-stringify/sync';
import type { PlanResult } from './plan.js';
import { nodeLabels } from './plan.js';
import { nodeRows, totalCost, typeCounts, workloadRows, type NodeRow, type WorkloadRow } from './summary.js';
import { devicesCsv, placementCsv, predictedCsv, sloCsv } from './csv.js';
import { kubernetesFiles } from './k8s-plan.js';
import { baselineChart, nodeChart } from './charts.js';
import { formatObserved } from './verdict.js';
import type { ChartSpec } from '../report/charts.js';
import { escapeHtml } from '../report/html.js';

export interface PlacementOutput {
  text: string;
  json: Record<string, unknown>;
  files: Record<string, string>;
  charts: ChartSpec[];
  sections: [string, string][];
}

const pct = (x: number): string => `${(x * 100).toFixed(0)} %`;
const headroom = (h: number): string => (Number.isFinite(h) ? pct(h) : '-');

/** "pg-0 web-0..11" */
function compactPods(names: string[]): string {
  const by = new Map<string, number[]>();
  for (const n of names) {
    const at = n.lastIndexOf('-');
    by.set(n.slice(0, at), [...(by.get(n.slice(0, at)) ?? []), Number(n.slice(at + 1))]);
  }
  return [...by].map(([w, rs]) => {
    rs.sort((a, b) => a - b);
    const runs: string[] = [];
    for (let i = 0; i < rs.length; ) {
      let j = i;
      while (j + 1 < rs.length && rs[j + 1] === rs[j]! + 1) j++;
      runs.push(j === i ? `${rs[i]}` : `${rs[i]}..${rs[j]}`);
      i = j + 1;
    }
    return `${w}-${runs.join(',')}`;
  }).join(' ');
}

function pad(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

function nodeTable(rows: NodeRow[]): string[][] {
  return [
    ['node', 'type', 'replicas', 'copies', 'CPU', 'devices (utilization, space)', 'worst headroom'],
    ...rows.map((n) => [
      n.label, n.type, compactPods(n.pods) || '-', String(n.copies.length), `${(n.cpuMillis / 1000).toFixed(1)}`,
      n.devices.map((d) => `${d.name} ${pct(d.utilization)} ${pct(d.usedBytes / d.capacityBytes)}`).join(', '), n.met ? headroom(n.worstHeadroom) : 'MISSED',
    ]),
  ];
}

function workloadTable(rows: WorkloadRow[]): string[][] {
  return [
    ['workload', 'placed', 'nodes', 'SLO', 'worst', 'replicas met'],
    ...rows.flatMap((w) => (w.slos.length === 0 ? [{ slo: '-', worst: NaN, bound: 0, replicasMet: w.placed }] : w.slos).map((s, i) => [
      i === 0 ? w.name : '', i === 0 ? `${w.placed}/${w.replicas}` : '', i === 0 ? String(w.nodes) : '', s.slo,
      Number.isFinite(s.worst) ? formatObserved({ slo: s.slo } as never, s.worst) : '-', `${s.replicasMet}/${w.placed}`,
    ])),
  ];
}

function htmlTable(rows: string[][]): string {
  const [head, ...body] = rows;
  return `<table><thead><tr>${head!.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${body.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

/** The rows every output is built from. */
interface Views {
  labels: Map<number, string>;
  nodes: NodeRow[];
  workloads: WorkloadRow[];
  baselineLabels: Map<number, string>;
  baselineNodes: NodeRow[];
  /** Headline, simulations line, baseline line. */
  headline: string;
  counts: string;
  baselineLine: string;
}

function viewsOf(r: PlanResult): Views {
  const c = r.cluster;
  const labels = nodeLabels(r.placement);
  const baselineLabels = nodeLabels(r.baseline.placement);
  const n = r.placement.openNodes().length;
  const lb = r.lowerBound.nodes;
  const binding = r.lowerBound.by.filter((b) => b.nodes === lb).map((b) => b.resource).join(', ');
  const s = r.simulations;
  const b = r.baseline;
  const missing = b.podsMissing > 0 ? ` (${Object.entries(b.missingByWorkload).map(([w, k]) => `${w}: ${k}`).join(', ')})` : '';
  return {
    labels,
    nodes: nodeRows(c, r.fit, r.placement, r.verdicts, labels),
    workloads: workloadRows(c, r.verdicts),
    baselineLabels,
    baselineNodes: nodeRows(c, r.fit, b.placement, b.verdicts, baselineLabels),
    headline: `${c.name}: ${n} node${n === 1 ? '' : 's'} (${typeCounts(c, r.placement) || 'none'}), cost ${totalCost(c, r.placement)}; lower bound ${lb} node${lb === 1 ? '' : 's'} (${binding})`,
    counts: `objective: ${{ nodes: 'fewest nodes', cost: 'lowest cost', headroom: 'best worst-case headroom' }[c.objective]} · ${s.total} simulations (${s.estimate} estimates, ${s.verify} verifications, ${s.confirm} confirmations, ${s.baseline} baseline)`,
    baselineLine: `baseline (Kubernetes LeastAllocated, I/O-blind) on the same ${n} nodes: ${b.podsMissing} of ${b.podsTotal} replicas miss an SLO${missing}${b.unschedulable.length > 0 ? `; ${b.unschedulable.length} items unschedulable` : ''}`,
  };
}

function textOf(r: PlanResult, v: Views): string {
  const conf = r.confirmation;
  const lines = [
    v.headline, v.counts, '', pad(nodeTable(v.nodes)), '', pad(workloadTable(v.workloads)), '', v.baselineLine,
    conf.repetitions > 0 ? `confirmation: ${conf.nodesMet} of ${conf.nodes} nodes met their SLOs under ${conf.repetitions} other seed${conf.repetitions === 1 ? '' : 's'}` : 'confirmation: none (--confirm 0)',
  ];
  if (!r.met) lines.push('', 'no placement meets the SLOs with the nodes allowed:', ...r.problems.map((p) => `  ${p.workload}: ${p.reason}`));
  return lines.join('\n');
}

function chartsOf(r: PlanResult, v: Views): ChartSpec[] {
  const missing = (pods: { w: number; met: boolean }[], w: number): number => pods.filter((p) => p.w === w && !p.met).length;
  const rows = r.cluster.workloads.flatMap((w) => [
    { workload: w.name, placement: 'blocksim place', missing: missing(r.verdicts.flatMap((x) => x.pods), w.index), total: w.replicas },
    { workload: w.name, placement: 'I/O-blind baseline', missing: missing(r.baseline.verdicts.flatMap((x) => x.pods), w.index), total: w.replicas },
  ]);
  return [baselineChart(rows), ...r.verdicts.map((x) => nodeChart(r.cluster, x, v.nodes.find((n) => n.id === x.node)!))];
}

function sectionsOf(r: PlanResult, v: Views): [string, string][] {
  const c = r.cluster;
  const estimates = [['workload', 'device', 'load per replica', 'budget', 'replicas per device', 'note'],
    ...r.estimates.pairs().map(([w, cls]) => {
      const e = r.estimates.of(w, c.nodeTypes[cls.type]!, cls.device);
      return [w.name, cls.where, e.unitLoad.toFixed(4), Number.isFinite(e.budget) ? e.budget.toFixed(3) : 'none within reach', e.feasible ? String(e.kStar) : '0', e.reason ?? ''];
    })];
  const problems = r.met ? '' : `<p><strong>No placement meets the SLOs with the nodes allowed:</strong></p><ul>${r.problems.map((p) => `<li>${escapeHtml(`${p.workload}: ${p.reason}`)}</li>`).join('')}</ul>`;
  return [
    ['Answer', `<p><strong>${escapeHtml(v.headline)}</strong><br>${escapeHtml(v.counts)}</p>${problems}${htmlTable(nodeTable(v.nodes))}`],
    ['Workloads', htmlTable(workloadTable(v.workloads))],
    ['Lower bound', `<p>No placement needs fewer than ${r.lowerBound.nodes} nodes: total demand over the largest node's capacity, per resource (the I/O bound under the estimates' budgets).</p>${htmlTable([['resource', 'nodes'], ...r.lowerBound.by.map((b) => [b.resource, String(b.nodes)])])}`],
    ['I/O-blind baseline', `<p>${escapeHtml(v.baselineLine)}</p>${htmlTable(nodeTable(v.baselineNodes))}`],
    ['Demand estimates', `<p>From a simulation of each workload alone on each kind of device, then a search for how many replicas share one device within the SLOs. Load: share of the device's busiest resource (slots, transfer, IOPS caps, limits) at the rates the replica ran at; budget: the load up to which its SLOs held.</p>${htmlTable(estimates)}`],
  ];
}

export function placementOutput(r: PlanResult): PlacementOutput {
  const c = r.cluster;
  const v = viewsOf(r);
  const files: Record<string, string> = {
    'placement.csv': placementCsv(c, r.placement, v.labels),
    'predicted.csv': predictedCsv(c, r.verdicts, v.labels),
    'slo.csv': sloCsv(c, r.verdicts, v.labels),
    'devices.csv': devicesCsv(v.nodes),
    'baseline-placement.csv': placementCsv(c, r.baseline.placement, v.baselineLabels),
    'baseline-slo.csv': sloCsv(c, r.baseline.verdicts, v.baselineLabels),
    'lower-bound.csv': stringify([['resource', 'nodes'], ...r.lowerBound.by.map((b) => [b.resource, String(b.nodes)])]),
    ...(r.met ? kubernetesFiles(c, r.placement, v.labels) : {}),
  };
  const b = r.baseline;
  const json = {
    cluster: c.name, met: r.met, objective: c.objective, nodes: r.placement.openNodes().length, cost: totalCost(c, r.placement), lowerBound: r.lowerBound,
    simulations: r.simulations, nodeList: v.nodes, workloads: v.workloads, problems: r.problems, confirmation: r.confirmation,
    baseline: { podsMissing: b.podsMissing, podsTotal: b.podsTotal, missingByWorkload: b.missingByWorkload, unschedulable: b.unschedulable.length },
  };
  return { text: textOf(r, v), json, files, charts: chartsOf(r, v), sections: sectionsOf(r, v) };
}
