import type { Argv, CommandModule } from 'yargs';
import { basename, dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { loadScenario } from '../../adapters/load-scenario.js';
import { writeFilesAtomically } from '../../adapters/write-files.js';
import { readPodLogs, writeMeasuredResults } from '../../adapters/k8s-results.js';
import { renderJobFile } from '../../fio/jobfile.js';
import { refuseTracedIn } from '../../adapters/trace-source.js';
import { podTargets, type VolumeMode } from '../../k8s/jobfiles.js';
import { manifestProblems, renderManifests, type K8sObject, type RenderOptions, type SharedAccess } from '../../k8s/manifests.js';
import { dnsLabel } from '../../k8s/names.js';
import { checkImage, checkLabel, checkQuantity, checkSubdomain, DEFAULT_FIO_IMAGE, MAX_RUN_ID, type Check } from '../../k8s/options.js';
import { parseDuration } from '../../scenario/units.js';
import { InputError } from '../../scenario/issues.js';
import type { Scenario } from '../../scenario/types.js';
import { summaryTable } from '../../report/table.js';
import { UsageError } from '../exit.js';
import { k8sRun } from './k8s-run.js';
import { k8sRenderSweep } from './k8s-sweep.js';

export interface ManifestArgs {
  scenario: string;
  image: string;
  'storage-class'?: string;
  'volume-mode': VolumeMode;
  'shared-access': SharedAccess;
  namespace?: string;
  'run-id'?: string;
  cpu?: string;
  memory?: string;
  'start-timeout': string;
}

/** The options every command that renders measuring manifests takes. */
export function manifestOptions<T>(y: Argv<T>): Argv<T> {
  return y
    .positional('scenario', { type: 'string', demandOption: true })
    .option('image', { type: 'string', default: DEFAULT_FIO_IMAGE, describe: 'container image with /bin/sh and fio 3.2 or newer' })
    .option('storage-class', { type: 'string', describe: 'StorageClass of the volumes (default: the cluster default)' })
    .option('volume-mode', { choices: ['block', 'filesystem'] as const, default: 'block' as const, describe: 'fio on the raw block volume, or on a file in a file system on it' })
    .option('shared-access', { choices: ['same-node', 'rwx'] as const, default: 'same-node' as const, describe: 'a volume several pods use: ReadWriteOnce with those pods on one node, or ReadWriteMany' })
    .option('namespace', { type: 'string', describe: 'an existing namespace to use (default: create blocksim-<run>)' })
    .option('run-id', { type: 'string', describe: `names and labels every object (at most ${MAX_RUN_ID} of a-z, 0-9, "-")` })
    .option('cpu', { type: 'string', describe: 'CPU request per pod (default 250m per fio thread)' })
    .option('memory', { type: 'string', describe: "memory request and limit per pod (default from fio's buffers)" })
    .option('start-timeout', { type: 'string', default: '30m', describe: 'how long pods wait for volumes, images and the common start' }) as Argv<T>;
}

export function checked(flag: string, value: string | undefined, check: Check): void {
  const problem = value === undefined ? undefined : check(value);
  if (problem) throw new UsageError(`--${flag}: ${problem}`);
}

export function renderOptions(args: ManifestArgs, scenario: Scenario, runId?: string): RenderOptions {
  checked('image', args.image, checkImage);
  checked('storage-class', args['storage-class'], checkSubdomain);
  checked('namespace', args.namespace, checkLabel(63));
  checked('run-id', args['run-id'], checkLabel(MAX_RUN_ID));
  checked('cpu', args.cpu, checkQuantity);
  checked('memory', args.memory, checkQuantity);
  const timeout = parseDuration(args['start-timeout']);
  if (!timeout.ok || timeout.value <= 0) throw new UsageError(`--start-timeout: expected a time such as 30m, got ${JSON.stringify(args['start-timeout'])}`);
  return {
    runId: runId ?? args['run-id'] ?? dnsLabel(scenario.name, 24),
    image: args.image,
    volumeMode: args['volume-mode'],
    sharedAccess: args['shared-access'],
    startTimeoutS: timeout.value / 1e6,
    ...(args.namespace ? { namespace: args.namespace } : {}),
    ...(args['storage-class'] ? { storageClass: args['storage-class'] } : {}),
    ...(args.cpu ? { cpu: args.cpu } : {}),
    ...(args.memory ? { memory: args.memory } : {}),
  };
}

export function manifestsOf(file: string, scenario: Scenario, opts: RenderOptions): K8sObject[] {
  const objects = renderManifests(scenario, opts);
  const problems = manifestProblems(objects);
  if (problems.length > 0) throw new InputError(file, problems);
  return objects;
}

export const toYaml = (objects: object[]): string => objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');

const render: CommandModule<object, ManifestArgs & { o?: string }> = {
  command: 'render <scenario>',
  describe: 'Write the Kubernetes manifests that measure the scenario in pods',
  builder: (y) => manifestOptions(y).option('o', { type: 'string', describe: 'write to this file instead of stdout' }) as never,
  handler: async (args) => {
    const { scenario } = await loadScenario(args.scenario);
    refuseTracedIn(args.scenario, scenario, 'measuring in pods');
    const text = toYaml(manifestsOf(args.scenario, scenario, renderOptions(args, scenario)));
    if (args.o) await writeFilesAtomically(dirname(args.o), { [basename(args.o)]: text });
    else process.stdout.write(text);
  },
};

interface CollectArgs {
  scenario: string;
  logs: string[];
  out?: string;
  'volume-mode': VolumeMode;
  json?: boolean;
  quiet?: boolean;
}

const collect: CommandModule<object, CollectArgs> = {
  command: 'collect <scenario> <logs..>',
  describe: 'Results from saved pod logs (files, or folders of *.log), as k8s run writes them',
  builder: (y) =>
    y
      .positional('scenario', { type: 'string', demandOption: true })
      .positional('logs', { type: 'string', array: true, demandOption: true })
      .option('out', { type: 'string', describe: 'output folder (default reports/<name>-k8s/)' })
      .option('volume-mode', { choices: ['block', 'filesystem'] as const, default: 'block' as const, describe: 'how the pods reached their volumes (names the targets in job.fio)' }) as never,
  handler: async (args) => {
    const { scenario, text } = await loadScenario(args.scenario);
    refuseTracedIn(args.scenario, scenario, 'measuring in pods');
    const logs = await readPodLogs(args.logs);
    const dir = args.out ?? join('reports', `${scenario.name}-k8s`);
    const jobFile = renderJobFile(scenario, podTargets(scenario, args['volume-mode']));
    const results = await writeMeasuredResults(dir, { scenario, scenarioText: text, jobFile, logs, saveLogs: false, title: `blocksim k8s collect: ${scenario.name}` });
    if (args.json) process.stdout.write(JSON.stringify({ dir, jobs: results.jobs.length }) + '\n');
    else if (!args.quiet) console.log(`${summaryTable(results)}\n\nresults: ${dir}/\nreport:  ${join(dir, 'report.html')}`);
  },
};

export const k8s: CommandModule = {
  command: 'k8s <command>',
  describe: 'Measure a scenario in Kubernetes pods; run sweeps as Indexed Jobs',
  builder: (y: Argv) =>
    y
      .command(render as never)
      .command(k8sRun as never)
      .command(collect as never)
      .command(k8sRenderSweep as never)
      .demandCommand(1, 'name a k8s command: render, run, collect or render-sweep'),
  handler: () => undefined,
};
