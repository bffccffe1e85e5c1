/**
 * A scenario's workloads as one fio job file: one section per job and replica, named as
 * in simulated results, so measured and simulated jobs pair by name.
 *
 *   [global]  direct, time_based, runtime, ramp_time, randseed
 *   a job's own runtime, ramp_time, norandommap, randrepeat, randseed where they differ
 *   [db.0.oltp]  new_group + group_reporting (numjobs clones reported together, jobs apart)
 *   a traced job: read_iolog of the log blocksim converted (read_iolog_chunked keeps fio
 *   from loading a long log whole), replay_redirect to the target, replay_no_stall when closed
 *
 * Each option's value is rendered by the option table (scenario/option-table.ts) from the
 * validated scenario in base units, never copied from user text, so no option can be
 * injected; targets are checked here too. Options that run commands or write elsewhere
 * (exec_*, write_*log, ...) are never produced.
 */
import type { JobSpec, Scenario } from '../scenario/types.js';
import { renderJobOptions } from '../scenario/option-table.js';
import type { Issue } from '../scenario/issues.js';
import { jobName } from '../results/names.js';
import { replayKey } from './replay-iolog.js';

export type Targets = Record<string, string>;

/** Characters that would end or split a fio option value, or separate fio file names. */
const UNSAFE = /[\n\r=;:]/;

/** A folder the replay iologs go to must give paths fio can take as one read_iolog value. */
export function checkReplayDir(dir: string): Issue[] {
  return UNSAFE.test(dir) ? [{ path: 'replay iolog folder', message: `fio would split the path ${JSON.stringify(dir)} at a newline, "=", ";" or ":"; write the job file elsewhere` }] : [];
}

export function checkTargets(scenario: Scenario, targets: Targets): Issue[] {
  const issues: Issue[] = [];
  const names = new Set(scenario.volumes.map((v) => v.name));
  for (const [volume, path] of Object.entries(targets)) {
    if (!names.has(volume)) issues.push({ path: `--target ${volume}`, message: `no volume named ${JSON.stringify(volume)} (volumes: ${[...names].join(', ')})` });
    if (path === '' || UNSAFE.test(path)) issues.push({ path: `--target ${volume}`, message: `a target path may not be empty or contain a newline, "=", ";" or ":", got ${JSON.stringify(path)}` });
  }
  return issues;
}

/** The scenario's phases in order (one unnamed phase without phases), with the snapshots taken as each starts. */
function phasesOf(scenario: Scenario): { name: string | undefined; index: number; snapshotsBefore: string[] }[] {
  const starts = new Map<string | undefined, number>();
  for (const c of scenario.containers) for (const j of c.jobs) if (!starts.has(j.phase)) starts.set(j.phase, j.phaseStartUs ?? 0);
  const ordered = [...starts].sort((a, b) => a[1] - b[1]);
  return ordered.map(([name, startUs], index) => ({
    name,
    index,
    snapshotsBefore: name === undefined ? [] : scenario.volumes.filter((v) => v.snapshots?.atUs.includes(startUs) && startUs > 0).map((v) => v.name),
  }));
}

function replayLogOf(logs: Record<string, string>, container: string, job: JobSpec): string {
  const path = logs[replayKey(container, job)];
  if (path === undefined) throw new Error(`no replay iolog for traced job ${replayKey(container, job)}: write them with writeReplayLogs first`);
  if (UNSAFE.test(path)) throw new Error(`the replay iolog path ${JSON.stringify(path)} has a character fio would split at`);
  return path;
}

/** Default target of a volume without --target: a file named after it in the working folder. */
export function defaultTarget(volume: string): string {
  return `${volume}.blocksim.dat`;
}

/**
 * `replayLogs`: the iolog each traced job replays, by replayKey (fio/replay-iolog.ts);
 * a scenario with traced jobs needs them (adapters/replay-log.ts writes them).
 */
export function renderJobFile(scenario: Scenario, targets: Targets = {}, replayLogs: Record<string, string> = {}): string {
  const lines = [
    `; blocksim job file for scenario ${scenario.name} (seed ${scenario.seed})`,
    '; job names match blocksim run results: <container>.<replica>.<job>',
    '[global]',
    'direct=1',
    'time_based=1',
    `runtime=${Math.round(scenario.durationUs)}us`,
    `ramp_time=${Math.round(scenario.rampUs)}us`,
    `randseed=${scenario.seed}`,
    '',
  ];
  for (const phase of phasesOf(scenario)) {
    if (phase.snapshotsBefore.length > 0) lines.push(`; before phase ${phase.name}: take a snapshot of ${phase.snapshotsBefore.join(', ')} (fio cannot; run the phases as separate fio runs with --section)`);
    let first = phase.name !== undefined && phase.index > 0;
    for (const c of scenario.containers) {
      for (let replica = 0; replica < c.replicas; replica++) {
        for (const job of c.jobs) {
          if (job.phase !== phase.name) continue;
          lines.push(`[${jobName(c.name, replica, c.replicas, job.name, job.phase)}]`);
          if (first) lines.push('stonewall');
          first = false;
          const target = targets[job.volume] ?? defaultTarget(job.volume);
          const iolog = job.trace ? replayLogOf(replayLogs, c.name, job) : undefined;
          for (const [k, v] of renderJobOptions(job, { scenario, filename: target, ...(iolog !== undefined ? { iolog } : {}) })) lines.push(`${k}=${v}`);
          lines.push('');
        }
      }
    }
  }
  return `${lines.join('\n')}`;
}
