/**
 * The results folder of a measurement in pods: the same files `blocksim fio run` writes
 * (job.fio, fio.json, results.json, summary.csv, scenario.yaml, charts, report.html),
 * so `compare` and `regress` read it unchanged, plus each pod's log under pods/.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Scenario } from '../scenario/types.js';
import type { Results } from '../results/types.js';
import { InputError } from '../scenario/issues.js';
import { FioParseError, parseFioJson } from '../fio/parse.js';
import { summaryCsv } from '../report/csv.js';
import { runCharts } from '../report/charts.js';
import { collectPodLogs, type PodLog } from '../k8s/collect.js';
import { reportFiles, resultsJson } from './results-folder.js';
import { writeFilesAtomically } from './write-files.js';

export interface MeasuredRun {
  scenario: Scenario;
  scenarioText: string;
  /** The whole job file as the pods ran it (all replicas). */
  jobFile: string;
  logs: PodLog[];
  /** Saved beside the results as pods/<name>.log. */
  saveLogs: boolean;
  title: string;
}

/** Merges the logs and writes the folder; throws InputError with every problem in the logs. */
export async function writeMeasuredResults(dir: string, run: MeasuredRun): Promise<Results> {
  const collected = collectPodLogs(run.scenario, run.logs);
  if (!collected.ok) throw new InputError('pod logs', collected.issues);
  let results: Results;
  try {
    results = parseFioJson(collected.fioJson);
  } catch (err) {
    if (err instanceof FioParseError) throw new InputError('pod logs', [{ path: 'fio.json', message: err.message }]);
    throw err;
  }
  results.scenario = run.scenario.name;
  results.durationUs = run.scenario.durationUs;
  const data: Record<string, string> = { 'job.fio': run.jobFile, 'fio.json': collected.fioJson, 'results.json': resultsJson(results), 'summary.csv': summaryCsv(results), 'scenario.yaml': run.scenarioText };
  const logs = run.saveLogs ? Object.fromEntries(run.logs.map((l) => [`pods/${l.source}.log`, l.text])) : {};
  const report = await reportFiles(run.title, results, runCharts(results), Object.keys(data), run.scenarioText);
  await writeFilesAtomically(dir, { ...data, ...logs, ...report });
  return results;
}

/** Log files named on the command line: files, or folders whose *.log files are read in name order. */
export async function readPodLogs(paths: string[]): Promise<PodLog[]> {
  const logs: PodLog[] = [];
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = (await stat(p)).isDirectory();
    } catch {
      throw new InputError(p, [{ path: '', message: 'no such file or folder' }]);
    }
    const files = isDir ? (await readdir(p)).filter((f) => f.endsWith('.log')).sort().map((f) => join(p, f)) : [p];
    if (isDir && files.length === 0) throw new InputError(p, [{ path: '', message: 'no *.log files in this folder' }]);
    for (const f of files) logs.push({ source: f.replace(/^.*\//, '').replace(/\.log$/, ''), text: await readFile(f, 'utf8') });
  }
  return logs;
}
