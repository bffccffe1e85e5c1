/**
 * Predicted against measured, job by job: measured jobs paired with predictions
 * (compare/pairing.ts), repetitions averaged and their mean scored, the error figures per
 * direction, and those outside tolerance marked. Pure.
 */
import { errorFigures, outside, type ErrorFigures, type Figure, type Tolerance } from './error-figures.js';
import { groupSource, pooledDirection, repetitionSpread, type PairGroup } from './pairing.js';

export interface ComparisonRow {
  /** The measured run, or the repetitions' common name and their count. */
  source: string;
  job: string;
  direction: 'read' | 'write';
  /** Mean over the repetitions. */
  measuredIops: number;
  predictedIops: number;
  errors: ErrorFigures;
  outside: Figure[];
  /** Runs averaged into this row. */
  repetitions: number;
  /** IOPS spread of the repetitions, (max − min) / mean; 0 with one run. */
  measuredSpread: number;
}

export function compareGroups(groups: PairGroup[], tol: Tolerance): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  for (const g of groups) {
    for (const direction of ['read', 'write'] as const) {
      const m = pooledDirection(g, direction);
      if (!m) continue;
      const errors = errorFigures(g.predicted[direction], m);
      rows.push({ source: groupSource(g), job: g.job, direction, measuredIops: m.iops, predictedIops: g.predicted[direction].iops, errors, outside: outside(errors, tol), repetitions: g.measured.length, measuredSpread: repetitionSpread(g, direction) });
    }
  }
  return rows;
}
