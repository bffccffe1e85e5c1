/**
 * Calibration: a device profile from any set of fio runs on one device, honest about
 * what the runs determine.
 *
 *   fio runs ──measuredPoints──▶ points (repetitions pooled, spread kept)
 *            ──fitDevice──▶ profile + notes (where each number came from)
 *                                   + undetermined (what was guessed, and why)
 *            ──crossValidate──▶ each point predicted by a profile fitted without it
 *                               (leave-one-out), per figure, beside its repetition spread
 *
 * Cross-validated error is the honest figure: a profile always reproduces the runs it
 * was fitted to better than runs it has not seen.
 */
import { median } from 'simple-statistics';
import { errorFigures } from './error-figures.js';
import { CannotFitError, fitDevice, type DeviceFit } from './fit-device.js';
import { DISTURBED_SHARE, describeDisturbance, measuredPoints, type Dir, type MeasuredInput, type MeasuredPoint } from './measured-points.js';
import { simulatePoint } from './simulate-point.js';

export { empiricalFromBins } from './simulate-point.js';

export interface PointError {
  key: string;
  files: string[];
  direction: Dir;
  /** Signed relative errors; demerit as a share of the measured mean. */
  iops: number;
  p50: number;
  p99: number;
  demerit: number;
  spread?: MeasuredPoint['spread'];
}

export interface CrossValidation {
  errors: PointError[];
  /** Points the fit cannot do without (it has nothing to fit from when they are left out). */
  needed: string[];
  median?: { iops: number; p50: number; p99: number; demerit: number };
}

export interface Fitted extends DeviceFit {
  points: MeasuredPoint[];
  /** Inputs (or jobs) that could not be used, with why. */
  skipped: string[];
  /** Points measured while other processes or the hypervisor took a real share of the cores, said in words. */
  disturbed: string[];
  /** The points simulated with the fitted profile (in-sample). */
  selfCheck: PointError[];
  crossValidation?: CrossValidation;
}

export interface CalibrateOptions {
  /** Pool runs of the same workload as repetitions even when not named so. */
  pool?: 'named' | 'repeat';
  crossValidate?: boolean;
  /** Cores of the machine that ran fio, when the runs carry no host figures. */
  cores?: number;
}

export function calibrate(inputs: MeasuredInput[], options: CalibrateOptions = {}): Fitted {
  const { points, skipped } = measuredPoints(inputs, options.pool ?? 'named');
  const fit = fitDevice(points, options.cores);
  const selfCheck = points.flatMap((p) => pointErrors(fit, p));
  if (selfCheck.length > 0) fit.notes.push(`median |IOPS error| on its own inputs: ${(median(selfCheck.map((e) => Math.abs(e.iops))) * 100).toFixed(1)} %`);
  const out: Fitted = { ...fit, points, skipped, disturbed: disturbedPoints(points), selfCheck };
  if (options.crossValidate !== false && points.length > 1) out.crossValidation = crossValidate(points, options.cores);
  return out;
}

function disturbedPoints(points: MeasuredPoint[]): string[] {
  return points
    .filter((p) => p.disturbed && p.disturbed.share > DISTURBED_SHARE)
    .map((p) => `${p.key} (${p.disturbed!.file}): ${describeDisturbance(p.disturbed!)} of the cores during the run; its figures are slower than the device's (remove its .json and run the same fio sweep again to measure it anew)`);
}

/** A point predicted by a fit: one error row per direction with I/O. */
export function pointErrors(fit: DeviceFit, p: MeasuredPoint, maxIos = 60_000): PointError[] {
  const sim = simulatePoint(fit.device, fit.host, p, maxIos);
  const rows: PointError[] = [];
  for (const d of ['read', 'write'] as const) {
    const m = p.dirs[d];
    if (!m) continue;
    const e = errorFigures(sim[d], m);
    rows.push({ key: p.key, files: p.files, direction: d, iops: e.iops, p50: e.p50, p99: e.p99, demerit: e.demeritPct, ...(p.spread ? { spread: p.spread } : {}) });
  }
  return rows;
}

/** Leave-one-out: each point predicted by the profile fitted from all the others. */
export function crossValidate(points: MeasuredPoint[], cores?: number): CrossValidation {
  const errors: PointError[] = [];
  const needed: string[] = [];
  for (const p of points) {
    let fit: DeviceFit;
    try {
      fit = fitDevice(points.filter((q) => q !== p), cores);
    } catch (err) {
      if (err instanceof CannotFitError) {
        needed.push(p.key);
        continue;
      }
      throw err;
    }
    errors.push(...pointErrors(fit, p));
  }
  const abs = (k: 'iops' | 'p50' | 'p99' | 'demerit'): number => median(errors.map((e) => Math.abs(e[k])).filter(Number.isFinite));
  return { errors, needed, ...(errors.length > 0 ? { median: { iops: abs('iops'), p50: abs('p50'), p99: abs('p99'), demerit: abs('demerit') } } : {}) };
}
