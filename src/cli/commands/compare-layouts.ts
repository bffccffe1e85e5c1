import type { CommandModule } from 'yargs';
import { dirname, join } from 'node:path';
import { withTraceSources } from '../../adapters/trace-source.js';
import { stringify } from 'csv-stringify/sync';
import { loadScenarioRaw, readVariedProfiles } from '../../adapters/load-scenario.js';
import { checkWritableFolder, writeFilesAtomically } from '../../adapters/write-files.js';
import { reportFiles } from '../../adapters/results-folder.js';
import { simulate } from '../../model/simulate.js';
import { evaluatePoint, pointResultOf } from '../../sweep/evaluate.js';
import { pointSeed } from '../../sweep/grid.js';
import { searchCapacity } from '../../sweep/capacity.js';
import { parseSlos, meets, type Slo } from '../../sweep/slo.js';
import { capacityText, decideWinner, type LayoutCapacity } from '../../sweep/layouts.js';
import { layoutCapacityChart, layoutP99Chart } from '../../report/layout-charts.js';
import type { ChartSpec } from '../../report/charts.js';
import type { Vary } from '../../sweep/grid.js';
import { summaryRows, type SummaryRow } from '../../results/summary.js';
import { escapeHtml } from '../../report/html.js';
import { formatBytes } from '../../scenario/units.js';
import type { Scenario } from '../../scenario/types.js';
import type { Results } from '../../results/types.js';
import { UsageError } from '../exit.js';
import { describeUse, type ResourceUse } from '../../results/resources.js';
import { VERSION } from '../../version.js';
import { parseVaries } from './sweep.js';

interface LayoutsArgs {
  scenario: string[];
  slo?: string[];
  vary?: string;
  out?: string;
  json?: boolean;
  quiet?: boolean;
}

interface LayoutFigures {
  name: string;
  results: Results;
  rows: SummaryRow[];
  worstP99Us: number;
  maxUtilization: number;
  binding?: ResourceUse;
  dataBytes: number;
  replicaBytes: number;
  snapshotBytes: number;
  meetsSlos: boolean;
  capacity?: LayoutCapacity;
}

function space(s: Scenario, r: Results): { data: number; replicas: number; snapshots: number } {
  let data = 0;
  let replicas = 0;
  for (const v of s.volumes) {
    data += v.sizeBytes;
    if (v.placement.kind === 'replicated') replicas += v.sizeBytes * (v.placement.devices.length - 1);
  }
  return { data, replicas, snapshots: (r.volumes ?? []).reduce((a, v) => a + v.snapshotBytes, 0) };
}

/** Capacity per layout (with --vary) and p99 per job on each layout. */
function layoutCharts(layouts: LayoutFigures[], slos: Slo[], vary: Vary | undefined): ChartSpec[] {
  const charts: ChartSpec[] = [];
  if (vary) {
    const bars = layouts.map((l) => ({ layout: l.name, reached: l.capacity?.value === undefined ? 0 : vary.values.indexOf(l.capacity.value) + 1, label: capacityText(l.capacity) }));
    charts.push(layoutCapacityChart(bars, vary.text, vary.values.length));
  }
  const p99Slo = slos.find((s) => s.metric === 'p99');
  charts.push(layoutP99Chart(layouts.flatMap((l) => l.rows.map((r) => ({ layout: l.name, job: `${r.job} ${r.direction}`, p99Us: r.clatP99Us }))), p99Slo?.bound));
  return charts;
}

export const compareLayoutsCmd: CommandModule<object, LayoutsArgs> = {
  command: 'compare-layouts <scenario..>',
  describe: 'The same containers on several layouts, side by side, and which one wins under the SLOs',
  builder: (y) =>
    y
      .positional('scenario', { type: 'string', array: true, demandOption: true, describe: 'one scenario per layout' })
      .option('slo', { type: 'string', array: true, describe: "e.g. 'p99<=2ms' (repeatable)" })
      .option('vary', { type: 'string', describe: "also find each layout's capacity over PATH=LO..HI (needs --slo)" })
      .option('out', { type: 'string', describe: 'output folder (default reports/layouts/)' })
      .example("$0 compare-layouts scenarios/layout-local-nvme.yaml scenarios/layout-replicated.yaml --slo 'p99<=1ms' --vary containers.db.replicas=1..48", '') as never,
  handler: async (args) => {
    if (args.scenario.length < 2) throw new UsageError('give at least two layouts');
    const slos = parseSlos(args.slo ?? []);
    if (typeof slos === 'string') throw new UsageError(`--slo: ${slos}`);
    if (args.vary && slos.length === 0) throw new UsageError('--vary needs at least one --slo');
    const vary = args.vary ? parseVaries([args.vary])[0] : undefined;
    const dir = args.out ?? join('reports', 'layouts');
    checkWritableFolder(dir, args.out === undefined ? dir : `--out ${dir}`);
    const layouts: LayoutFigures[] = [];
    for (const file of args.scenario) {
      const { scenario, raw, profileFiles } = await loadScenarioRaw(file);
      if (vary) await readVariedProfiles(file, vary.text, vary.values, profileFiles);
      const results = withTraceSources(dirname(file), (traces) => simulate(scenario, { traces }));
      const rows = summaryRows(results);
      const point = pointResultOf({ index: 0, values: {}, repetition: 1, seed: scenario.seed }, results);
      const sp = space(scenario, results);
      let capacity: LayoutCapacity | undefined;
      if (vary) {
        const answer = await searchCapacity(vary.values, slos, () => true, async (value, repetition) => {
          const values = { [vary.text]: value };
          return withTraceSources(dirname(file), (traces) => evaluatePoint(raw, { index: 0, values, repetition, seed: pointSeed(scenario.seed, values, repetition) }, profileFiles, traces));
        }, 1);
        capacity = { value: answer.value, atCeiling: answer.atUpperBound };
      }
      layouts.push({
        name: scenario.name, results, rows, worstP99Us: Math.max(...rows.map((x) => x.clatP99Us)), maxUtilization: point.maxUtilization, ...(point.binding ? { binding: point.binding } : {}),
        dataBytes: sp.data, replicaBytes: sp.replicas, snapshotBytes: sp.snapshots,
        meetsSlos: slos.length === 0 || meets(slos, point, () => true), ...(capacity !== undefined ? { capacity } : {}),
      });
    }
    const verdict = decideWinner(layouts, vary?.values, slos.length > 0);
    const jobs = [...new Set(layouts.flatMap((l) => l.rows.map((x) => `${x.job} ${x.direction}`)))];
    const cell = (l: LayoutFigures, job: string, f: 'iops' | 'p50' | 'p99'): string => {
      const x = l.rows.find((r) => `${r.job} ${r.direction}` === job);
      if (!x) return '-';
      return f === 'iops' ? x.iops.toFixed(0) : `${(f === 'p50' ? x.clatP50Us : x.clatP99Us).toFixed(0)} µs`;
    };
    const table: string[][] = [
      ['', ...layouts.map((l) => l.name)],
      ...jobs.flatMap((j) => (['iops', 'p50', 'p99'] as const).map((f) => [`${j} ${f === 'iops' ? 'IOPS' : f}`, ...layouts.map((l) => cell(l, j, f))])),
      ['binding constraint', ...layouts.map((l) => (l.binding ? describeUse(l.binding) : '-'))],
      ['data (provisioned)', ...layouts.map((l) => formatBytes(l.dataBytes))],
      ['replica copies', ...layouts.map((l) => formatBytes(l.replicaBytes))],
      ['snapshots', ...layouts.map((l) => formatBytes(l.snapshotBytes))],
      ...(slos.length > 0 ? [[`meets ${slos.map((s) => s.text).join(', ')}`, ...layouts.map((l) => (l.meetsSlos ? 'yes' : 'no'))]] : []),
      ...(vary ? [[`capacity: largest ${vary.text}`, ...layouts.map((l) => capacityText(l.capacity))]] : []),
    ];
    const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
    const text = table.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
    const verdictLine = `${verdict.winner ? `winner${slos.length ? ' under the SLOs' : ''}: ` : ''}${verdict.text}`;
    const html = `<p><strong>${escapeHtml(verdictLine)}</strong></p><table>${table.map((r, i) => `<tr>${r.map((c) => (i === 0 ? `<th>${escapeHtml(c)}</th>` : `<td>${escapeHtml(c)}</td>`)).join('')}</tr>`).join('')}</table>`;
    const charts = layoutCharts(layouts, slos, vary);
    const report = await reportFiles('blocksim compare-layouts', { source: 'simulated', version: `blocksim-${VERSION}`, globalOptions: {}, jobs: [], devices: [] }, charts, ['layouts.csv'], undefined, [['Layouts', html]]);
    await writeFilesAtomically(dir, { 'layouts.csv': stringify(table), ...report });
    if (args.json) console.log(JSON.stringify({ winner: verdict.winner ?? null, verdict: verdict.text, layouts: layouts.map(({ results: _results, rows: _rows, ...rest }) => ({ ...rest, ...(rest.capacity ? { capacityText: capacityText(rest.capacity) } : {}) })) }, null, 2));
    else if (!args.quiet) console.log(`${text}\n\n${verdictLine}\nreport: ${join(dir, 'report.html')}`);
  },
};
