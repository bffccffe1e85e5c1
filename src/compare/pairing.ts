/**
 * Which measured job a prediction is for, and which measured runs are repetitions of one
 * another: the one place compare, its charts and profile predictions pair jobs.
 *
 *   measured job ──map (--map measured=predicted)──┐
 *                └──nameOf (same name, or the name a profile prediction gives it)──┴─▶ predicted job
 *   pairs ──grouped──▶ repetitions: runs or jobs named with a repetition suffix (-r1, -r2),
 *                      the same predicted job, the same names once the suffix is removed,
 *                      none marked apart
 *
 * A map entry's measured side names a job (`w`), a run (its file, `after-qd16`: every job
 * in it) or both (`after-qd16:w`); a repetition suffix may be left out (`after-qd16`
 * matches `after-qd16-r1`). Runs are never repetitions because their options are equal:
 * runs before and after a snapshot have the same options. Pure.
 */
import type { DirectionResult, JobResult, Results } from '../results/types.js';
import { poolDirections } from './measured-points.js';

export interface NameMapEntry {
  measured: string;
  predicted: string;
}

export interface JobPair {
  /** The measured run (file name without .json, as loaded). */
  file: string;
  measured: JobResult;
  /** fio's global options of the measured run. */
  global: Record<string, string>;
  predicted: JobResult;
}

/** Measured repetitions of one predicted job, scored as their mean. */
export interface PairGroup {
  files: string[];
  job: string;
  measured: JobResult[];
  global: Record<string, string>;
  predicted: JobResult;
}

const ALL_CLIENTS = 'All clients';

/** A name without its repetition suffix: `qd16-r2` → `qd16`. */
export const repetitionStem = (name: string): string => name.replace(/-r\d+$/, '');

/** Parses `measured=predicted` entries; returns the bad ones as messages. */
export function parseNameMap(entries: string[]): { map: NameMapEntry[]; bad: string[] } {
  const map: NameMapEntry[] = [];
  const bad: string[] = [];
  for (const e of entries) {
    const i = e.indexOf('=');
    if (i <= 0 || i === e.length - 1) bad.push(`${JSON.stringify(e)}: expected MEASURED=PREDICTED (a measured job, run or run:job = a predicted job name)`);
    else map.push({ measured: e.slice(0, i), predicted: e.slice(i + 1) });
  }
  return { map, bad };
}

function names(file: string, job: string): string[] {
  const f = [file, repetitionStem(file)];
  const j = [job, repetitionStem(job)];
  return [...f.flatMap((x) => j.map((y) => `${x}:${y}`)), ...f, ...j];
}

/** The predicted name a map gives a measured job, the most specific entry first: run:job, run, job. */
function mapped(file: string, job: string, map: NameMapEntry[]): string | undefined {
  for (const n of names(file, job)) {
    const e = map.find((m) => m.measured === n);
    if (e) return e.predicted;
  }
  return undefined;
}

/** Pairs the jobs of one measured run with predicted jobs; names the jobs left unpaired. */
export function pairJobs(file: string, measured: Results, predicted: Results, nameOf: (measuredName: string) => string, map: NameMapEntry[] = []): { pairs: JobPair[]; unpaired: string[] } {
  const pairs: JobPair[] = [];
  const unpaired: string[] = [];
  for (const m of measured.jobs) {
    if (m.name === ALL_CLIENTS) continue;
    const target = mapped(file, m.name, map) ?? nameOf(m.name);
    const p = predicted.jobs.find((j) => j.name === target);
    if (p) pairs.push({ file, measured: m, global: measured.globalOptions, predicted: p });
    else unpaired.push(m.name);
  }
  return { pairs, unpaired };
}

/** True when the user marked this run or job apart (never pooled with its namesakes). */
function isApart(p: JobPair, apart: string[]): boolean {
  return apart.some((a) => a === p.file || a === p.measured.name || a === `${p.file}:${p.measured.name}`);
}

const REPETITION = /-r\d+$/;

/** Repetitions grouped, in the order first seen: only runs or jobs named as repetitions (`-rN`) are pooled. */
export function groupRepetitions(pairs: JobPair[], apart: string[] = []): PairGroup[] {
  const groups = new Map<string, PairGroup>();
  pairs.forEach((p, i) => {
    const named = REPETITION.test(p.file) || REPETITION.test(p.measured.name);
    const key = !named || isApart(p, apart) ? `alone ${i}` : [p.predicted.name, repetitionStem(p.file), repetitionStem(p.measured.name)].join('\u0000');
    const g = groups.get(key);
    if (g) {
      g.files.push(p.file);
      g.measured.push(p.measured);
    } else groups.set(key, { files: [p.file], job: p.measured.name, measured: [p.measured], global: p.global, predicted: p.predicted });
  });
  return [...groups.values()];
}

/** The mean of a group's repetitions in one direction (rates averaged, latencies of all I/Os); undefined without I/O. */
export function pooledDirection(g: PairGroup, dir: 'read' | 'write'): DirectionResult | undefined {
  const ds = g.measured.map((m) => m[dir]).filter((d) => d.totalIos > 0);
  return ds.length === g.measured.length && ds.length > 0 ? poolDirections(ds) : undefined;
}

/** (max − min) / mean of the repetitions' IOPS in one direction; 0 with one run. */
export function repetitionSpread(g: PairGroup, dir: 'read' | 'write'): number {
  const v = g.measured.map((m) => m[dir].iops);
  if (v.length < 2) return 0;
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return mean > 0 ? (Math.max(...v) - Math.min(...v)) / mean : 0;
}

/** How a group is named in tables: its run (or runs' common stem with the count) and job. */
export function groupSource(g: PairGroup): string {
  return g.files.length === 1 ? g.files[0]! : `${repetitionStem(g.files[0]!)} (mean of ${g.files.length})`;
}
