/**
 * A results folder: fio.json, the CSVs, results.json (to rebuild reports), the scenario,
 * charts/*.vl.json and report.html.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Results } from '../results/types.js';
import { renderFioJson } from '../fio/json-writer.js';
import { devicesCsv, poolsCsv, resourcesCsv, summaryCsv, timelineCsv, volumesCsv } from '../report/csv.js';
import { runCharts, type ChartSpec } from '../report/charts.js';
import { renderSvg } from '../report/render.js';
import { renderHtml } from '../report/html.js';
import { writeFilesAtomically } from './write-files.js';
import { InputError } from '../scenario/issues.js';

export function resultFiles(results: Results, scenarioText?: string): Record<string, string> {
  const files: Record<string, string> = {
    'fio.json': renderFioJson(results),
    'summary.csv': summaryCsv(results),
    'devices.csv': devicesCsv(results),
    'volumes.csv': volumesCsv(results),
    'timeline.csv': timelineCsv(results),
  };
  if ((results.pools ?? []).length > 0) files['pools.csv'] = poolsCsv(results);
  if (results.source === 'simulated' && results.devices.length > 0) files['resources.csv'] = resourcesCsv(results);
  if (scenarioText !== undefined) files['scenario.yaml'] = scenarioText;
  return files;
}

/** Results as JSON that `blocksim report` reads back (Infinity kept as a string). */
export function resultsJson(results: Results): string {
  return `${JSON.stringify(results, (_, v) => (v === Infinity ? 'Infinity' : v), 2)}\n`;
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

export async function writeResults(dir: string, results: Results, scenarioText?: string): Promise<string[]> {
  const data = { ...resultFiles(results, scenarioText), 'results.json': resultsJson(results) };
  const title = `blocksim report: ${results.scenario ?? 'results'}`;
  const report = await reportFiles(title, results, runCharts(results), Object.keys(data), scenarioText);
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
  const results = parseResultsJson(text);
  const scenarioText = await readFile(join(dir, 'scenario.yaml'), 'utf8').catch(() => undefined);
  const others = ['fio.json', 'summary.csv', 'devices.csv', 'volumes.csv', 'timeline.csv', 'results.json', ...(scenarioText !== undefined ? ['scenario.yaml'] : [])];
  const report = await reportFiles(`blocksim report: ${results.scenario ?? 'results'}`, results, runCharts(results), others, scenarioText);
  return writeFilesAtomically(dir, report);
}
