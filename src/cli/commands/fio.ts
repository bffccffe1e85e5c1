import type { Argv, CommandModule } from 'yargs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { loadScenario } from '../../adapters/load-scenario.js';
import { checkFio, checkTargetSafety, markCreated, runFio } from '../../adapters/fio-runner.js';
import { checkWritableFile, checkWritableFolder, writeFilesAtomically } from '../../adapters/write-files.js';
import { OutsideError } from '../../adapters/errors.js';
import { withInterrupts } from '../../adapters/interrupt.js';
import { checkReplayDir, checkTargets, defaultTarget, renderJobFile, type Targets } from '../../fio/jobfile.js';
import { replayKey } from '../../fio/replay-iolog.js';
import { writeReplayLogs, type ReplayLog } from '../../adapters/replay-log.js';
import { FioParseError, parseFioJson } from '../../fio/parse.js';
import { summaryTable } from '../../report/table.js';
import { summaryCsv } from '../../report/csv.js';
import { reportFiles, resultsJson } from '../../adapters/results-folder.js';
import { runCharts } from '../../report/charts.js';
import { InputError } from '../../scenario/issues.js';
import type { Scenario } from '../../scenario/types.js';
import { UsageError } from '../exit.js';
import { shownFolder, sizeFlag } from '../flags.js';
import { limitSpan, spanEnds } from '../../fio/span.js';
import { checkTargetSpace } from '../../adapters/target-space.js';
import { formatBytes } from '../../scenario/units.js';
import { fioSweep } from './fio-sweep.js';

interface FioArgs {
  scenario: string;
  target?: string[];
  o?: string;
  out?: string;
  client?: string[];
  'allow-destructive'?: boolean;
  size?: number;
  json?: boolean;
  quiet?: boolean;
}

/** HOST[:PORT] (or a file of hosts, one per line, given as @FILE) to fio's HOST[,PORT]. */
function clientAddress(text: string): string {
  const m = /^([A-Za-z0-9_.-]+)(?::(\d{1,5}))?$/.exec(text.trim());
  if (!m) throw new UsageError(`--client: expected HOST or HOST:PORT, got ${JSON.stringify(text)}`);
  return m[2] ? `${m[1]},${m[2]}` : m[1]!;
}

function readHosts(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  } catch (err) {
    throw new UsageError(`--client @${file}: cannot read the list of hosts (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** fio's HOST[,PORT] for every --client (a list given as @FILE expanded), or undefined without --client. */
function clientsOf(list: string[] | undefined): string[] | undefined {
  if (!list?.length) return undefined;
  const hosts = list.flatMap((c) => (c.startsWith('@') ? readHosts(c.slice(1)) : [c])).map(clientAddress);
  if (hosts.length === 0) throw new UsageError('--client: the host list is empty');
  return hosts;
}

function parseTargets(list: string[] | undefined): Targets {
  const out: Targets = {};
  for (const t of list ?? []) {
    const i = t.indexOf('=');
    if (i <= 0) throw new UsageError(`--target: expected VOLUME=PATH, got ${JSON.stringify(t)}`);
    out[t.slice(0, i)] = t.slice(i + 1);
  }
  return out;
}

interface Prepared {
  scenario: Scenario;
  targets: Targets;
  jobFile: string;
  scenarioText: string;
  /** How the measured span differs from the scenario's (--size). */
  notes: string[];
  /** Volumes some job writes to (a traced job: when its trace has writes). */
  writes: Set<string>;
  /** The iologs written for traced jobs, by job. */
  logs: Record<string, ReplayLog>;
}

/** The job file; traced jobs' iologs are written into `logDir` first (next to the job file). */
async function prepare(args: FioArgs, logDir: string): Promise<Prepared> {
  const { scenario: full, text: scenarioText } = await loadScenario(args.scenario);
  const given = parseTargets(args.target);
  const problems = checkTargets(full, given);
  if (args.size !== undefined) {
    for (const c of full.containers) for (const j of c.jobs) {
      const largest = Math.max(...j.bs.read.sizesBytes, ...j.bs.write.sizesBytes);
      if (largest > args.size) problems.push({ path: '--size', message: `${formatBytes(args.size)} is smaller than a block of job ${c.name}.${j.name} (${formatBytes(largest)})` });
    }
  }
  const traced = full.containers.some((c) => c.jobs.some((j) => j.trace));
  if (traced) problems.push(...checkReplayDir(resolve(logDir)));
  if (problems.length > 0) throw new InputError(args.scenario, problems);
  const { scenario, notes } = args.size === undefined ? { scenario: full, notes: [] } : limitSpan(full, args.size);
  const targets: Targets = Object.fromEntries(scenario.volumes.map((v) => [v.name, given[v.name] ?? defaultTarget(v.name)]));
  const logs = traced ? await writeReplayLogs(args.scenario, scenario, logDir) : {};
  const writes = new Set(scenario.containers.flatMap((c) => c.jobs.filter((j) => (j.trace ? logs[replayKey(c.name, j)]!.counts.writes > 0 : j.readRatio < 1)).map((j) => j.volume)));
  const jobFile = notes.map((n) => `; ${n}\n`).join('') + renderJobFile(scenario, targets, Object.fromEntries(Object.entries(logs).map(([k, l]) => [k, l.path])));
  return { scenario, targets, jobFile, scenarioText, notes, writes, logs };
}

/**
 * fio before 3.36 sleeps through an open-loop replay's gaps (iolog.c, iolog_delay): it
 * reaps completions only once iodepth I/Os are in flight, so their clat includes the wait
 * to be reaped, and its sleeps overshoot, so the replay stretches. fio 3.36 polls instead
 * (commit b85c01f7). Closed loop, or iodepth 1, is measured as the simulator counts it.
 */
function replayCaveats(scenario: Scenario, version: [number, number]): string[] {
  if (version[0] > 3 || (version[0] === 3 && version[1] >= 36)) return [];
  return scenario.containers.flatMap((c) =>
    c.jobs
      .filter((j) => j.trace?.mode === 'open')
      .map((j) => `note: fio ${version.join('.')} sleeps through the gaps of an open-loop replay (${replayKey(c.name, j)}): ${j.iodepth > 1 ? `completions wait to be reaped until ${j.iodepth} I/Os are in flight, so its clat is too high, and ` : ''}the replay stretches by each sleep's overshoot. fio 3.36 and later poll instead; trace.mode: closed${j.iodepth > 1 ? ' (or iodepth 1)' : ''} measures what the simulator predicts.`),
  );
}

const SIZE_HELP = 'measure over the first SIZE of each volume (jobs scaled into it), e.g. 8GiB: for a target smaller than the scenario\'s volumes';

const jobfile: CommandModule<object, FioArgs> = {
  command: 'jobfile <scenario>',
  describe: "Write the fio job file for a scenario's workloads",
  builder: (y) =>
    y
      .positional('scenario', { type: 'string', demandOption: true })
      .option('target', { type: 'string', array: true, describe: 'VOLUME=PATH: the file or device a volume maps to (repeatable)' })
      .option('size', sizeFlag('size', SIZE_HELP))
      .option('o', { type: 'string', describe: 'write to this file instead of stdout' }) as never,
  handler: async (args) => {
    if (args.o) checkWritableFile(args.o, `-o ${args.o}`);
    const { jobFile, logs } = await prepare(args, args.o ? dirname(args.o) : '.');
    if (!args.quiet) for (const [job, log] of Object.entries(logs)) console.error(`${job}: replays ${log.path} (${log.counts.replayed} I/Os of ${log.counts.records} records)`);
    if (args.o) await writeFilesAtomically(dirname(args.o), { [basename(args.o)]: jobFile });
    else process.stdout.write(jobFile);
  },
};

const fioRun: CommandModule<object, FioArgs> = {
  command: 'run <scenario>',
  describe: 'Run the scenario with fio on real files or devices and save its results',
  builder: (y) =>
    y
      .positional('scenario', { type: 'string', demandOption: true })
      .option('target', { type: 'string', array: true, describe: 'VOLUME=PATH (repeatable); default: <volume>.blocksim.dat here' })
      .option('out', { type: 'string', describe: 'output folder (default reports/<name>-fio/)' })
      .option('size', sizeFlag('size', SIZE_HELP))
      .option('client', { type: 'string', array: true, describe: "HOST[:PORT] running `fio --server` (repeatable, or @FILE with one host per line): run there through fio's client mode" })
      .option('allow-destructive', { type: 'boolean', describe: 'allow writing to a blank block device or to an existing file blocksim did not create' }) as never,
  handler: async (args) => {
    // traced jobs' iologs live for the run only, beside nothing the user keeps
    const logDir = mkdtempSync(join(tmpdir(), 'blocksim-replay-'));
    try {
      await measure(args, logDir);
    } finally {
      rmSync(logDir, { recursive: true, force: true });
    }
  },
};

async function measure(args: FioArgs, logDir: string): Promise<void> {
  const clients = clientsOf(args.client);
  const { scenario, targets, jobFile, scenarioText, notes, writes } = await prepare(args, logDir);
  const dir = args.out ?? join('reports', `${scenario.name}-fio`);
  checkWritableFolder(dir, args.out === undefined ? dir : `--out ${dir}`);
  const version = checkFio();
  if (!args.quiet && !args.json) replayCaveats(scenario, version).forEach((n) => console.error(n));
  const created = clients ? [] : checkTargetSafety(targets, writes, args['allow-destructive'] ?? false);
  const ends = spanEnds(scenario);
  if (!clients) checkTargetSpace(Object.entries(targets).filter(([v]) => ends.has(v)).map(([volume, path]) => ({ volume, path, bytes: ends.get(volume)! })));
  const totalS = (scenario.rampUs + scenario.durationUs + Math.max(0, ...scenario.containers.flatMap((c) => c.jobs.map((j) => j.startdelayUs)))) / 1e6;
  const progress = args.quiet || args.json ? undefined : (el: number, left: number) => process.stderr.write(`\rfio: ${el.toFixed(0)} s elapsed, about ${left.toFixed(0)} s left `);
  await withInterrupts(async (stop) => {
    const work = mkdtempSync(join(tmpdir(), 'blocksim-fio-'));
    const jobPath = join(work, 'job.fio');
    const outPath = join(work, 'fio.json');
    try {
      writeFileSync(jobPath, jobFile);
      await runFio({ jobFile: jobPath, outputFile: outPath, expectedSeconds: totalS, stop, ...(clients ? { clients } : {}), ...(progress ? { onProgress: progress } : {}) });
      if (progress) process.stderr.write('\n');
      const raw = readFileSync(outPath, 'utf8');
      if (!stop.aborted) await saveRun(args, dir, { scenario, jobFile, scenarioText, notes }, raw);
    } finally {
      markCreated(created);
      rmSync(work, { recursive: true, force: true });
    }
  });
}

/** Parses fio's output and writes the results folder (only after fio ran to its end). */
async function saveRun(args: FioArgs, dir: string, { scenario, jobFile, scenarioText, notes }: Omit<Prepared, 'targets' | 'writes' | 'logs'>, raw: string): Promise<void> {
  let results;
  try {
    results = parseFioJson(raw);
  } catch (err) {
    if (err instanceof FioParseError) throw new OutsideError(`fio's output could not be read: ${err.message}`);
    throw err;
  }
  results.scenario = scenario.name;
  results.durationUs = scenario.durationUs;
  if (notes.length > 0) results.notes = notes;
  const data = { 'job.fio': jobFile, 'fio.json': raw, 'results.json': resultsJson(results), 'summary.csv': summaryCsv(results), 'scenario.yaml': scenarioText };
  const report = await reportFiles(`blocksim fio run: ${scenario.name}`, results, runCharts(results), Object.keys(data), scenarioText);
  await writeFilesAtomically(dir, { ...data, ...report });
  if (args.json) process.stdout.write(raw);
  else if (!args.quiet) console.log(`${summaryTable(results)}\n${notes.map((n) => `\nnote: ${n}`).join('')}\nresults: ${shownFolder(dir)}\nreport:  ${join(dir, 'report.html')}`);
}

export const fio: CommandModule = {
  command: 'fio',
  describe: 'Drive fio: job files, real runs and calibration sweeps',
  builder: (y: Argv) => y.command(jobfile as never).command(fioRun as never).command(fioSweep as never).demandCommand(1, 'name a fio command: jobfile, run or sweep'),
  handler: () => undefined,
};
