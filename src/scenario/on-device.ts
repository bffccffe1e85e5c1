/**
 * A scenario built from typed jobs on one device: what compare and calibrate predict a
 * measured run with. The jobs come from fio's job options read back through the option
 * table (each value by its own option's parser, never a scenario text validated again);
 * only the device, which is user input (a profile, or a fit's candidate), is checked here.
 *
 *   device (input) ──DeviceInput──▶ DeviceSpec ┐
 *   jobs (option values) ──option parsers──▶ JobInput ──normalizeJob──▶ JobSpec ├─▶ Scenario
 *
 * Problems carry the paths a scenario file would give them (devices.dev..., containers.X.jobs.X...).
 */
import { DeviceInput, HostInput, VolumeInput, type JobInput } from './schema.js';
import { Issues, type Issue } from './issues.js';
import { fromZod, formatPath } from './zod-issues.js';
import { TraceInput } from './trace-job.js';
import { JOB_OPTIONS, type JobOptionName } from './option-table.js';
import { applyDeviceProfiles, checkDeviceDirections, MAX_THREADS, normalizeDevice, optionsAsWritten, type ParseResult } from './normalize.js';
import { normalizeJob } from './job.js';
import { normalizeVolume } from './volume.js';
import type { ContainerSpec } from './types.js';

export type ParsedJob = { ok: true; input: JobInput } | { ok: false; issues: Issue[] };

/** Option values (as a scenario's job map holds them) parsed each by its option's parser; `trace` by its own. */
export function parseJobOptions(values: Record<string, unknown>): ParsedJob {
  const input: Record<string, unknown> = {};
  const issues: Issue[] = [];
  for (const [key, value] of Object.entries(values)) {
    const schema = key === 'trace' ? TraceInput : JOB_OPTIONS[key as JobOptionName]?.parse;
    if (schema === undefined) {
      issues.push({ path: key, message: 'unknown key' });
      continue;
    }
    const r = schema.safeParse(value, { reportInput: true });
    if (r.success) input[key] = r.data;
    else issues.push(...fromZod(schema, r.error.issues).map((i) => ({ path: formatPath([key, ...(i.path === '' ? [] : [i.path])]), message: i.message })));
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, input: input as JobInput };
}

export interface DeviceScenario {
  name: string;
  durationUs: number;
  rampUs: number;
  /** A device map as a scenario or profile gives it (a `profile` key is applied). */
  device: unknown;
  /** The host as a scenario or profile gives it (`balance` a duration). */
  host?: { cores: number; balance?: string | number };
  /** One container per job, named `container`, on the one volume. */
  jobs: { container: string; name: string; parsed: ParsedJob; options: Record<string, unknown> }[];
}

const VOLUME = VolumeInput.parse({ device: 'dev', size: '1TiB' });

/** The jobs on one volume `v` (1 TiB) of the device `dev`, seed 1. */
export function scenarioOnDevice(s: DeviceScenario): ParseResult {
  const issues = new Issues();
  const raw = (applyDeviceProfiles({ dev: s.device }, {}, 'devices', issues) as Record<string, unknown>).dev;
  const device = DeviceInput.safeParse(raw, { reportInput: true });
  const found: Issue[] = device.success ? [] : fromZod(DeviceInput, device.error.issues).map((i) => ({ ...i, path: i.path === '' ? 'devices.dev' : `devices.dev.${i.path}` }));
  for (const j of s.jobs) {
    if (!j.parsed.ok) found.push(...j.parsed.issues.map((i) => ({ ...i, path: `containers.${j.container}.jobs.${j.name}.${i.path}` })));
  }
  const host = s.host ? HostInput.safeParse(s.host, { reportInput: true }) : undefined;
  if (host && !host.success) found.push(...fromZod(HostInput, host.error.issues).map((i) => ({ ...i, path: i.path === '' ? 'host' : `host.${i.path}` })));
  if (!device.success || found.length > 0) return { ok: false, issues: [...issues.list, ...found] };
  const devices = [normalizeDevice('dev', device.data, issues)];
  const volume = normalizeVolume('v', VOLUME, new Set(['dev']), [], issues);
  const containers: ContainerSpec[] = [];
  for (const j of s.jobs) {
    if (!j.parsed.ok) continue;
    const path = `containers.${j.container}.jobs.${j.name}`;
    const job = normalizeJob(j.parsed.input, { path, name: j.name, volume: 'v', volumeSizeBytes: volume.sizeBytes, durationUs: s.durationUs, rampUs: s.rampUs }, issues);
    if (!job) continue;
    job.options = optionsAsWritten(j.options);
    checkDeviceDirections(job, `${j.container}.${j.name}`, volume, [], devices, issues);
    containers.push({ name: j.container, replicas: 1, volumes: ['v'], jobs: [job] });
  }
  const threads = containers.reduce((n, c) => n + c.jobs[0]!.numjobs, 0);
  if (threads > MAX_THREADS) issues.add('containers', `the scenario runs ${threads} I/O threads (replicas × jobs × numjobs); at most ${MAX_THREADS} are supported`);
  if (issues.count > 0) return { ok: false, issues: issues.list };
  return {
    ok: true,
    scenario: { name: s.name, seed: 1, durationUs: s.durationUs, rampUs: s.rampUs, ...(host?.success ? { host: { cores: host.data.cores, ...(host.data.slice !== undefined ? { sliceUs: host.data.slice } : {}), ...(host.data.balance ? { balanceUs: host.data.balance } : {}) } } : {}), devices, pools: [], volumes: [volume], containers },
  };
}
