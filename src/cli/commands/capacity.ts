import type { CommandModule } from 'yargs';
import { dirname, join } from 'node:path';
import { withTraceSources } from '../../adapters/trace-source.js';
import { loadScenarioRaw, readVariedProfiles } from '../../adapters/load-scenario.js';
import { defaultWorkers, runPoints } from '../../adapters/sweep-pool.js';
import { runKey, writeShard } from '../../adapters/shard-files.js';
import { writeFilesAtomically } from '../../adapters/write-files.js';
import { evaluatePoint, type PointResult } from '../../sweep/evaluate.js';
import { gridPoints, pointSeed, type Vary } from '../../sweep/grid.js';
import { searchCapacity, type CapacityAnswer, type Evaluate } from '../../sweep/capacity.js';
import { inShard, parseShard } from '../../sweep/shard.js';
import { parseSlos, type Slo } from '../../sweep/slo.js';
import { UsageError } from '../exit.js';
import { describeUse } from '../../results/resources.js';
import { wholeNumberFlag } from '../flags.js';
import { parseVaries, progressBar } from './sweep.js';

interface CapacityArgs {
  scenario: string;
  vary: string;
  slo: string[];
  job?: string[];
  repeat: number;
  out?: string;
  shard?: string;
  workers?: number;
  json?: boolean;
  quiet?: boolean;
}

/** What a capacity shard records so merge can run the same search. */
export interface CapacityMeta {
  vary: Vary;
  slos: string[];
  jobs: string[];
  repeat: number;
}

export const jobMatcher = (jobs: string[]) => (name: string): boolean => jobs.length === 0 || jobs.some((j) => name === j || name.startsWith(`${j}.`));

/** Prints the answer, writes capacity.json when there is a folder, and sets exit 1 when even the smallest value misses. */
export async function reportCapacity(vary: Vary, slos: Slo[], answer: CapacityAnswer, opts: { out?: string; json?: boolean; quiet?: boolean }): Promise<void> {
  const json = JSON.stringify({ vary: vary.text, slos: slos.map((s) => s.text), ...answer }, null, 2);
  if (opts.out) await writeFilesAtomically(opts.out, { 'capacity.json': `${json}\n` });
  if (opts.json) console.log(json);
  else if (!opts.quiet) {
    if (answer.value === undefined) console.log(`${vary.text}: even ${vary.values[0]} misses the SLOs (${slos.map((s) => s.text).join(', ')}); ${answer.runs} runs`);
    else {
      console.log(`${vary.text} = ${answer.value}${answer.atUpperBound ? ' (the largest value tried: the answer may be higher)' : ''} meets ${slos.map((s) => s.text).join(', ')}`);
      console.log(`runs: ${answer.runs} simulations (a full grid would take ${vary.values.length})`);
      const c = answer.confirmation;
      console.log(`confidence: met in ${c.metAtAnswer}/${c.repetitions} seeds at the answer${answer.atUpperBound ? '' : `; failed in ${c.failedAbove}/${c.repetitions} one step above`}`);
      if (answer.binding) console.log(`binding constraint at the answer: ${describeUse(answer.binding)}`);
      for (const h of answer.headroom) console.log(`headroom: ${h.slo}: observed ${h.observed.toFixed(h.slo.startsWith('util') ? 3 : 1)}${h.slo.startsWith('util') ? '' : ' µs'}, ${(h.headroom * 100).toFixed(1)} % below the bound`);
    }
    if (opts.out) console.log(`results: ${join(opts.out, 'capacity.json')}`);
  }
  if (answer.value === undefined) process.exitCode = 1;
}

/** The search over results already simulated (every value under every repetition), as merge runs it. */
export function lookupEvaluate(results: PointResult[], vary: Vary): Evaluate {
  const byKey = new Map(results.map((r) => [`${typeof r.point.values[vary.text]}:${r.point.values[vary.text]}/${r.point.repetition}`, r]));
  return async (value, repetition) => {
    const r = byKey.get(`${typeof value}:${value}/${repetition}`);
    if (!r) throw new Error(`no result for ${vary.text}=${value} repetition ${repetition}`);
    return r;
  };
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
      .option('repeat', wholeNumberFlag('repeat', 'repetitions (other seeds) that confirm the answer', 1, 1000, 3))
      .option('out', { type: 'string', describe: 'write capacity.json (or with --shard, the shard file) to this folder' })
      .option('shard', { type: 'string', describe: 'I/N: simulate the I-th of N slices of every value under every repetition, for blocksim merge to search' })
      .option('workers', wholeNumberFlag('workers', 'worker threads for --shard (default: one per core)', 1, 1024))
      .example("$0 capacity scenarios/layout-local-nvme.yaml --vary containers.db.replicas=1..64 --slo 'p99<=1ms'", 'how many databases fit') as never,
  handler: async (args) => {
    const [vary] = parseVaries([args.vary]);
    const slos = parseSlos(args.slo);
    if (typeof slos === 'string') throw new UsageError(`--slo: ${slos}`);
    const shard = args.shard === undefined ? undefined : parseShard(args.shard);
    if (typeof shard === 'string') throw new UsageError(`--shard: ${shard}`);
    const { scenario, raw, profileFiles } = await loadScenarioRaw(args.scenario);
    await readVariedProfiles(args.scenario, vary!.text, vary!.values, profileFiles);
    const jobs = args.job ?? [];
    if (shard) {
      const points = gridPoints([vary!], Math.max(1, args.repeat), scenario.seed);
      const workers = args.workers ?? defaultWorkers();
      if (!Number.isInteger(workers) || workers < 1) throw new UsageError(`--workers: expected a positive integer, got ${workers}`);
      const results = await runPoints(raw, points.filter(inShard(shard)), workers, profileFiles, progressBar(args.quiet || args.json, 'capacity'), dirname(args.scenario));
      const meta: CapacityMeta = { vary: vary!, slos: slos.map((s) => s.text), jobs, repeat: args.repeat };
      const key = runKey('capacity', { raw, profileFiles, ...meta });
      const file = await writeShard(args.out ?? join('reports', `${scenario.name}-capacity`), { blocksim: 'shard', kind: 'capacity', key, shard, total: points.length, meta, results });
      if (!args.quiet && !args.json) console.log(`shard ${shard.index}/${shard.count}: ${results.length} of ${points.length} runs\nshard file: ${file}`);
      return;
    }
    const evaluate: Evaluate = async (value, repetition) => {
      const values = { [vary!.text]: value };
      return withTraceSources(dirname(args.scenario), (traces) => evaluatePoint(raw, { index: 0, values, repetition, seed: pointSeed(scenario.seed, values, repetition) }, profileFiles, traces));
    };
    const answer = await searchCapacity(vary!.values, slos, jobMatcher(jobs), evaluate, args.repeat);
    await reportCapacity(vary!, slos, answer, args);
  },
};
