/**
 * A results folder: fio.json, the CSVs, results.json (to rebuild reports), the scenario,
 * charts/*.vl.json and report.html.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Results } from '../results/types.js';
import { renderFioJson } from '../fio/json-writer.js';
import { devicesCsv, poolsCsv, resourcesCsv, summaryCsv, timelineCsv, timelineCsvChunks, volumesCsv } from '../report/csv.js';
import { runCharts, type ChartSpec } from '../report/charts.js';
import { renderSvg } from '../report/render.js';
import { renderHtml } from '../report/html.js';
import { replaySections } from '../report/replay-notes.js';
import { checkWritableFolder, writeFilesAtomically, type FileContent } from './write-files.js';
import { InputError } from '../scenario/issues.js';

export function resultFiles(results: Results, scenarioText?: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, produce] of Object.entries(resultFileProducers(results, scenarioText))) out[name] = produce();
  return out;
}

/** The data files of a results folder, each as a function that renders it. */
function resultFileProducers(results: Results, scenarioText?: string): Record<string, () => string> {
  const files: Record<string, () => string> = {
    'fio.json': () => renderFioJson(results),
    'summary.csv': () => summaryCsv(results),
    'devices.csv': () => devicesCsv(results),
    'volumes.csv': () => volumesCsv(results),
    'timeline.csv': () => timelineCsv(results),
  };
  if ((results.pools ?? []).length > 0) files['pools.csv'] = () => poolsCsv(results);
  if (results.source === 'simulated' && results.devices.length > 0) files['resources.csv'] = () => resourcesCsv(results);
  if (scenarioText !== undefined) files['scenario.yaml'] = () => scenarioText;
  return files;
}

/**
 * Results as JSON that `blocksim report` reads back: compact (a 1,000-job run's figures
 * over time would triple in size indented), and a pool that never fills keeps its
 * Infinity as a string. No replacer function: it would run once per value. The figures
 * over time come last, in chunks, so a large run is never held as one string.
 */
export function* resultsJsonChunks(results: Results, rowsPerChunk = 4096): Generator<string> {
  const pools = results.pools?.map((p) => (Number.isFinite(p.fullAtUs) ? p : { ...p, fullAtUs: 'Infinity' }));
  const { timeline, ...rest } = results;
  const head = JSON.stringify(pools ? { ...rest, pools } : rest);
  if (timeline === undefined) {
    yield `${head}\n`;
    return;
  }
  let chunk = `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"timeline":[`;
  for (let i = 0; i < timeline.length; i++) {
    chunk += (i > 0 ? ',' : '') + JSON.stringify(timeline[i]);
    if ((i + 1) % rowsPerChunk === 0) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}]}\n`;
}

export function resultsJson(results: Results): string {
  return [...resultsJsonChunks(results)].join('');
}

export function parseResultsJson(text: string): Results {
  return JSON.parse(text, (_, v) => (v === 'Infinity' ? Infinity : v)) as Results;
}

/** charts/*.vl.json and report.html for results, given the other files of the folder. */
export async function reportFiles(title: string, results: Results, charts: ChartSpec[], otherFiles: string[], scenarioText?: string, sections?: [string, string][]): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const rendered = [];
  for (const c of charts) {
    files[`charts/${c.id}.vl.json`] = `${JSON.stringify(c.spec, null, 2)}\n`;
    rendered.push({ id: c.id, title: c.title, svg: await renderSvg(c) });
  }
  const links = [...otherFiles, ...Object.keys(files)].sort();
  files['report.html'] = renderHtml({ title, results, charts: rendered, files: links, ...(scenarioText !== undefined ? { scenarioText } : {}), ...(sections ? { sections } : {}) });
  return files;
}

/**
 * The results folder of a run. Without a report (`--no-report`), a report.html and chart
 * specs left from an earlier run are removed: they would describe other results.
 */
export async function writeResults(dir: string, results: Results, scenarioText?: string, withReport = true): Promise<string[]> {
  // Each file is produced when it is written (see writeFilesAtomically): a 1,000-job run
  // never holds all of its files in memory at once.
  const data: Record<string, FileContent> = {};
  for (const [name, produce] of Object.entries(resultFileProducers(results, scenarioText))) data[name] = produce;
  data['timeline.csv'] = () => timelineCsvChunks(results);
  data['results.json'] = () => resultsJsonChunks(results);
  if (!withReport) {
    const written = await writeFilesAtomically(dir, data);
    await Promise.all([rm(join(dir, 'report.html'), { force: true }), rm(join(dir, 'charts'), { recursive: true, force: true })]);
    return written;
  }
  const title = `blocksim report: ${results.scenario ?? 'results'}`;
  const report = await reportFiles(title, results, runCharts(results), Object.keys(data), scenarioText, replaySections(results));
  return writeFilesAtomically(dir, { ...data, ...report });
}

/** Rebuilds the report of a results folder from its results.json (and scenario.yaml). */
export async function rebuildReport(dir: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(join(dir, 'results.json'), 'utf8');
  } catch {
    throw new InputError(dir, [{ path: '', message: 'no results.json here: expected a folder written by blocksim run or blocksim fio run' }]);
  }
  checkWritableFolder(dir);
  const results = parseResultsJson(text);
  const scenarioText = await readFile(join(dir, 'scenario.yaml'), 'utf8').catch(() => undefined);
  const others = ['fio.json', 'summary.csv', 'devices.csv', 'volumes.csv', 'timeline.csv', 'results.json', ...(scenarioText !== undefined ? ['scenario.yaml'] : [])];
  const report = await reportFiles(`blocksim report: ${results.scenario ?? 'results'}`, results, runCharts(results), others, scenarioText, replaySections(results));
  return writeFilesAtomically(dir, report);
}
