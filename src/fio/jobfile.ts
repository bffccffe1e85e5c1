/**
 * A scenario's workloads as one fio job file: one section per job and replica, named as
 * in simulated results, so measured and simulated jobs pair by name.
 *
 *   [global]  direct, time_based, runtime, ramp_time, randseed
 *   a job's own runtime, ramp_time, norandommap, randrepeat, randseed where they differ
 *   [db.0.oltp]  new_group + group_reporting (numjobs clones reported together, jobs apart)
 *   a traced job: read_iolog of the log blocksim converted, replay_redirect to the target
 *
 * Values are rendered from the validated scenario in base units, never copied from user
 * text, so no option can be injected; targets are checked here too. Options that run
 * commands or write elsewhere (exec_*, write_*log, ...) are never produced.
 */
import type { JobSpec, Scenario, BlockSizeMix } from '../scenario/types.js';
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

function mixText(mix: BlockSizeMix): string {
  if (mix.sizesBytes.length === 1) return String(mix.sizesBytes[0]);
  let prev = 0;
  return mix.sizesBytes
    .map((size, i) => {
      const pct = (mix.cumulative[i]! - prev) * 100;
      prev = mix.cumulative[i]!;
      return `${size}/${Number(pct.toFixed(4))}`;
    })
    .join(':');
}

const sameMix = (a: BlockSizeMix, b: BlockSizeMix): boolean => mixText(a) === mixText(b);

function jobOptions(job: JobSpec, filename: string, scenario: Scenario): [string, string][] {
  const o: [string, string][] = [
    ['filename', filename],
    ['rw', job.rw === 'rw' ? 'rw' : job.rw],
  ];
  if (job.rw === 'rw' || job.rw === 'randrw') o.push(['rwmixread', String(Number((job.readRatio * 100).toFixed(4)))]);
  const single = job.bs.read.sizesBytes.length === 1 && job.bs.write.sizesBytes.length === 1;
  if (single) o.push(['bs', sameMix(job.bs.read, job.bs.write) ? mixText(job.bs.read) : `${mixText(job.bs.read)},${mixText(job.bs.write)}`]);
  else o.push(['bssplit', sameMix(job.bs.read, job.bs.write) ? mixText(job.bs.read) : `${mixText(job.bs.read)},${mixText(job.bs.write)}`]);
  o.push(['ioengine', job.ioengine], ['iodepth', String(job.iodepth)], ['numjobs', String(job.numjobs)]);
  o.push(['offset', String(job.spanOffsetBytes)], ['size', String(job.spanSizeBytes)]);
  if (job.rateIops) o.push(['rate_iops', `${job.rateIops.read},${job.rateIops.write}`], ['rate_process', job.rateProcess]);
  if (job.thinktimeUs > 0) o.push(['thinktime', `${Math.round(job.thinktimeUs)}us`], ['thinktime_blocks', String(job.thinktimeBlocks)]);
  if (job.distribution.kind === 'zipf') o.push(['random_distribution', `zipf:${job.distribution.theta}`]);
  o.push(...windowOptions(job, scenario));
  if (!job.randomMap) o.push(['norandommap', '1']);
  if (!job.randrepeat) o.push(['randrepeat', '0']);
  if (job.randseed !== undefined) o.push(['randseed', String(job.randseed)]);
  o.push(['new_group', '1'], ['group_reporting', '1']);
  return o;
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

function windowOptions(job: JobSpec, scenario: Scenario): [string, string][] {
  const o: [string, string][] = [];
  const startdelayUs = job.startdelayUs - (job.phaseStartUs ?? 0); // a phase starts after the previous one (stonewall)
  if (startdelayUs > 0) o.push(['startdelay', `${Math.round(startdelayUs)}us`]);
  if (job.runtimeUs !== scenario.durationUs) o.push(['runtime', `${Math.round(job.runtimeUs)}us`]);
  if (job.rampUs !== scenario.rampUs) o.push(['ramp_time', `${Math.round(job.rampUs)}us`]);
  return o;
}

/**
 * A traced job replays the iolog blocksim wrote for it (adapters/replay-log.ts), redirected
 * onto the target; read_iolog_chunked keeps fio from loading a long log whole; closed loop
 * is replay_no_stall. Its I/Os, sizes and times are the log's: no rw, bs, offset or size.
 */
function replayOptions(job: JobSpec, filename: string, iolog: string, scenario: Scenario): [string, string][] {
  const o: [string, string][] = [
    ['filename', filename],
    ['read_iolog', iolog],
    ['read_iolog_chunked', '1'],
    ['replay_redirect', filename],
  ];
  if (job.trace!.mode === 'closed') o.push(['replay_no_stall', '1']);
  o.push(['ioengine', job.ioengine], ['iodepth', String(job.iodepth)], ['numjobs', String(job.numjobs)]);
  o.push(...windowOptions(job, scenario), ['new_group', '1'], ['group_reporting', '1']);
  return o;
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
          const options = job.trace ? replayOptions(job, target, replayLogOf(replayLogs, c.name, job), scenario) : jobOptions(job, target, scenario);
          for (const [k, v] of options) lines.push(`${k}=${v}`);
          lines.push('');
        }
      }
    }
  }
  return `${lines.join('\n')}`;
}
