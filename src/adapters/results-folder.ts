/** The files of a results folder: fio.json, the CSVs, and a copy of the scenario. */
import type { Results } from '../results/types.js';
import { renderFioJson } from '../fio/json-writer.js';
import { devicesCsv, poolsCsv, summaryCsv, timelineCsv, volumesCsv } from '../report/csv.js';
import { writeFilesAtomically } from './write-files.js';

export function resultFiles(results: Results, scenarioText?: string): Record<string, string> {
  const files: Record<string, string> = {
    'fio.json': renderFioJson(results),
    'summary.csv': summaryCsv(results),
    'devices.csv': devicesCsv(results),
    'volumes.csv': volumesCsv(results),
    'timeline.csv': timelineCsv(results),
  };
  if ((results.pools ?? []).length > 0) files['pools.csv'] = poolsCsv(results);
  if (scenarioText !== undefined) files['scenario.yaml'] = scenarioText;
  return files;
}

export function writeResults(dir: string, results: Results, scenarioText?: string): Promise<string[]> {
  return writeFilesAtomically(dir, resultFiles(results, scenarioText));
}
