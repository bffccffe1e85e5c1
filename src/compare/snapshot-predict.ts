/**
 * A sequence of fio runs on one target with snapshots between them, simulated in order on
 * one volume: the runs as phases of one job (fio's randrepeat gives every run the same
 * offsets, whatever its depth, so the simulated job must be one job whose random streams
 * repeat from phase to phase), a snapshot phase where the user took one. Each run's
 * prediction is then scored against its measurement.
 *
 *   runs, snapshots ──rebuildJob──▶ phases of job c.w ──simulate──▶ c.w@<run> ──▶ error per run
 *
 * The volume keeps its first-write state across phases, so a run after another pays only
 * for the chunks the earlier runs since the snapshot did not write. Pure.
 */
import type { DirectionResult } from '../results/types.js';
import { normalizeScenario } from '../scenario/normalize.js';
import { formatIssue } from '../scenario/issues.js';
import { simulate } from '../model/simulate.js';
import { errorFigures } from './error-figures.js';
import { rebuildJob } from './fio-workload.js';
import type { Dir } from './measured-points.js';
import type { FirstWriteFit, SnapshotRun } from './snapshot-fit.js';

export type SequenceStep = { kind: 'run'; run: SnapshotRun } | { kind: 'snapshot' };

export interface RunPrediction {
  file: string;
  phase: string;
  direction: Dir;
  measured: DirectionResult;
  predicted: DirectionResult;
  /** Signed relative errors, (predicted − measured) / measured. */
  iops: number;
  p50: number;
  p99: number;
}

export class SequenceError extends Error {}

/** Snapshot settings of the simulated volume; chunk: fio's block size of the runs (4 KiB on btrfs). */
export interface SequenceVolume {
  chunkBytes: number;
  firstWrite: FirstWriteFit;
}

/** A phase name from a run's file name (letters, digits, - and _), unique in the sequence. */
function phaseNames(files: string[]): string[] {
  const seen = new Map<string, number>();
  return files.map((f) => {
    const base = (f.split('/').pop() ?? f).replace(/\.json$/, '').replace(/[^A-Za-z0-9_-]/g, '_').replace(/^[^A-Za-z0-9]+/, '').slice(0, 56) || 'run';
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  });
}

function theJob(run: SnapshotRun): { job: Record<string, unknown>; durationUs: number; rampUs: number } {
  const jobs = run.results.jobs.filter((j) => j.name !== 'All clients');
  if (jobs.length !== 1) throw new SequenceError(`${run.file}: expected one fio job, found ${jobs.length}`);
  const r = rebuildJob(jobs[0]!, run.results.globalOptions);
  if (!r.ok) throw new SequenceError(`${run.file}: ${r.reason}`);
  return r;
}

/** The scenario that replays the sequence: one volume, one job, a phase per run or snapshot. */
export function sequenceScenario(device: Record<string, unknown>, host: { cores: number } | undefined, steps: SequenceStep[], volume: SequenceVolume): { scenario: Record<string, unknown>; phases: string[] } {
  const runs = steps.flatMap((s) => (s.kind === 'run' ? [s.run] : []));
  if (runs.length === 0) throw new SequenceError('no runs to simulate');
  const names = phaseNames(runs.map((r) => r.file));
  const jobs = runs.map(theJob);
  const fw = volume.firstWrite;
  const firstWrite: Record<string, unknown> = { submit: `${fw.submitUs}us`, background: `${fw.backgroundUs}us`, device: `${fw.deviceUs}us` };
  if (fw.stall) firstWrite.stall = { every: fw.stall.every, duration: `${fw.stall.durationUs}us` };
  let k = 0;
  const phases = steps.map((s) => {
    if (s.kind === 'snapshot') return { snapshot: 'v' };
    const i = k++;
    return { name: names[i], duration: `${jobs[i]!.durationUs}us`, ramp: `${jobs[i]!.rampUs}us`, jobs: { 'c.w': jobs[i]!.job } };
  });
  const scenario = {
    name: 'snapshot-sequence', seed: 1, duration: `${jobs[0]!.durationUs}us`,
    ...(host ? { host } : {}),
    devices: { dev: device },
    volumes: { v: { device: 'dev', size: '1TiB', ...(steps.some((s) => s.kind === 'snapshot') ? { snapshots: { chunk: volume.chunkBytes, mode: 'row', firstWrite } } : {}) } },
    containers: { c: { volumes: ['v'], jobs: { w: jobs[0]!.job } } },
    phases,
  };
  return { scenario, phases: names };
}

/** Simulates the sequence and scores every run, in order, on its main direction. */
export function predictSequence(device: Record<string, unknown>, host: { cores: number } | undefined, steps: SequenceStep[], volume: SequenceVolume): RunPrediction[] {
  const { scenario, phases } = sequenceScenario(device, host, steps, volume);
  const r = normalizeScenario(scenario);
  if (!r.ok) throw new SequenceError(`the sequence does not make a valid scenario: ${r.issues.map(formatIssue).join('; ')}`);
  const results = simulate(r.scenario);
  const runs = steps.flatMap((s) => (s.kind === 'run' ? [s.run] : []));
  return runs.map((run, i) => {
    const sim = results.jobs.find((j) => j.name === `c.w@${phases[i]}`);
    if (!sim) throw new Error(`the simulation has no job c.w@${phases[i]}`);
    const m = run.results.jobs.find((j) => j.name !== 'All clients')!;
    const direction: Dir = m.write.iops >= m.read.iops ? 'write' : 'read';
    const e = errorFigures(sim[direction], m[direction]);
    return { file: run.file, phase: phases[i]!, direction, measured: m[direction], predicted: sim[direction], iops: e.iops, p50: e.p50, p99: e.p99 };
  });
}
