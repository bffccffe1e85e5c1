import type { CommandModule } from 'yargs';
import { join } from 'node:path';
import { loadScenario } from '../../adapters/load-scenario.js';
import { writeResults } from '../../adapters/results-folder.js';
import { simulate } from '../../model/simulate.js';
import { renderFioJson } from '../../fio/json-writer.js';
import { summaryTable } from '../../report/table.js';
import { parseDuration } from '../../scenario/units.js';
import { UsageError } from '../exit.js';

interface RunArgs {
  scenario: string[];
  out?: string;
  seed?: number;
  duration?: string;
  json?: boolean;
  quiet?: boolean;
}

function durationFlag(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const p = parseDuration(text);
  if (!p.ok || p.value <= 0) throw new UsageError(`--duration: ${p.ok ? `expected a time above 0, got ${text}` : p.message}`);
  return p.value;
}

export const run: CommandModule<object, RunArgs> = {
  command: 'run <scenario..>',
  describe: 'Simulate scenarios; print a summary and write results to reports/<name>/',
  builder: (y) =>
    y
      .positional('scenario', { type: 'string', array: true, demandOption: true, describe: 'scenario files (YAML or JSON)' })
      .option('out', { type: 'string', describe: 'output folder (several scenarios: one subfolder each)' })
      .option('seed', { type: 'number', describe: 'override the scenario seed' })
      .option('duration', { type: 'string', describe: 'override the measured duration, e.g. 30s' })
      .example('$0 run scenarios/quickstart.yaml', 'simulate and write reports/quickstart/')
      .example('$0 run s.yaml --seed 7 --json > fio.json', 'fio-compatible JSON on stdout') as never,
  handler: async (args) => {
    if (args.seed !== undefined && (!Number.isSafeInteger(args.seed) || args.seed < 0)) {
      throw new UsageError(`--seed: expected a non-negative whole number, got ${args.seed}`);
    }
    const durationUs = durationFlag(args.duration);
    const loaded = [];
    for (const file of args.scenario) loaded.push(await loadScenario(file, { seed: args.seed, durationUs }));
    for (const { scenario, text } of loaded) {
      const results = simulate(scenario);
      const dir = args.out === undefined ? join('reports', scenario.name) : loaded.length === 1 ? args.out : join(args.out, scenario.name);
      await writeResults(dir, results, text);
      if (args.json) process.stdout.write(renderFioJson(results));
      else if (!args.quiet) {
        console.log(`${scenario.name}: ${scenario.durationUs / 1e6} s simulated, seed ${scenario.seed}\n`);
        console.log(summaryTable(results));
        console.log(`\nresults: ${dir}/`);
        console.log(`report:  ${join(dir, 'report.html')}`);
      }
    }
  },
};
