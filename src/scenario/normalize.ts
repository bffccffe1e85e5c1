/**
 * Scenario text to a typed Scenario:
 *
 *   text ──YAML/JSON──▶ unknown ──zod (ScenarioInput)──▶ input ──normalize──▶ Scenario
 *
 * Every problem is collected with its path and returned together; nothing throws for
 * bad input. Pure: the caller reads the file.
 */
import { parseDocument } from 'yaml';
import { ScenarioInput, type LatencyInput } from './schema.js';
import { Issues, type Issue } from './issues.js';
import { fromZod } from './zod-issues.js';
import { referenceIssues } from './references.js';
import { normalizeJob } from './job.js';
import { traceOptions } from './trace-job.js';
import { planPhases, type PhaseInput, type RunPlan, type PhasePlan } from './phases.js';
import { checkSharedLinks, devicesOf, normalizeLimits, normalizePools, normalizeVolume } from './volume.js';
import { NAME_RE, NAME_RULE } from './fields.js';
import { Z_99 } from '../random/distributions.js';
import { BUILTIN_PROFILES, mergeProfile } from './profiles.js';
import { assertNever } from '../util/assert-never.js';
import type { ContainerSpec, DeviceSpec, DirectionSpec, JobSpec, LatencySpec, PoolSpec, Scenario, VolumeSpec, WorkerSpec } from './types.js';

export type ParseResult = { ok: true; scenario: Scenario } | { ok: false; issues: Issue[] };

/** Most I/O threads (replicas × jobs × numjobs) one scenario may run. */
export const MAX_THREADS = 1_000_000;

export interface Overrides {
  seed?: number;
  durationUs?: number;
  /** Profile files a scenario names (`profile: ./x.yaml`), already read: path → parsed content. */
  profileFiles?: Record<string, unknown>;
}

/** True when a profile value names a file rather than a built-in profile. */
export function isProfilePath(name: string): boolean {
  return name.startsWith('./') || name.startsWith('../') || name.startsWith('/') || /\.(ya?ml|json)$/i.test(name);
}

/** Replaces each device's `profile` by the profile's fields under the device's own. */
function applyProfiles(raw: Record<string, unknown>, files: Record<string, unknown>, issues: Issues): Record<string, unknown> {
  const devices = applyDeviceProfiles(raw.devices, files, 'devices', issues);
  return devices === raw.devices ? raw : { ...raw, devices };
}

/** A map of devices (at `path`) with each `profile` replaced by its fields; anything else is returned as it is. */
export function applyDeviceProfiles(devices: unknown, files: Record<string, unknown>, path: string, issues: Issues): unknown {
  if (devices === null || typeof devices !== 'object' || Array.isArray(devices)) return devices;
  const out: Record<string, unknown> = {};
  for (const [name, dev] of Object.entries(devices as Record<string, unknown>)) {
    const d = dev as Record<string, unknown> | null;
    const profile = d && typeof d === 'object' ? d.profile : undefined;
    if (typeof profile !== 'string') {
      out[name] = dev;
      continue;
    }
    let base: unknown = isProfilePath(profile) ? files[profile] : BUILTIN_PROFILES[profile]?.device;
    if (base && typeof base === 'object' && 'device' in base) base = (base as { device: unknown }).device;
    if (!base || typeof base !== 'object') {
      issues.add(`${path}.${name}.profile`, isProfilePath(profile) ? `cannot use profile file ${profile}` : `no built-in profile named ${JSON.stringify(profile)} (built-in: ${Object.keys(BUILTIN_PROFILES).join(', ')}; a file path starts with ./)`);
      out[name] = { ...d, profile: undefined };
      continue;
    }
    out[name] = mergeProfile(base as Record<string, unknown>, d as Record<string, unknown>);
  }
  return out;
}

export function parseScenarioText(text: string, overrides: Overrides = {}): ParseResult {
  if (text.trim() === '') return { ok: false, issues: [{ path: '', message: 'the file is empty: expected a scenario with name, duration, devices, volumes and containers' }] };
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return { ok: false, issues: doc.errors.map((e) => ({ path: '', message: `not valid YAML or JSON: ${e.message.split('\n')[0]}` })) };
  }
  return normalizeScenario(doc.toJS(), overrides);
}

export function normalizeScenario(raw: unknown, overrides: Overrides = {}): ParseResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, issues: [{ path: '', message: 'expected a map with name, duration, devices, volumes and containers' }] };
  }
  const issues = new Issues();
  const withProfiles = applyProfiles(raw as Record<string, unknown>, overrides.profileFiles ?? {}, issues);
  const parsed = ScenarioInput.safeParse(withProfiles, { reportInput: true });
  if (!parsed.success) return { ok: false, issues: [...issues.list, ...fromZod(ScenarioInput, parsed.error.issues), ...referenceIssues(withProfiles)] };
  const input = parsed.data;
  checkNames(input, issues);

  const devices = Object.entries(input.devices).map(([name, d]) => normalizeDevice(name, d, issues));
  const deviceNames = new Set(devices.map((d) => d.name));
  const pools = normalizePools(input, deviceNames, issues);
  const volumes: VolumeSpec[] = Object.entries(input.volumes).map(([name, v]) => normalizeVolume(name, v, deviceNames, pools, issues));
  checkSharedLinks(volumes, issues);
  const rawContainers = (raw as { containers: Record<string, { jobs: Record<string, Record<string, unknown>> }> }).containers;
  const timing = { durationUs: overrides.durationUs ?? input.duration, rampUs: input.ramp ?? 0 };
  const knownJobs = new Set(Object.entries(input.containers).flatMap(([c, x]) => Object.keys(x.jobs).map((j) => `${c}.${j}`)));
  const plans = planPhases(input.phases as PhaseInput[] | undefined, (raw as { phases?: unknown }).phases, timing, { jobs: knownJobs, volumes: new Set(volumes.map((v) => v.name)) }, (n) => NAME_RE.test(n), issues);
  const containers = runPhases(plans, input, rawContainers, volumes, pools, devices, issues);
  const threads = containers.reduce((s, c) => s + c.replicas * c.jobs.reduce((t, j) => t + j.numjobs, 0), 0);
  if (threads > MAX_THREADS) issues.add('containers', `the scenario runs ${threads} I/O threads (replicas × jobs × numjobs); at most ${MAX_THREADS} are supported`);
  if (containers.every((c) => c.jobs.length === 0) && issues.count === 0) issues.add('containers', 'no jobs: add at least one container with a job');
  if (issues.count > 0) return { ok: false, issues: issues.list };
  return {
    ok: true,
    scenario: {
      name: input.name,
      ...(input.description !== undefined ? { description: input.description } : {}),
      seed: overrides.seed ?? input.seed ?? 1,
      durationUs: overrides.durationUs ?? input.duration,
      rampUs: input.ramp ?? 0,
      ...(input.timeline !== undefined ? { timelineIntervalUs: input.timeline } : {}),
      ...(input.host ? { host: { cores: input.host.cores, ...(input.host.slice !== undefined ? { sliceUs: input.host.slice } : {}), ...(input.host.balance ? { balanceUs: input.host.balance } : {}) } } : {}),
      devices,
      pools,
      volumes,
      containers,
    },
  };
}

function checkNames(input: ScenarioInput, issues: Issues): void {
  if (!NAME_RE.test(input.name)) issues.add('name', `expected ${NAME_RULE}, got ${JSON.stringify(input.name)}`);
  const groups: [string, Record<string, unknown>][] = [['devices', input.devices], ['pools', input.pools ?? {}], ['volumes', input.volumes], ['containers', input.containers]];
  for (const [group, map] of groups) {
    for (const name of Object.keys(map)) if (!NAME_RE.test(name)) issues.add(`${group}.${name}`, `a name must be ${NAME_RULE}`);
  }
  for (const [c, container] of Object.entries(input.containers)) {
    for (const j of Object.keys(container.jobs)) if (!NAME_RE.test(j)) issues.add(`containers.${c}.jobs.${j}`, `a name must be ${NAME_RULE}`);
  }
}

/** Latency input (already checked by the schema) to the model's parameters. */
export function normalizeLatency(input: LatencyInput): LatencySpec {
  switch (input.dist) {
    case 'fixed':
      return { dist: 'fixed', valueUs: input.value };
    case 'exponential':
      return { dist: 'exponential', meanUs: input.mean };
    case 'lognormal': {
      if (input.p50 !== undefined && input.p99 !== undefined) {
        return { dist: 'lognormal', mu: Math.log(input.p50), sigma: Math.log(input.p99 / input.p50) / Z_99 };
      }
      const mean = input.mean!;
      const sigma2 = Math.log(1 + (input.stddev! / mean) ** 2);
      return { dist: 'lognormal', mu: Math.log(mean) - sigma2 / 2, sigma: Math.sqrt(sigma2) };
    }
    case 'empirical':
      return { dist: 'empirical', valuesUs: input.values, weights: input.weights };
    case 'table':
      return { dist: 'table', depths: input.depths, sizesBytes: input.sizesBytes, quantilesUs: input.quantilesUs };
    default:
      return assertNever(input);
  }
}

export function normalizeDevice(name: string, d: ScenarioInput['devices'][string], issues: Issues): DeviceSpec {
  const path = `devices.${name}`;
  const dir = (k: 'read' | 'write'): DirectionSpec | undefined => {
    const v = d[k];
    return v && {
      latency: normalizeLatency(v.latency),
      ...(v.sequentialLatency !== undefined ? { sequentialLatency: normalizeLatency(v.sequentialLatency) } : {}),
      bandwidthBytesPerSec: v.bandwidth ?? Infinity,
      ...(v.iops !== undefined ? { iopsCap: v.iops } : {}),
    };
  };
  const limits = normalizeLimits(d.limits, `${path}.limits`, issues);
  const read = dir('read');
  const write = dir('write');
  return {
    name,
    parallelism: d.parallelism ?? 1,
    ...(read ? { read } : {}),
    ...(write ? { write } : {}),
    limits,
    cpu: {
      submitUs: [d.cpu?.read?.submit ?? d.cpu?.submit ?? 0, d.cpu?.write?.submit ?? d.cpu?.submit ?? 0],
      completeUs: [d.cpu?.read?.complete ?? d.cpu?.complete ?? 0, d.cpu?.write?.complete ?? d.cpu?.complete ?? 0],
      callUs: d.cpu?.call ?? 0,
      ...(d.cpu?.wake ? { wakeUs: d.cpu.wake } : {}),
      ...(d.cpu?.cv ? { cv: d.cpu.cv } : {}),
      ...(d.cpu?.read?.bandwidth || d.cpu?.write?.bandwidth ? { submitUsPerByte: [1e6 / (d.cpu.read?.bandwidth ?? Infinity), 1e6 / (d.cpu.write?.bandwidth ?? Infinity)] as [number, number] } : {}),
    },
    ...(d.worker ? { worker: normalizeWorker(d.worker) } : {}),
    ...(d.wake ? { wakeUs: d.wake } : {}),
  };
}

function normalizeWorker(w: NonNullable<ScenarioInput['devices'][string]['worker']>): WorkerSpec {
  const dir = (k: 'read' | 'write'): WorkerSpec['read'] => ({
    perIoUs: w[k]?.perIo ?? w.perIo ?? 0,
    usPerByte: 1e6 / (w[k]?.bandwidth ?? w.bandwidth ?? Infinity),
  });
  return { threads: w.threads ?? 1, wakeUs: w.wake ?? 0, read: dir('read'), write: dir('write') };
}


/**
 * Every container's jobs, phase after phase: each run phase starts when the previous one
 * has ended (its last job's window), and snapshots between phases are taken then.
 */
function runPhases(
  plans: PhasePlan[],
  input: ScenarioInput,
  rawContainers: Record<string, { jobs: Record<string, Record<string, unknown>> }>,
  volumes: VolumeSpec[],
  pools: PoolSpec[],
  devices: DeviceSpec[],
  issues: Issues,
): ContainerSpec[] {
  const containers: ContainerSpec[] = Object.entries(input.containers).map(([name, c]) => ({ name, replicas: c.replicas ?? 1, volumes: [], jobs: [], ...(c.limits ? { limits: c.limits } : {}) }));
  const before = issues.count;
  const seen = new Set<string>();
  let startUs = 0;
  for (const plan of plans) {
    if (plan.kind === 'snapshot') {
      for (const name of plan.volumes) {
        const v = volumes.find((x) => x.name === name);
        if (v && !v.snapshots) issues.add(`${plan.path}.snapshot`, `volume ${name} has no snapshots settings: give volumes.${name}.snapshots (chunk, mode)`);
        else if (v?.snapshots) v.snapshots.atUs = [...v.snapshots.atUs, startUs].sort((a, b) => a - b);
      }
      continue;
    }
    let endUs = startUs + plan.rampUs + plan.durationUs;
    for (const spec of containers) {
      const c = input.containers[spec.name]!;
      const jobs = normalizeContainerJobs(spec.name, c, rawContainers[spec.name]!.jobs, volumes, pools, devices, plan, issues, seen);
      for (const job of jobs) {
        job.startdelayUs += startUs;
        if (plan.name !== undefined) {
          job.phase = plan.name;
          job.phaseStartUs = startUs;
        }
        endUs = Math.max(endUs, job.startdelayUs + job.rampUs + job.runtimeUs);
      }
      spec.jobs.push(...jobs);
    }
    startUs = endUs;
  }
  for (const spec of containers) {
    const c = input.containers[spec.name]!;
    spec.volumes = c.volumes ?? [...new Set(spec.jobs.map((j) => j.volume))];
  }
  // A problem of a job shows once, not once per phase.
  const unique = new Map(issues.list.slice(before).map((i) => [`${i.path}\u0000${i.message}`, i]));
  issues.list.splice(before, issues.list.length - before, ...unique.values());
  for (const v of volumes) {
    if (v.snapshots && v.snapshots.everyUs === 0 && v.snapshots.atUs.length === 0) {
      issues.add(`volumes.${v.name}.snapshots`, 'give every (a period), at (a list of times), or take them in phases (- snapshot: NAME)');
    }
  }
  return containers;
}

function normalizeContainerJobs(
  name: string,
  c: ScenarioInput['containers'][string],
  rawJobs: Record<string, Record<string, unknown>>,
  volumes: VolumeSpec[],
  pools: PoolSpec[],
  devices: DeviceSpec[],
  plan: RunPlan,
  issues: Issues,
  checked: Set<string>,
): JobSpec[] {
  const path = `containers.${name}`;
  const byName = new Map(volumes.map((v) => [v.name, v]));
  const listed = c.volumes ?? [];
  if (!checked.has(path)) {
    checked.add(path);
    listed.forEach((v, i) => {
      if (!byName.has(v)) issues.add(`${path}.volumes[${i}]`, `no volume named ${JSON.stringify(v)} (volumes: ${[...byName.keys()].join(', ') || 'none'})`);
    });
  }
  const jobs: JobSpec[] = [];
  for (const [jobName, base] of Object.entries(c.jobs)) {
    const key = `${name}.${jobName}`;
    if (plan.jobs && !(key in plan.jobs)) continue;
    const override = plan.jobs?.[key];
    const j = override ? { ...base, ...override } : base;
    const jobPath = override ? `${plan.path}.jobs.${key}` : `${path}.jobs.${jobName}`;
    const volumeName = j.volume ?? (listed.length === 1 ? listed[0] : undefined);
    if (volumeName === undefined) {
      issues.add(`${jobPath}.volume`, listed.length === 0 ? 'missing: name the volume this job uses' : `missing: the container lists several volumes (${listed.join(', ')}); name one`);
      continue;
    }
    const volume = byName.get(volumeName);
    if (!volume) {
      issues.add(`${jobPath}.volume`, `no volume named ${JSON.stringify(volumeName)} (volumes: ${[...byName.keys()].join(', ') || 'none'})`);
      continue;
    }
    if (c.volumes !== undefined && !listed.includes(volumeName)) issues.add(`${jobPath}.volume`, `volume ${volumeName} is not in ${path}.volumes`);
    const job = normalizeJob(j, { path: jobPath, name: jobName, volume: volumeName, volumeSizeBytes: volume.sizeBytes, durationUs: plan.durationUs, rampUs: plan.rampUs }, issues);
    if (!job) continue;
    job.options = optionsAsWritten({ ...rawJobs[jobName]!, ...(plan.rawJobs?.[key] ?? {}) });
    checkDeviceDirections(job, `${name}.${jobName}`, volume, pools, devices, issues);
    jobs.push(job);
  }
  return jobs;
}

/** A job's devices must serve the directions it does (reads and writes), at `devices.NAME.read|write`. */
export function checkDeviceDirections(job: JobSpec, label: string, volume: VolumeSpec, pools: PoolSpec[], devices: DeviceSpec[], issues: Issues): void {
  // Writes smaller than the block (read-modify-write) and copy-on-write snapshots read too.
  const smallestWrite = Math.min(...job.bs.write.sizesBytes);
  const writesRead = job.readRatio < 1 && (volume.snapshots?.mode === 'cow' || smallestWrite < volume.blockSizeBytes);
  for (const dn of devicesOf(volume, pools)) {
    const device = devices.find((d) => d.name === dn);
    if (device && (job.readRatio > 0 || writesRead) && !device.read) issues.add(`devices.${dn}.read`, `missing: job ${label} reads from this device`);
    if (device && job.readRatio < 1 && !device.write) issues.add(`devices.${dn}.write`, `missing: job ${label} writes to this device`);
  }
}

/** The job's options as the scenario wrote them (before parsing), for fio's "job options" in results. */
export function optionsAsWritten(j: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(j)) {
    if (k === 'trace') Object.assign(out, traceOptions(v));
    else if (k !== 'volume' && v !== undefined) out[k] = String(v);
  }
  return out;
}
