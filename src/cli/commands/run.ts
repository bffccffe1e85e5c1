import type { CommandModule } from 'yargs';
import { dirname, join } from 'node:path';
import { loadScenario } from '../../adapters/load-scenario.js';
import { writeResults } from '../../adapters/results-folder.js';
import { checkWritableFolder } from '../../adapters/write-files.js';
import { simulate } from '../../model/simulate.js';
import { withTraceSources } from '../../adapters/trace-source.js';
import { replayNotes } from '../../report/replay-notes.js';
import { renderFioJson } from '../../fio/json-writer.js';
import { summaryTable } from '../../report/table.js';
import { parseDuration } from '../../scenario/units.js';
import { UsageError } from '../exit.js';
import { shownFolder, wholeNumberFlag } from '../flags.js';
import { projectSpace, type Projection } from '../../sweep/space-projection.js';
import { formatBytes, formatDuration } from '../../scenario/units.js';

function projectionText(p: Projection): string {
  const lines = [`projected to ${formatDuration(p.horizonUs)} (assuming ${p.assumption}):`];
  for (const v of p.volumes) lines.push(`  volume ${v.name}: ${v.liveSnapshots} snapshots holding ${formatBytes(v.snapshotBytes)}`);
  for (const q of p.pools) lines.push(`  pool ${q.name}: ${formatBytes(q.allocatedBytes)} of ${formatBytes(q.capacityBytes)} allocated; ${Number.isFinite(q.fullAtUs) ? `full after ${formatDuration(q.fullAtUs)}` : 'never full at this rate'}`);
  if (p.volumes.length + p.pools.length === 0) lines.push('  no snapshots or thin pools to project');
  return lines.join('\n');
}

interface RunArgs {
  scenario: string[];
  out?: string;
  seed?: number;
  duration?: string;
  json?: boolean;
  quiet?: boolean;
  project?: string;
  report: boolean;
}

function durationFlag(text: string | undefined, flag = '--duration', max = Infinity): number | undefined {
  if (text === undefined) return undefined;
  // --duration is fio's runtime: a bare number is seconds; other time flags need a unit.
  const p = parseDuration(text, flag === '--duration' ? 's' : undefined);
  if (!p.ok || p.value <= 0 || p.value > max) throw new UsageError(`${flag}: ${p.ok ? `expected a time above 0${max < Infinity ? ' and at most 10 years' : ''}, got ${text}` : p.message}`);
  return p.value;
}

export const run: CommandModule<object, RunArgs> = {
  command: 'run <scenario..>',
  describe: 'Simulate scenarios; print a summary and write results to reports/<name>/',
  builder: (y) =>
    y
      .positional('scenario', { type: 'string', array: true, demandOption: true, describe: 'scenario files (YAML or JSON)' })
      .option('out', { type: 'string', describe: 'output folder (several scenarios: one subfolder each)' })
      .option('seed', wholeNumberFlag('seed', 'override the scenario seed', 0))
      .option('duration', { type: 'string', describe: "override the measured duration, e.g. 30s (fio's runtime: a bare number is seconds)" })
      .option('project', { type: 'string', describe: 'project snapshot and thin-pool space to this time, e.g. 24h or 30d' })
      .option('report', { type: 'boolean', default: true, describe: 'write report.html and charts/ (--no-report: results and CSVs only, faster; removes an earlier report from the folder)' })
      .example('$0 run scenarios/quickstart.yaml', 'simulate and write reports/quickstart/')
      .example('$0 run s.yaml --seed 7 --json > fio.json', 'fio-compatible JSON on stdout') as never,
  handler: async (args) => {
    const durationUs = durationFlag(args.duration);
    const projectUs = args.project === undefined ? undefined : durationFlag(args.project, '--project', 10 * 365 * 86400e6);
    const loaded = [];
    for (const file of args.scenario) loaded.push({ file, ...(await loadScenario(file, { seed: args.seed, durationUs })) });
    const dirOf = (name: string): string => (args.out === undefined ? join('reports', name) : loaded.length === 1 ? args.out : join(args.out, name));
    for (const { scenario } of loaded) checkWritableFolder(dirOf(scenario.name), args.out === undefined ? dirOf(scenario.name) : `--out ${args.out}`);
    for (const { file, scenario, text } of loaded) {
      const results = withTraceSources(dirname(file), (traces) => simulate(scenario, { traces }));
      const dir = dirOf(scenario.name);
      await writeResults(dir, results, text, args.report);
      if (args.json) process.stdout.write(renderFioJson(results));
      else if (!args.quiet) {
        console.log(`${scenario.name}: ${scenario.durationUs / 1e6} s simulated, seed ${scenario.seed}\n`);
        console.log(summaryTable(results));
        const notes = replayNotes(results);
        if (notes.length > 0) console.log(`\n${notes.join('\n')}`);
        if (projectUs !== undefined) console.log(`\n${projectionText(projectSpace(scenario, results, projectUs))}`);
        console.log(`\nresults: ${shownFolder(dir)}`);
        if (args.report) console.log(`report:  ${join(dir, 'report.html')}`);
      }
    }
  },
};
