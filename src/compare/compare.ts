/**
 * Predicted against measured, job by job: pairs jobs by name, computes the error figures
 * per direction, and marks those outside tolerance. Pure.
 */
import type { Results } from '../results/types.js';
import { errorFigures, outside, type ErrorFigures, type Figure, type Tolerance } from './error-figures.js';

export interface ComparisonRow {
  source: string;
  job: string;
  direction: 'read' | 'write';
  measuredIops: number;
  predictedIops: number;
  errors: ErrorFigures;
  outside: Figure[];
  /** The measured workload (rw, bs, iodepth, numjobs, direction): repetitions share it. */
  signature: string;
  /** IOPS spread of the repetitions of this workload among the measured runs, (max − min) / median; 0 with one run. */
  measuredSpread: number;
}

/** Fills measuredSpread: an error inside the measurement's own spread is as good as a model can be shown to be. */
export function annotateSpread(rows: ComparisonRow[]): ComparisonRow[] {
  const groups = new Map<string, number[]>();
  for (const r of rows) groups.set(r.signature, [...(groups.get(r.signature) ?? []), r.measuredIops]);
  return rows.map((r) => {
    const v = [...groups.get(r.signature)!].sort((a, b) => a - b);
    const mid = v[Math.floor((v.length - 1) / 2)]!;
    return { ...r, measuredSpread: v.length > 1 && mid > 0 ? (v[v.length - 1]! - v[0]!) / mid : 0 };
  });
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
      const o = m.options;
      // a replay's workload is its iolog (named after the job, in whatever folder) and its mode
      const replay = o.read_iolog === undefined ? '' : `replay ${o.read_iolog.split('/').pop()} ${o.replay_no_stall === '1' ? 'closed' : 'open'}`;
      const signature = [o.rw ?? o.readwrite ?? replay, o.bs ?? o.blocksize, o.iodepth, o.numjobs ?? '1', o.rwmixread ?? '', direction].join('/');
      rows.push({ source, job: m.name, direction, measuredIops: m[direction].iops, predictedIops: p[direction].iops, errors, outside: outside(errors, tol), signature, measuredSpread: 0 });
    }
  }
  return { rows, unpaired };
}
