import type { CommandModule } from 'yargs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { loadScenarioRaw, readVariedProfiles } from '../../adapters/load-scenario.js';
import { defaultWorkers, runPoints } from '../../adapters/sweep-pool.js';
import { writeFilesAtomically } from '../../adapters/write-files.js';
import { reportFiles } from '../../adapters/results-folder.js';
import { gridPoints, parseVary, type Vary } from '../../sweep/grid.js';
import type { PointResult } from '../../sweep/evaluate.js';
import { hockeyStick, type LoadPoint } from '../../report/charts.js';
import { escapeHtml } from '../../report/html.js';
import { InputError } from '../../scenario/issues.js';
import { UsageError } from '../exit.js';
import { parseSlo } from '../../sweep/slo.js';
import { VERSION } from '../../version.js';

interface SweepArgs {
  scenario: string;
  vary: string[];
  repeat: number;
  workers?: number;
  slo?: string;
  out?: string;
  json?: boolean;
  quiet?: boolean;
}

export function parseVaries(list: string[]): Vary[] {
  return list.map((t) => {
    const v = parseVary(t);
    if (typeof v === 'string') throw new UsageError(`--vary: ${v}`);
    return v;
  });
}

export function progressBar(quiet: boolean | undefined, label: string): ((done: number, total: number) => void) | undefined {
  if (quiet) return undefined;
  const t0 = Date.now();
  return (done, total) => {
    const el = (Date.now() - t0) / 1000;
    const eta = done > 0 ? (el / done) * (total - done) : 0;
    process.stderr.write(`\r${label} [${'#'.repeat(Math.round((done / total) * 30)).padEnd(30, '.')}] ${done}/${total}  ETA ${eta.toFixed(0)} s `);
    if (done === total) process.stderr.write('\n');
  };
}

function sweepCsv(varies: Vary[], results: PointResult[]): string {
  const header = ['point', ...varies.map((v) => v.text), 'repetition', 'seed', 'job', 'direction', 'iops', 'mean_us', 'p50_us', 'p99_us', 'p99_9_us', 'max_utilization', 'binding_constraint', 'error'];
  const f = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '');
  const rows = results.flatMap((r) => {
    const base = [String(r.point.index), ...varies.map((v) => String(r.point.values[v.text])), String(r.point.repetition), String(r.point.seed)];
    if (r.error) return [[...base, '', '', '', '', '', '', '', '', '', r.error]];
    const binding = r.binding ? `${r.binding.where} ${r.binding.resource}` : '';
    return r.rows.map((x) => [...base, x.job, x.direction, f(x.iops), f(x.meanUs), f(x.p50Us), f(x.p99Us), f(x.p999Us), f(r.maxUtilization), binding, '']);
  });
  return stringify([header, ...rows]);
}

/**
 * One point per container job and direction at each value: replicas fold together (IOPS
 * averaged per replica, p99 the worst replica's), so the number of series does not grow
 * with a swept replica count.
 */
function chartPoints(results: PointResult[], first: Vary): LoadPoint[] {
  const groups = new Map<string, { load: number; series: string; iops: number[]; p99: number[] }>();
  for (const r of results) {
    const load = Number(r.point.values[first.text]);
    for (const x of r.rows) {
      const parts = x.job.split('.');
      const series = `${parts.length === 3 ? `${parts[0]}.${parts[2]}` : x.job} ${x.direction}`;
      const key = `${load}|${series}`;
      const g = groups.get(key) ?? { load, series, iops: [], p99: [] };
      g.iops.push(x.iops);
      g.p99.push(x.p99Us);
      groups.set(key, g);
    }
  }
  return [...groups.values()].map((g) => ({ series: g.series, load: g.load, source: 'simulated' as const, iops: g.iops.reduce((a, b) => a + b, 0) / g.iops.length, p99Us: Math.max(...g.p99) }));
}

export const sweepCmd: CommandModule<object, SweepArgs> = {
  command: 'sweep <scenario>',
  describe: 'Simulate a grid over scenario fields in parallel (one seed per point); write sweep.csv and a report',
  builder: (y) =>
    y
      .positional('scenario', { type: 'string', demandOption: true })
      .option('vary', { type: 'string', array: true, demandOption: true, describe: 'PATH=v1,v2,... or PATH=LO..HI[/STEP], e.g. containers.db.replicas=1,2,4,8 (repeatable: a grid)' })
      .option('repeat', { type: 'number', default: 1, describe: 'repetitions of each point, each with its own seed' })
      .option('workers', { type: 'number', describe: 'worker threads (default: one per core)' })
      .option('slo', { type: 'string', describe: "a p99 SLO to draw on the chart, e.g. 'p99<=2ms'" })
      .option('out', { type: 'string', describe: 'output folder (default reports/<name>-sweep/)' })
      .example('$0 sweep scenarios/layout-local-nvme.yaml --vary containers.db.replicas=1..16', 'how latency grows with the number of databases') as never,
  handler: async (args) => {
    const varies = parseVaries(args.vary);
    if (!Number.isInteger(args.repeat) || args.repeat < 1) throw new UsageError(`--repeat: expected a positive integer, got ${args.repeat}`);
    const workers = args.workers ?? defaultWorkers();
    if (!Number.isInteger(workers) || workers < 1) throw new UsageError(`--workers: expected a positive integer, got ${workers}`);
    const { scenario, raw, profileFiles } = await loadScenarioRaw(args.scenario);
    for (const v of varies) await readVariedProfiles(args.scenario, v.text, v.values, profileFiles);
    const points = gridPoints(varies, args.repeat, scenario.seed);
    if (points.length > 10_000) throw new UsageError(`the grid has ${points.length} points; at most 10,000`);
    const results = await runPoints(raw, points, workers, profileFiles, progressBar(args.quiet || args.json, 'sweep'));
    const failed = results.filter((r) => r.error);
    if (failed.length === results.length) throw new InputError(args.scenario, [{ path: varies.map((v) => v.text).join(', '), message: `every point is invalid: ${failed[0]!.error}` }]);
    const dir = args.out ?? join('reports', `${scenario.name}-sweep`);
    const first = varies[0]!;
    const loadPoints = chartPoints(results, first);
    let sloUs: number | undefined;
    if (args.slo !== undefined) {
      const s = parseSlo(args.slo);
      if (typeof s === 'string' || s.metric !== 'p99') throw new UsageError(`--slo: expected a p99 SLO like 'p99<=2ms'${typeof s === 'string' ? `: ${s}` : ''}`);
      sloUs = s.bound;
    }
    const charts = first.values.every((v) => typeof v === 'number' && v > 0) ? [{ ...hockeyStick(loadPoints.filter((_, i) => i < 2000), first.text, sloUs), id: 'sweep' }] : [];
    const csv = sweepCsv(varies, results);
    const summary = results.map((r) => `${Object.entries(r.point.values).map(([k, v]) => `${k}=${v}`).join(' ')} r${r.point.repetition}: ${r.error ? `invalid: ${r.error}` : r.rows.map((x) => `${x.job} ${x.direction} ${x.iops.toFixed(0)} IOPS p99 ${x.p99Us.toFixed(0)} µs`).slice(0, 4).join('; ')}`);
    const report = await reportFiles(`blocksim sweep: ${scenario.name}`, { source: 'simulated', version: `blocksim-${VERSION}`, scenario: scenario.name, seed: scenario.seed, durationUs: scenario.durationUs, globalOptions: {}, jobs: [], devices: [] }, charts, ['sweep.csv'], undefined, [['Points', `<pre>${escapeHtml(summary.join('\n'))}</pre>`]]);
    await writeFilesAtomically(dir, { 'sweep.csv': csv, ...report });
    if (args.json) console.log(JSON.stringify(results, null, 2));
    else if (!args.quiet) console.log(`${points.length} points${failed.length ? ` (${failed.length} invalid)` : ''} on ${workers} worker${workers === 1 ? '' : 's'}\nresults: ${join(dir, 'sweep.csv')}\nreport:  ${join(dir, 'report.html')}`);
  },
};
