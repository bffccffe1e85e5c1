/**
 * A fio job (its "job options" over the "global options") as a typed scenario job, so
 * any fio result can be predicted from a device profile. Each option is read back as the
 * option table says (scenario/option-table.ts): carried into the job and typed by its
 * own parser, ignored, or refused; anything that changes what fio measured and that the
 * model cannot follow makes the job unpredictable, with the reason. The jobs then run on
 * the profile's device (scenario/on-device.ts), with no scenario text in between.
 */
import type { JobResult, Results } from '../results/types.js';
import { parseDuration } from '../scenario/units.js';
import { fioBytes, fioOption } from '../scenario/option-table.js';
import { parseJobOptions, type DeviceScenario, type ParsedJob } from '../scenario/on-device.js';

/**
 * `job`: the carried options as scenario values (sizes in bytes, counts as numbers), as
 * fio named them in the scenario's words; `parsed`: the same, typed by each option's parser.
 */
export type Rebuilt = { ok: true; job: Record<string, unknown>; parsed: ParsedJob; durationUs: number; rampUs: number } | { ok: false; reason: string };

/** fio time values: bare numbers are seconds for runtime and ramp_time. */
function fioSeconds(v: string | undefined, fallbackUs: number): number {
  if (v === undefined) return fallbackUs;
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1e6;
  const p = parseDuration(v);
  return p.ok ? p.value : fallbackUs;
}

/** Each option read back as the option table says (in a replay, its replay rule); the first one refused stops it. */
function readOptions(o: Record<string, string>, replay: boolean): { ok: true; values: Record<string, unknown> } | { ok: false; reason: string } {
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    const option = fioOption(k);
    const rule = replay ? option?.replay : option?.measured;
    if (!option || !rule || rule.kind === 'refused') return { ok: false, reason: `the fio option ${k}=${v} is not modeled${replay ? ' in a replay' : ''}` };
    if (rule.kind === 'read') values[option.name] = rule.read(v);
  }
  return { ok: true, values };
}

/**
 * A replay of an iolog (read_iolog) as a traced job: the log's path as fio was given it
 * (relative to where fio ran), replay_no_stall as closed loop, replay_time_scale as speed.
 */
function rebuildReplay(o: Record<string, string>): Rebuilt {
  const r = readOptions(o, true);
  if (!r.ok) return r;
  const { read_iolog: file, replay_no_stall: noStall, replay_time_scale: scale, ...rest } = r.values;
  const trace: Record<string, unknown> = { file, mode: noStall === '1' ? 'closed' : 'open' };
  if (scale !== undefined) trace.speed = Number(scale) / 100;
  const job = { trace, ...rest };
  return { ok: true, job, parsed: parseJobOptions(job), durationUs: fioSeconds(o.runtime, 3600e6), rampUs: fioSeconds(o.ramp_time, 0) };
}

export function rebuildJob(job: JobResult, global: Record<string, string>): Rebuilt {
  const o = { ...global, ...job.options };
  if (o.direct !== undefined && o.direct !== '1') return { ok: false, reason: 'buffered I/O (direct=0) is not modeled' };
  if (o.read_iolog !== undefined) return rebuildReplay(o);
  const r = readOptions(o, false);
  if (!r.ok) return r;
  const out = r.values;
  if (out.rw === undefined) out.rw = 'read';
  if (out.rw === 'trim' || String(out.rw).includes('trim')) return { ok: false, reason: 'trim is not modeled' };
  if (o.size !== undefined) out.size = fioBytes(o.size);
  return { ok: true, job: out, parsed: parseJobOptions(out), durationUs: fioSeconds(o.runtime, 5e6), rampUs: fioSeconds(o.ramp_time, 0) };
}

/** One scenario per measured fio result, each job on one volume of the given device (scenario/on-device.ts). */
export function scenarioForMeasured(measured: Results, device: unknown, name = 'predicted'): { scenario: DeviceScenario; skipped: { job: string; reason: string }[] } {
  const jobs: DeviceScenario['jobs'] = [];
  const skipped: { job: string; reason: string }[] = [];
  let durationUs = 5e6;
  let rampUs = 0;
  for (const j of measured.jobs) {
    if (j.name === 'All clients') continue;
    const r = rebuildJob(j, measured.globalOptions);
    if (!r.ok) {
      skipped.push({ job: j.name, reason: r.reason });
      continue;
    }
    // one container per fio job, named so results pair by name: a job "x" → container "x", job "x"
    const n = sanitize(j.name);
    const at = jobs.findIndex((x) => x.container === n);
    const entry = { container: n, name: n, parsed: r.parsed, options: r.job };
    if (at >= 0) jobs[at] = entry;
    else jobs.push(entry);
    durationUs = r.durationUs;
    rampUs = r.rampUs;
  }
  return { scenario: { name, durationUs, rampUs, device, jobs }, skipped };
}

export function sanitize(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_').replace(/^[^A-Za-z0-9]/, 'j') || 'job';
}

/** The simulated name of a measured job under scenarioForMeasured. */
export function simulatedName(measuredName: string): string {
  const s = sanitize(measuredName);
  return `${s}.${s}`;
}
