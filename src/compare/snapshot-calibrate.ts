/**
 * Snapshot calibration: a device profile and a snapshot's first-write cost from fio runs
 * on one target before and after a snapshot, and the error of both on those runs.
 *
 *   runs before ──calibrate──▶ device profile (repetitions named -rN pooled, as usual)
 *   runs before + runs after, in order ──fitSnapshotCost──▶ snapshots.firstWrite
 *   the whole sequence ──predictSequence──▶ each run simulated in order, scored
 *
 * The runs before and after the snapshot are never pooled: the profile sees only the
 * runs before it. The first run after the snapshot fits the first-write cost (with the
 * before run of its workload); the later runs after it are predictions. Pure.
 */
import { calibrate, type Fitted } from './calibrate.js';
import type { MeasuredInput } from './measured-points.js';
import { fitSnapshotCost, SnapshotFitError, type SnapshotFit } from './snapshot-fit.js';
import { predictSequence, type RunPrediction } from './snapshot-predict.js';

export type RunRole = 'profile' | 'first-write fit' | 'predicted';

export interface SnapshotCalibration {
  fit: Fitted;
  snapshot: SnapshotFit;
  /** The snapshot chunk: the block size of the first run after it (fio's bs). */
  chunkBytes: number;
  predictions: (RunPrediction & { role: RunRole })[];
}

/** The block size a run wrote in, bytes (the write side of bs=r,w). */
function blockBytes(run: MeasuredInput): number {
  const job = run.results.jobs.find((j) => j.name !== 'All clients');
  const o = { ...run.results.globalOptions, ...(job?.options ?? {}) };
  const bs = (o.bs ?? o.blocksize ?? '4096').split(',').pop()!.trim();
  const m = /^(\d+)([kmg])?/i.exec(bs);
  if (!m) return 4096;
  return Number(m[1]) * ({ '': 1, k: 1024, m: 2 ** 20, g: 2 ** 30 } as Record<string, number>)[(m[2] ?? '').toLowerCase()]!;
}

export function calibrateSnapshot(before: MeasuredInput[], after: MeasuredInput[], options: { cores?: number; pool?: 'named' | 'repeat' } = {}): SnapshotCalibration {
  const shared = before.filter((b) => after.some((a) => a.file === b.file));
  if (shared.length > 0) throw new SnapshotFitError(`a run cannot be both before and after the snapshot: ${shared.map((s) => s.file).join(', ')}`);
  const fit = calibrate(before, { pool: options.pool ?? 'named', crossValidate: false, ...(options.cores !== undefined ? { cores: options.cores } : {}) });
  const snapshot = fitSnapshotCost(before, after);
  const chunkBytes = blockBytes(after[0]!);
  const steps = [...before.map((run) => ({ kind: 'run' as const, run })), { kind: 'snapshot' as const }, ...after.map((run) => ({ kind: 'run' as const, run }))];
  const predicted = predictSequence(fit.device, fit.host, steps, { chunkBytes, firstWrite: snapshot.firstWrite });
  const predictions = predicted.map((p, i) => ({ ...p, role: (i < before.length ? 'profile' : i === before.length ? 'first-write fit' : 'predicted') as RunRole }));
  return { fit, snapshot, chunkBytes, predictions };
}
