import type { CommandModule } from 'yargs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { withTraceSources } from '../../adapters/trace-source.js';
import { parse } from 'yaml';
import { loadFioFiles } from '../../adapters/load-fio.js';
import { loadScenario } from '../../adapters/load-scenario.js';
import { checkWritableFolder, writeFilesAtomically } from '../../adapters/write-files.js';
import { compareGroups } from '../../compare/compare.js';
import { groupRepetitions, pairJobs, parseNameMap, type JobPair } from '../../compare/pairing.js';
import { DEFAULT_TOLERANCE, parseTolerance } from '../../compare/error-figures.js';
import { simulatedName } from '../../compare/fio-workload.js';
import { predictFromProfile } from '../../compare/predict.js';
import { simulate } from '../../model/simulate.js';
import { compareCsv, compareTable } from '../../report/compare-table.js';
import { reportFiles } from '../../adapters/results-folder.js';
import { escapeHtml } from '../../report/html.js';
import { chartPairs, compareCharts, summaryResults } from '../../report/compare-charts.js';
import { InputError } from '../../scenario/issues.js';
import { UsageError } from '../exit.js';

interface CompareArgs {
  measured: string[];
  scenario?: string;
  profile?: string;
  tolerance?: string;
  map?: string[];
  apart?: string[];
  out?: string;
  json?: boolean;
  quiet?: boolean;
}

async function profileDevice(file: string): Promise<{ device: Record<string, unknown>; host?: { cores: number; balance?: string } }> {
  let doc: unknown;
  try {
    doc = parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new InputError(file, [{ path: '', message: `cannot read the profile: ${(err as Error).message.split('\n')[0]}` }]);
  }
  const device = (doc as { device?: unknown } | null)?.device ?? doc;
  if (!device || typeof device !== 'object') throw new InputError(file, [{ path: 'device', message: 'expected a device map' }]);
  const host = (doc as { host?: { cores?: unknown; balance?: unknown } }).host;
  if (host !== undefined && !(typeof host?.cores === 'number' && Number.isInteger(host.cores) && host.cores >= 1)) throw new InputError(file, [{ path: 'host.cores', message: `expected a positive integer, got ${JSON.stringify(host?.cores)}` }]);
  if (host?.balance !== undefined && typeof host.balance !== 'string' && typeof host.balance !== 'number') throw new InputError(file, [{ path: 'host.balance', message: `expected a duration, got ${JSON.stringify(host.balance)}` }]);
  return { device: device as Record<string, unknown>, ...(host ? { host: { cores: host.cores as number, ...(host.balance !== undefined ? { balance: host.balance as string } : {}) } } : {}) };
}

export const compareCmd: CommandModule<object, CompareArgs> = {
  command: 'compare',
  describe: 'Simulate measured fio runs and report the error of each figure; exit 1 when outside tolerance',
  builder: (y) =>
    y
      .option('measured', { type: 'string', array: true, demandOption: true, describe: 'fio JSON files or folders' })
      .option('scenario', { type: 'string', describe: 'a scenario whose job names match the measured jobs' })
      .option('profile', { type: 'string', describe: "a device profile: each fio run's own options give the workload" })
      .option('map', { type: 'string', array: true, describe: 'pair a measured job with a predicted job of another name: MEASURED=PREDICTED, MEASURED a job, a run (file name without .json) or RUN:JOB, e.g. after-qd16=c.w@after-qd16 (repeatable)' })
      .option('apart', { type: 'string', array: true, describe: 'a run or job (name as loaded) never averaged with its repetitions (runs named <name>-rN are otherwise averaged and their mean scored)' })
      .option('tolerance', { type: 'string', describe: 'e.g. iops=10%,p50=15%,p99=30% (figures: iops, bw, mean, p50, p90, p99, p99.9, demerit)' })
      .option('out', { type: 'string', describe: 'write compare.csv here' })
      .check((a) => {
        if ((a.scenario === undefined) === (a.profile === undefined)) throw new UsageError('give --scenario or --profile (one of them)');
        return true;
      }) as never,
  handler: async (args) => {
    const tol = args.tolerance === undefined ? DEFAULT_TOLERANCE : parseTolerance(args.tolerance);
    if (typeof tol === 'string') throw new UsageError(`--tolerance: ${tol}`);
    if (args.out) checkWritableFolder(args.out, `--out ${args.out}`);
    const { map, bad } = parseNameMap(args.map ?? []);
    if (bad.length > 0) throw new UsageError(`--map ${bad.join('; ')}`);
    const measured = await loadFioFiles(args.measured);
    const notes: string[] = [];
    const pairs: JobPair[] = [];
    if (args.profile) {
      const { device, host } = await profileDevice(args.profile);
      for (const m of measured) {
        let prediction;
        try {
          // a measured replay names its iolog as fio was given it: relative to where fio ran, taken to be here
          prediction = withTraceSources('.', (traces) => predictFromProfile(m.results, device, host, traces));
        } catch (err) {
          if (err instanceof InputError) throw err; // a replayed iolog that cannot be read
          throw new InputError(args.profile, [{ path: 'device', message: (err as Error).message }]);
        }
        prediction.skipped.forEach((s) => notes.push(`${m.file}: ${s.job} not predicted: ${s.reason}`));
        pairs.push(...pairJobs(m.file, m.results, prediction.predicted, simulatedName, map).pairs);
      }
    } else {
      const { scenario } = await loadScenario(args.scenario!);
      const predicted = withTraceSources(dirname(args.scenario!), (traces) => simulate(scenario, { traces }));
      for (const m of measured) {
        const c = pairJobs(m.file, m.results, predicted, (n) => n, map);
        c.unpaired.forEach((u) => notes.push(`${m.file}: no simulated job named ${u} (pair it with --map ${m.file}=JOB; simulated jobs: ${predicted.jobs.map((j) => j.name).join(', ')})`));
        pairs.push(...c.pairs);
      }
    }
    const unusedMap = map.filter((e) => !pairs.some((p) => p.predicted.name === e.predicted));
    unusedMap.forEach((e) => notes.push(`--map ${e.measured}=${e.predicted}: paired nothing`));
    const groups = groupRepetitions(pairs, args.apart ?? []);
    const rows = compareGroups(groups, tol);
    if (rows.length === 0) throw new InputError(args.measured.join(' '), [{ path: '', message: 'no measured job could be paired with a prediction' }, ...notes.map((n) => ({ path: 'note', message: n }))]);
    if (args.out) {
      const csv = compareCsv(rows);
      const report = await reportFiles('blocksim compare', summaryResults(measured.map((m) => m.results)), compareCharts(rows, chartPairs(groups), tol), ['compare.csv'], undefined, [['Errors', `<pre>${escapeHtml(compareTable(rows))}</pre>`]]);
      await writeFilesAtomically(args.out, { 'compare.csv': csv, ...report });
    }
    const failing = rows.filter((r) => r.outside.length > 0);
    if (args.json) console.log(JSON.stringify({ tolerance: tol, rows, notes, ok: failing.length === 0 }, null, 2));
    else if (!args.quiet) {
      console.log(compareTable(rows));
      notes.forEach((n) => console.log(`note: ${n}`));
      console.log('(repetitions, runs named <name>-rN, are averaged and their mean scored; spread: ± half the IOPS range of those repetitions)');
      console.log(failing.length === 0 ? '\nall figures within tolerance' : `\n${failing.length} of ${rows.length} job directions outside tolerance (marked !)`);
      if (args.out) console.log(`compare.csv: ${join(args.out, 'compare.csv')}`);
    }
    if (failing.length > 0) process.exitCode = 1;
  },
};
