/** The files of a results folder: fio.json, summary.csv, devices.csv, scenario copy. */
import type { Results } from '../results/types.js';
import { renderFioJson } from '../fio/json-writer.js';
import { devicesCsv, summaryCsv } from '../report/csv.js';
import { writeFilesAtomically } from './write-files.js';

export function resultFiles(results: Results, scenarioText?: string): Record<string, string> {
  const files: Record<string, string> = {
    'fio.json': renderFioJson(results),
    'summary.csv': summaryCsv(results),
    'devices.csv': devicesCsv(results),
  };
  if (scenarioText !== undefined) files['scenario.yaml'] = scenarioText;
  return files;
}

export function writeResults(dir: string, results: Results, scenarioText?: string): Promise<string[]> {
  return writeFilesAtomically(dir, resultFiles(results, scenarioText));
}
