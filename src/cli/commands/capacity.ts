import type { CommandModule } from 'yargs';
import { loadScenarioRaw, readVariedProfiles } from '../../adapters/load-scenario.js';
import { evaluatePoint } from '../../sweep/evaluate.js';
import { pointSeed } from '../../sweep/grid.js';
import { searchCapacity } from '../../sweep/capacity.js';
import { parseSlos } from '../../sweep/slo.js';
import { UsageError } from '../exit.js';
import { describeUse } from '../../results/resources.js';
import { parseVaries } from './sweep.js';

interface CapacityArgs {
  scenario: string;
  vary: string;
  slo: string[];
  job?: string[];
  repeat: number;
  json?: boolean;
  quiet?: boolean;
}

export const capacityCmd: CommandModule<object, CapacityArgs> = {
  command: 'capacity <scenario>',
  describe: 'Find the largest value of a field (replicas, rate_iops, ...) that meets every SLO',
  builder: (y) =>
    y
      .positional('scenario', { type: 'string', demandOption: true })
      .option('vary', { type: 'string', demandOption: true, describe: 'PATH=LO..HI[/STEP] or PATH=v1,v2,... (ascending load)' })
      .option('slo', { type: 'string', array: true, demandOption: true, describe: "e.g. 'p99<=2ms', 'mean<=500us', 'util<=0.8' (repeatable)" })
      .option('job', { type: 'string', array: true, describe: 'latency SLOs apply to these jobs (name or prefix); default all' })
      .option('repeat', { type: 'number', default: 3, describe: 'repetitions (other seeds) that confirm the answer' })
      .example("$0 capacity scenarios/layout-local-nvme.yaml --vary containers.db.replicas=1..64 --slo 'p99<=1ms'", 'how many databases fit') as never,
  handler: async (args) => {
    const [vary] = parseVaries([args.vary]);
    const slos = parseSlos(args.slo);
    if (typeof slos === 'string') throw new UsageError(`--slo: ${slos}`);
    const { scenario, raw, profileFiles } = await loadScenarioRaw(args.scenario);
    await readVariedProfiles(args.scenario, vary!.text, vary!.values, profileFiles);
    const jobs = args.job ?? [];
    const jobMatches = (name: string): boolean => jobs.length === 0 || jobs.some((j) => name === j || name.startsWith(`${j}.`));
    const evaluate = async (value: string | number, repetition: number) => {
      const values = { [vary!.text]: value };
      return evaluatePoint(raw, { index: 0, values, repetition, seed: pointSeed(scenario.seed, values, repetition) }, profileFiles);
    };
    const answer = await searchCapacity(vary!.values, slos, jobMatches, evaluate, args.repeat);
    if (args.json) console.log(JSON.stringify({ vary: vary!.text, slos: slos.map((s) => s.text), ...answer }, null, 2));
    else if (!args.quiet) {
      if (answer.value === undefined) console.log(`${vary!.text}: even ${vary!.values[0]} misses the SLOs (${slos.map((s) => s.text).join(', ')}); ${answer.runs} runs`);
      else {
        console.log(`${vary!.text} = ${answer.value}${answer.atUpperBound ? ' (the largest value tried: the answer may be higher)' : ''} meets ${slos.map((s) => s.text).join(', ')}`);
        console.log(`runs: ${answer.runs} simulations (a full grid would take ${vary!.values.length})`);
        const c = answer.confirmation;
        console.log(`confidence: met in ${c.metAtAnswer}/${c.repetitions} seeds at the answer${answer.atUpperBound ? '' : `; failed in ${c.failedAbove}/${c.repetitions} one step above`}`);
        if (answer.binding) console.log(`binding constraint at the answer: ${describeUse(answer.binding)}`);
        for (const h of answer.headroom) console.log(`headroom: ${h.slo}: observed ${h.observed.toFixed(h.slo.startsWith('util') ? 3 : 1)}${h.slo.startsWith('util') ? '' : ' µs'}, ${(h.headroom * 100).toFixed(1)} % below the bound`);
      }
    }
    if (answer.value === undefined) process.exitCode = 1;
  },
};
