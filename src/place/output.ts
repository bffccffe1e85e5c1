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

export function placementOutput(r: PlanResult): PlacementOutput {
  const c = r.cluster;
  const fit = r.fit;
  const labels = nodeLabels(r.placement);
  const nodes = nodeRows(c, fit, r.placement, r.verdicts, labels);
  const workloads = workloadRows(c, r.placement, r.verdicts);
  const bLabels = nodeLabels(r.baseline.placement);
  const bNodes = nodeRows(c, fit, r.baseline.placement, r.baseline.verdicts, bLabels);
  const n = r.placement.openNodes().length;
  const binding = r.lowerBound.by.filter((b) => b.nodes === r.lowerBound.nodes).map((b) => b.resource).join(', ');
  const s = r.simulations;
  const baselineLine = `baseline (Kubernetes LeastAllocated, I/O-blind) on the same ${n} nodes: ${r.baseline.podsMissing} of ${r.baseline.podsTotal} replicas miss an SLO${r.baseline.podsMissing > 0 ? ` (${Object.entries(r.baseline.missingByWorkload).map(([w, k]) => `${w}: ${k}`).join(', ')})` : ''}${r.baseline.unschedulable.length > 0 ? `; ${r.baseline.unschedulable.length} items unschedulable` : ''}`;
  const lines = [
    `${c.name}: ${n} node${n === 1 ? '' : 's'} (${typeCounts(c, r.placement) || 'none'}), cost ${totalCost(c, r.placement)}; lower bound ${r.lowerBound.nodes} node${r.lowerBound.nodes === 1 ? '' : 's'} (${binding})`,
    `objective: ${{ nodes: 'fewest nodes', cost: 'lowest cost', headroom: 'best worst-case headroom' }[c.objective]} · ${s.total} simulations (${s.estimate} estimates, ${s.verify} verifications, ${s.confirm} confirmations, ${s.baseline} baseline)`,
    '',
    pad(nodeTable(nodes)),
    '',
    pad(workloadTable(workloads)),
    '',
    baselineLine,
    r.confirmation.repetitions > 0 ? `confirmation: ${r.confirmation.nodesMet} of ${r.confirmation.nodes} nodes met their SLOs under ${r.confirmation.repetitions} other seed${r.confirmation.repetitions === 1 ? '' : 's'}` : 'confirmation: none (--confirm 0)',
  ];
  if (!r.met) lines.push('', 'no placement meets the SLOs with the nodes allowed:', ...r.problems.map((p) => `  ${p.workload}: ${p.reason}`));
  const text = lines.join('\n');
  const missing = (pods: { w: number; met: boolean }[], w: number): number => pods.filter((p) => p.w === w && !p.met).length;
  const compareRows = c.workloads.flatMap((w) => [
    { workload: w.name, placement: 'blocksim place', missing: missing(r.verdicts.flatMap((v) => v.pods), w.index), total: w.replicas },
    { workload: w.name, placement: 'I/O-blind baseline', missing: missing(r.baseline.verdicts.flatMap((v) => v.pods), w.index), total: w.replicas },
  ]);
  const charts = [baselineChart(compareRows), ...r.verdicts.map((v) => nodeChart(c, v, nodes.find((x) => x.id === v.node)!))];
  const estimates = [['workload', 'device', 'load per replica', 'budget', 'replicas per device', 'note'],
    ...r.estimates.pairs().map(([w, cls]) => {
      const e = r.estimates.of(w, c.nodeTypes[cls.type]!, cls.device);
      return [w.name, cls.where, e.unitLoad.toFixed(4), Number.isFinite(e.budget) ? e.budget.toFixed(3) : 'none within reach', e.feasible ? String(e.kStar) : '0', e.reason ?? ''];
    })];
  const sections: [string, string][] = [
    ['Answer', `<p><strong>${escapeHtml(lines[0]!)}</strong><br>${escapeHtml(lines[1]!)}</p>${r.met ? '' : `<p><strong>No placement meets the SLOs with the nodes allowed:</strong></p><ul>${r.problems.map((p) => `<li>${escapeHtml(`${p.workload}: ${p.reason}`)}</li>`).join('')}</ul>`}${htmlTable(nodeTable(nodes))}`],
    ['Workloads', htmlTable(workloadTable(workloads))],
    ['Lower bound', `<p>No placement needs fewer than ${r.lowerBound.nodes} nodes: total demand over the largest node's capacity, per resource (the I/O bound under the estimates' budgets).</p>${htmlTable([['resource', 'nodes'], ...r.lowerBound.by.map((b) => [b.resource, String(b.nodes)])])}`],
    ['I/O-blind baseline', `<p>${escapeHtml(baselineLine)}</p>${htmlTable(nodeTable(bNodes))}`],
    ['Demand estimates', `<p>From a simulation of each workload alone on each kind of device, then a search for how many replicas share one device within the SLOs. Load: share of the device's busiest resource (slots, IOPS caps, limits) at the rates the replica ran at.</p>${htmlTable(estimates)}`],
  ];
  const files: Record<string, string> = {
    'placement.csv': placementCsv(c, r.placement, labels),
    'predicted.csv': predictedCsv(c, r.verdicts, labels),
    'slo.csv': sloCsv(c, r.verdicts, labels),
    'devices.csv': devicesCsv(nodes),
    'baseline-placement.csv': placementCsv(c, r.baseline.placement, bLabels),
    'baseline-slo.csv': sloCsv(c, r.baseline.verdicts, bLabels),
    'lower-bound.csv': stringify([['resource', 'nodes'], ...r.lowerBound.by.map((b) => [b.resource, String(b.nodes)])]),
    ...(r.met ? kubernetesFiles(c, r.placement, labels) : {}),
  };
  const json = {
    cluster: c.name, met: r.met, objective: c.objective, nodes: n, cost: totalCost(c, r.placement), lowerBound: r.lowerBound,
    simulations: r.simulations, nodeList: nodes, workloads, problems: r.problems, confirmation: r.confirmation,
    baseline: { podsMissing: r.baseline.podsMissing, podsTotal: r.baseline.podsTotal, missingByWorkload: r.baseline.missingByWorkload, unschedulable: r.baseline.unschedulable.length },
  };
  return { text, json, files, charts, sections };
}
