/**
 * One sweep point measured for real: the job file written, fio run (json+), its output
 * checked, and the host's CPU over the run recorded beside it (`<point>.host.json`), so
 * calibration can tell the device's own CPU from fio's and a run under load shows.
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseFioJson } from '../fio/parse.js';
import { renderSweepJob, type SweepGrid, type SweepPoint } from '../fio/sweep.js';
import type { Results } from '../results/types.js';
import { runFio } from './fio-runner.js';
import { waitForQuiet, withHostLoad, type HostLoad } from './host-load.js';
import { disturbance } from '../compare/measured-points.js';

export interface MeasuredRun {
  /** fio's own output, as written. */
  raw: string;
  results: Results;
  host: HostLoad;
}

/** `stop` (an AbortSignal fired with SIGINT or SIGTERM) stops fio and rejects with Interrupted. */
export async function measurePoint(p: SweepPoint, grid: SweepGrid, target: string, workDir: string, stop?: AbortSignal): Promise<MeasuredRun> {
  const jobPath = join(workDir, `${p.name}.fio`);
  const outPath = join(workDir, `${p.name}.json`);
  writeFileSync(jobPath, renderSweepJob(p, grid, target));
  const seconds = (grid.runtimeUs + (grid.rampUs ?? 0)) / 1e6;
  const { load } = await withHostLoad(cpus().length, () => runFio({ jobFile: jobPath, outputFile: outPath, expectedSeconds: seconds, ...(stop ? { stop } : {}) }));
  const raw = readFileSync(outPath, 'utf8');
  const results = parseFioJson(raw); // refuse to store output that cannot be read back
  return { raw, results, host: withUnseenUsers(load, results, p.numjobs) };
}

export interface SteadyOptions {
  /** Runs at most this many times (1: once). */
  attempts: number;
  /** A run whose disturbance (other processes' CPU + hypervisor steal, share of the cores) is above this is repeated. */
  maxDisturbed: number;
  /** Before each attempt, wait (up to `waitMs`) until this share of the cores is idle. */
  waitIdle?: number;
  waitMs?: number;
  /** Told when the wait for idle cores gave up (the idle share last seen); the run goes ahead. */
  onNotQuiet?: (idle: number) => void;
  stop?: AbortSignal;
  /** Told of every attempt: whether it is kept as it stands (undisturbed, or the last). */
  onAttempt?: (run: MeasuredRun, attempt: number, final: boolean) => void;
}

/**
 * `measurePoint`, repeated while the run was disturbed (other processes or the hypervisor
 * took more than `maxDisturbed` of the cores), keeping the least disturbed attempt.
 */
export async function measureUndisturbed(p: SweepPoint, grid: SweepGrid, target: string, workDir: string, opts: SteadyOptions): Promise<MeasuredRun & { attempts: number }> {
  let best: MeasuredRun | undefined;
  let a = 0;
  while (a < Math.max(1, opts.attempts)) {
    a++;
    if (opts.waitIdle !== undefined) {
      const q = await waitForQuiet({ idleShare: opts.waitIdle, sampleMs: 1000, timeoutMs: opts.waitMs ?? 20_000 });
      if (!q.quiet) opts.onNotQuiet?.(q.idle);
    }
    const run = await measurePoint(p, grid, target, workDir, opts.stop);
    const share = disturbance(run.host).share;
    if (!best || share < disturbance(best.host).share) best = run;
    const final = share <= opts.maxDisturbed || a >= opts.attempts || opts.stop?.aborted === true;
    opts.onAttempt?.(run, a, final);
    if (final) break;
  }
  return { ...best!, attempts: a };
}

/**
 * Other processes' share of the cores, counting user time that no process in sight spent:
 * processes of other PID namespaces (containers sharing the machine) are missing from
 * /proc, but their user time is in /proc/stat's. The devices measured here work in the
 * kernel, so user time beyond fio's own is someone else's.
 */
function withUnseenUsers(load: HostLoad, results: Results, numjobs: number): HostLoad {
  if (!load.cpu) return load;
  const fioUser = results.jobs.reduce((s, j) => s + (j.cpu ? (j.cpu.usrPct / 100) * numjobs : 0), 0);
  const unseen = Math.max(0, load.cpu.user * load.cores - fioUser) / load.cores;
  return { ...load, othersCpu: Math.max(load.othersCpu ?? 0, unseen) };
}

/** The host figures file calibrate reads beside `<point>.json`. */
export function hostFile(point: string): string {
  return `${point}.host.json`;
}

export function hostJson(run: MeasuredRun): string {
  return `${JSON.stringify(run.host, null, 2)}\n`;
}
