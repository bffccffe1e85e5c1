/**
 * Predicted against measured, job by job: pairs jobs by name, computes the error figures
 * per direction, and marks those outside tolerance. Pure.
 */
import type { Results } from '../results/types.js';
import { errorFigures, outside, type ErrorFigures, type Figure, type Tolerance } from './errors.js';

export interface ComparisonRow {
  source: string;
  job: string;
  direction: 'read' | 'write';
  measuredIops: number;
  predictedIops: number;
  errors: ErrorFigures;
  outside: Figure[];
}

export function compareResults(source: string, measured: Results, predicted: Results, nameOf: (measuredName: string) => string, tol: Tolerance): { rows: ComparisonRow[]; unpaired: string[] } {
  const rows: ComparisonRow[] = [];
  const unpaired: string[] = [];
  for (const m of measured.jobs) {
    if (m.name === 'All clients') continue;
    const p = predicted.jobs.find((j) => j.name === nameOf(m.name));
    if (!p) {
      unpaired.push(m.name);
      continue;
    }
    for (const direction of ['read', 'write'] as const) {
      if (m[direction].totalIos === 0) continue;
      const errors = errorFigures(p[direction], m[direction]);
      rows.push({ source, job: m.name, direction, measuredIops: m[direction].iops, predictedIops: p[direction].iops, errors, outside: outside(errors, tol) });
    }
  }
  return { rows, unpaired };
}
