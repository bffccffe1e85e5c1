/**
 * A fio job (its "job options" over the "global options") as a scenario job, so any
 * fio result can be predicted from a device profile. Only options the simulator models
 * are carried; anything that changes what fio measured and that the model cannot follow
 * makes the job unpredictable, with the reason.
 */
import type { JobResult, Results } from '../results/types.js';
import { parseDuration, parseSize } from '../scenario/units.js';

export type Rebuilt = { ok: true; job: Record<string, unknown>; durationUs: number; rampUs: number } | { ok: false; reason: string };

const CARRIED = ['rw', 'readwrite', 'rwmixread', 'rwmixwrite', 'bs', 'blocksize', 'bssplit', 'iodepth', 'numjobs', 'rate_iops', 'rate_process', 'thinktime', 'thinktime_blocks', 'random_distribution', 'ioengine', 'norandommap', 'randrepeat'];
const IGNORED = new Set(['name', 'filename', 'directory', 'direct', 'time_based', 'runtime', 'ramp_time', 'size', 'offset', 'group_reporting', 'new_group', 'randseed', 'output-format', 'output', 'status-interval', 'filesize', 'allow_file_create', 'clocksource', 'slat_percentiles', 'clat_percentiles', 'lat_percentiles']);

/** fio time values: bare numbers are seconds for runtime and ramp_time. */
function fioSeconds(v: string | undefined, fallbackUs: number): number {
  if (v === undefined) return fallbackUs;
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1e6;
  const p = parseDuration(v);
  return p.ok ? p.value : fallbackUs;
}

/** fio sizes are binary whatever the suffix (kb_base=1024). */
function fioBytes(v: string): string {
  const m = /^(\d+(?:\.\d+)?)([kmgtp])?(i?b)?$/i.exec(v.trim());
  if (!m) return v;
  const p = parseSize(`${m[1]}${m[2] ?? ''}`);
  return p.ok ? String(p.value) : v;
}

/** fio's replay options a traced job says with `trace` (scenario/trace-job.ts); rw and sizes come from the log. */
const REPLAY_IGNORED = new Set(['replay_redirect', 'read_iolog_chunked', 'rw', 'readwrite', 'rwmixread', 'rwmixwrite', 'bs', 'blocksize', 'bssplit']);

/**
 * A replay of an iolog (read_iolog) as a traced job: the log's path as fio was given it
 * (relative to where fio ran), replay_no_stall as closed loop, replay_time_scale as speed.
 */
function rebuildReplay(o: Record<string, string>): Rebuilt {
  const trace: Record<string, unknown> = { file: o.read_iolog!, mode: o.replay_no_stall === '1' ? 'closed' : 'open' };
  if (o.replay_time_scale !== undefined) trace.speed = Number(o.replay_time_scale) / 100;
  const out: Record<string, unknown> = { trace };
  for (const [k, v] of Object.entries(o)) {
    if (IGNORED.has(k) || REPLAY_IGNORED.has(k) || k === 'read_iolog' || k === 'replay_no_stall' || k === 'replay_time_scale') continue;
    if (k === 'iodepth' || k === 'numjobs') out[k] = Number(v);
    else if (k === 'ioengine') out[k] = v;
    else return { ok: false, reason: `the fio option ${k}=${v} is not modeled in a replay` };
  }
  return { ok: true, job: out, durationUs: fioSeconds(o.runtime, 3600e6), rampUs: fioSeconds(o.ramp_time, 0) };
}

export function rebuildJob(job: JobResult, global: Record<string, string>): Rebuilt {
  const o = { ...global, ...job.options };
  if (o.direct !== undefined && o.direct !== '1') return { ok: false, reason: 'buffered I/O (direct=0) is not modeled' };
  if (o.read_iolog !== undefined) return rebuildReplay(o);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (IGNORED.has(k)) continue;
    if (!CARRIED.includes(k)) return { ok: false, reason: `the fio option ${k}=${v} is not modeled` };
    const key = k === 'readwrite' ? 'rw' : k === 'blocksize' ? 'bs' : k;
    if (key === 'bs') out.bs = v.split(',').map(fioBytes).join(',');
    else if (key === 'iodepth' || key === 'numjobs' || key === 'rwmixread' || key === 'rwmixwrite' || key === 'thinktime_blocks') out[key] = Number(v);
    else if (key === 'norandommap' || key === 'randrepeat') out[key] = v === '' || v === '1' || v === 'true' ? 1 : 0;
    else if (key === 'thinktime') out.thinktime = /^\d+$/.test(v) ? Number(v) : v;
    else out[key] = v;
  }
  if (out.rw === undefined) out.rw = 'read';
  if (out.rw === 'trim' || String(out.rw).includes('trim')) return { ok: false, reason: 'trim is not modeled' };
  if (o.size !== undefined) out.size = fioBytes(o.size);
  return { ok: true, job: out, durationUs: fioSeconds(o.runtime, 5e6), rampUs: fioSeconds(o.ramp_time, 0) };
}

/** One scenario per measured fio result, each job on one volume of the given device. */
export function scenarioForMeasured(measured: Results, device: Record<string, unknown>, name = 'predicted'): { scenario: Record<string, unknown>; skipped: { job: string; reason: string }[] } {
  const jobs: Record<string, Record<string, unknown>> = {};
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
    jobs[j.name] = r.job;
    durationUs = r.durationUs;
    rampUs = r.rampUs;
  }
  // one container per fio job, named so results pair by name: a job "x" → container "x", job "x"
  const containers: Record<string, unknown> = {};
  for (const [jobName, job] of Object.entries(jobs)) containers[sanitize(jobName)] = { volumes: ['v'], jobs: { [sanitize(jobName)]: job } };
  return {
    scenario: { name, seed: 1, duration: `${durationUs}us`, ramp: `${rampUs}us`, devices: { dev: device }, volumes: { v: { device: 'dev', size: '1TiB' } }, containers },
    skipped,
  };
}

export function sanitize(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_').replace(/^[^A-Za-z0-9]/, 'j') || 'job';
}

/** The simulated name of a measured job under scenarioForMeasured. */
export function simulatedName(measuredName: string): string {
  const s = sanitize(measuredName);
  return `${s}.${s}`;
}
