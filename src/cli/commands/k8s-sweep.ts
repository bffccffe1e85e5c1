import type { CommandModule } from 'yargs';
import { basename, dirname } from 'node:path';
import { stringify } from 'yaml';
import { loadScenarioRaw, readVariedProfiles } from '../../adapters/load-scenario.js';
import { refuseTracedIn } from '../../adapters/trace-source.js';
import { writeFilesAtomically } from '../../adapters/write-files.js';
import { renderSweepJob } from '../../k8s/sweep-job.js';
import { dnsLabel } from '../../k8s/names.js';
import { checkImage, checkLabel, checkQuantity, checkSubdomain, MAX_RUN_ID } from '../../k8s/options.js';
import { isProfilePath } from '../../scenario/normalize.js';
import { gridPoints } from '../../sweep/grid.js';
import { parseSlo } from '../../sweep/slo.js';
import { UsageError } from '../exit.js';
import { checked, toYaml } from './k8s.js';
import { parseVaries } from './sweep.js';

interface RenderSweepArgs {
  scenario: string;
  vary: string[];
  repeat: number;
  slo?: string;
  shards: number;
  parallelism?: number;
  image: string;
  namespace?: string;
  'run-id'?: string;
  cpu: string;
  memory: string;
  'results-claim'?: string;
  o?: string;
}

/** A profile path the pod can find beside its scenario: relative, below the scenario's folder. */
function profileMountPath(path: string): string {
  const clean = path.replace(/^(\.\/)+/, '');
  if (clean.startsWith('/') || clean.split('/').some((p) => p === '..' || p === '' || p === '.')) {
    throw new UsageError(`profile ${JSON.stringify(path)}: render-sweep carries profile files named relative to the scenario and below its folder only`);
  }
  return clean;
}

/** Whole cores in a CPU quantity (500m → 1, 2 → 2, 2500m → 2), at least 1. */
function wholeCores(cpu: string): number {
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(cpu);
  if (!m) return 1;
  return Math.max(1, Math.floor(Number(m[1]) / (m[2] ? 1000 : 1)));
}

export const k8sRenderSweep: CommandModule<object, RenderSweepArgs> = {
  command: 'render-sweep <scenario>',
  describe: 'Write an Indexed Job that runs a sweep in N shards across the cluster (merge them with blocksim merge)',
  builder: (y) =>
    y
      .positional('scenario', { type: 'string', demandOption: true })
      .option('vary', { type: 'string', array: true, demandOption: true, describe: 'as for blocksim sweep (repeatable)' })
      .option('repeat', { type: 'number', default: 1, describe: 'as for blocksim sweep' })
      .option('slo', { type: 'string', describe: 'as for blocksim sweep' })
      .option('shards', { type: 'number', demandOption: true, describe: 'number of shards (pods)' })
      .option('parallelism', { type: 'number', describe: 'pods at once (default: all)' })
      .option('image', { type: 'string', demandOption: true, describe: 'an image with blocksim on its PATH' })
      .option('namespace', { type: 'string', describe: "namespace (default: kubectl's current one)" })
      .option('run-id', { type: 'string', describe: 'names and labels the objects' })
      .option('cpu', { type: 'string', default: '1', describe: 'CPU request per pod; whole cores become worker threads' })
      .option('memory', { type: 'string', default: '1Gi', describe: 'memory request and limit per pod' })
      .option('results-claim', { type: 'string', describe: 'a ReadWriteMany PersistentVolumeClaim to write shard files to (default: pods print them to their logs)' })
      .option('o', { type: 'string', describe: 'write to this file instead of stdout' }) as never,
  handler: async (args) => {
    const varies = parseVaries(args.vary);
    if (!Number.isInteger(args.repeat) || args.repeat < 1) throw new UsageError(`--repeat: expected a positive integer, got ${args.repeat}`);
    if (args.slo !== undefined && typeof parseSlo(args.slo) === 'string') throw new UsageError(`--slo: ${parseSlo(args.slo)}`);
    if (!Number.isInteger(args.shards) || args.shards < 1 || args.shards > 10_000) throw new UsageError(`--shards: expected 1..10000, got ${args.shards}`);
    const parallelism = args.parallelism ?? args.shards;
    if (!Number.isInteger(parallelism) || parallelism < 1) throw new UsageError(`--parallelism: expected a positive integer, got ${parallelism}`);
    checked('image', args.image, checkImage);
    checked('namespace', args.namespace, checkLabel(63));
    checked('run-id', args['run-id'], checkLabel(MAX_RUN_ID));
    checked('cpu', args.cpu, checkQuantity);
    checked('memory', args.memory, checkQuantity);
    checked('results-claim', args['results-claim'], checkSubdomain);
    const { scenario, text, profileFiles } = await loadScenarioRaw(args.scenario);
    refuseTracedIn(args.scenario, scenario, 'a sweep in pods');
    for (const v of varies) await readVariedProfiles(args.scenario, v.text, v.values, profileFiles);
    const points = gridPoints(varies, args.repeat, scenario.seed).length;
    if (points > 10_000) throw new UsageError(`the grid has ${points} points; at most 10,000`);
    const profiles = Object.fromEntries(Object.entries(profileFiles).filter(([p]) => isProfilePath(p)).map(([p, parsed]) => [profileMountPath(p), stringify(parsed)]));
    const sweepArgs = [...args.vary.flatMap((v) => ['--vary', v]), '--repeat', String(args.repeat), ...(args.slo ? ['--slo', args.slo] : [])];
    const objects = renderSweepJob({
      runId: args['run-id'] ?? `${dnsLabel(scenario.name, 20)}-sweep`,
      image: args.image,
      shards: args.shards,
      parallelism: Math.min(parallelism, args.shards),
      cpu: args.cpu,
      memory: args.memory,
      workers: wholeCores(args.cpu),
      scenarioName: scenario.name,
      scenarioText: text,
      profiles,
      sweepArgs,
      ...(args.namespace ? { namespace: args.namespace } : {}),
      ...(args['results-claim'] ? { resultsClaim: args['results-claim'] } : {}),
    });
    const out = toYaml(objects);
    if (args.o) await writeFilesAtomically(dirname(args.o), { [basename(args.o)]: out });
    else process.stdout.write(out);
  },
};
