/**
 * Cluster text to a typed Cluster:
 *
 *   text ──YAML──▶ unknown ──profiles──▶ zod (ClusterInput) ──probe scenarios──▶ Cluster
 *
 * Device, volume and job checks that need more than a field (limits, a job's volume, block
 * size against span, ...) are the scenario normalizer's own: each node type's devices and
 * each workload are normalized as a small probe scenario, and its problems are reported
 * at their paths in the cluster file. Pure: the caller reads the files.
 */
import { parseDocument } from 'yaml';
import { Issues, type Issue } from '../scenario/issues.js';
import { fromZod } from '../scenario/zod-issues.js';
import { applyDeviceProfiles, normalizeScenario } from '../scenario/normalize.js';
import { NAME_RE, NAME_RULE } from '../scenario/fields.js';
import type { DeviceSpec, JobSpec } from '../scenario/types.js';
import { ClusterInput } from './schema.js';
import type { Cluster, NodeType, Objective, Workload, WorkloadVolume } from './types.js';

export type ClusterResult = { ok: true; cluster: Cluster } | { ok: false; issues: Issue[] };

type Raw = Record<string, unknown>;
const isMap = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const FIXED_1US = { latency: { dist: 'fixed', value: '1us' } };

export function parseClusterText(text: string, profileFiles: Record<string, unknown> = {}): ClusterResult {
  if (text.trim() === '') return { ok: false, issues: [{ path: '', message: 'the file is empty: expected a cluster with name, nodeTypes and workloads' }] };
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) return { ok: false, issues: doc.errors.map((e) => ({ path: '', message: `not valid YAML or JSON: ${e.message.split('\n')[0]}` })) };
  return normalizeCluster(doc.toJS(), profileFiles);
}

/** Node types' devices with their profiles applied (what node scenarios and the schema see). */
function withProfiles(raw: Raw, files: Record<string, unknown>, issues: Issues): Raw {
  if (!isMap(raw.nodeTypes)) return raw;
  const nodeTypes: Raw = {};
  for (const [t, nt] of Object.entries(raw.nodeTypes)) {
    nodeTypes[t] = isMap(nt) ? { ...nt, devices: applyDeviceProfiles(nt.devices, files, `nodeTypes.${t}.devices`, issues) } : nt;
  }
  return { ...raw, nodeTypes };
}

export function normalizeCluster(input: unknown, profileFiles: Record<string, unknown> = {}): ClusterResult {
  if (!isMap(input)) return { ok: false, issues: [{ path: '', message: 'expected a map with name, nodeTypes and workloads' }] };
  const issues = new Issues();
  const raw = withProfiles(input, profileFiles, issues);
  const parsed = ClusterInput.safeParse(raw, { reportInput: true });
  if (!parsed.success) return { ok: false, issues: [...issues.list, ...fromZod(ClusterInput, parsed.error.issues)] };
  const c = parsed.data;
  if (!NAME_RE.test(c.name)) issues.add('name', `expected ${NAME_RULE}, got ${JSON.stringify(c.name)}`);
  if (Object.keys(c.nodeTypes).length === 0) issues.add('nodeTypes', 'no node types: add at least one');
  if (Object.keys(c.workloads).length === 0) issues.add('workloads', 'no workloads: add at least one');
  const objective = (c.objective ?? 'nodes') as Objective;
  const rawTypes = raw.nodeTypes as Record<string, Raw>;
  const nodeTypes = Object.entries(c.nodeTypes).map(([name, t], index): NodeType => {
    if (!NAME_RE.test(name)) issues.add(`nodeTypes.${name}`, `a name must be ${NAME_RULE}`);
    if (objective === 'headroom' && t.count === undefined) issues.add(`nodeTypes.${name}.count`, 'missing: the headroom objective spreads the workloads over the nodes allowed; give how many');
    const rawDevices = rawTypes[name]!.devices as Record<string, Raw>;
    const specs = probeDevices(name, rawDevices, issues);
    return {
      name, index, count: t.count ?? Infinity, cost: t.cost ?? 1, cpuMillis: t.cpu, memoryBytes: t.memory, nicBytesPerSec: t.network ?? 0,
      devices: Object.entries(t.devices).map(([d, dev]) => {
        const { capacity: _, ...deviceRaw } = rawDevices[d]!;
        return { name: d, raw: deviceRaw, spec: specs.get(d)!, capacityBytes: dev.capacity };
      }),
    };
  });
  const rawWorkloads = raw.workloads as Record<string, Raw>;
  const workloads = Object.entries(c.workloads).map(([name, w], index): Workload => {
    const volumes = Object.entries(w.volumes).map(([v, vol]): WorkloadVolume => {
      const { replicated: _, ...volumeRaw } = (rawWorkloads[name]!.volumes as Record<string, Raw>)[v]!;
      const rep = vol.replicated;
      return { name: v, raw: volumeRaw, sizeBytes: vol.size, ...(rep ? { replication: { copies: rep.copies, writeAck: rep.writeAck ?? 'all', read: rep.read ?? 'primary' } } : {}) };
    });
    const rw = rawWorkloads[name]!;
    const jobsRaw = rw.jobs as Record<string, Raw>;
    const limitsRaw = isMap(rw.limits) ? rw.limits : undefined;
    const jobs = probeWorkload(name, volumes, jobsRaw, limitsRaw, issues);
    return {
      name, index, replicas: w.replicas ?? 1, cpuMillis: w.cpu ?? 0, memoryBytes: w.memory ?? 0, antiAffinity: w.antiAffinity ?? false,
      slos: w.slo ?? [], volumes, jobs, jobsRaw, ...(limitsRaw ? { limitsRaw } : {}),
    };
  });
  checkNetwork(c.network?.latency, nodeTypes, workloads, issues);
  if (issues.count > 0) return { ok: false, issues: issues.list };
  const durationUs = c.duration ?? 2e6;
  return {
    ok: true,
    cluster: { name: c.name, seed: c.seed ?? 1, durationUs, rampUs: c.ramp ?? durationUs / 10, objective, networkLatencyUs: c.network?.latency ?? 0, nodeTypes, workloads },
  };
}

function checkNetwork(latencyUs: number | undefined, nodeTypes: NodeType[], workloads: Workload[], issues: Issues): void {
  const replicated = workloads.filter((w) => w.volumes.some((v) => v.replication));
  if (replicated.length === 0) return;
  const names = replicated.map((w) => w.name).join(', ');
  if (latencyUs === undefined) issues.add('network', `missing: workloads with network-replicated volumes (${names}) need the network's round-trip latency (network: { latency: 200us })`);
  for (const t of nodeTypes) {
    if (t.nicBytesPerSec === 0) issues.add(`nodeTypes.${t.name}.network`, `missing: workloads with network-replicated volumes (${names}) send their I/O over each node's NIC; give its bandwidth (e.g. 25Gbit/s)`);
  }
}

function unusedName(base: string, taken: Iterable<string>): string {
  const set = new Set(taken);
  let name = base;
  for (let i = 1; set.has(name); i++) name = `${base}${i}`;
  return name;
}

/** Issues of a probe scenario moved to their place in the cluster file. */
function remap(list: Issue[], rules: [string, string][], fallback: string, issues: Issues): void {
  for (const i of list) {
    const rule = rules.find(([from]) => i.path === from || i.path.startsWith(`${from}.`) || i.path.startsWith(`${from}[`));
    issues.add(rule ? rule[1] + i.path.slice(rule[0].length) : `${fallback}${i.path ? ` (${i.path})` : ''}`, i.message);
  }
}

/** Normalizes a node type's devices (limits, profiles' fields) through a probe scenario. */
function probeDevices(type: string, devices: Record<string, Raw>, issues: Issues): Map<string, DeviceSpec> {
  const bare = Object.fromEntries(Object.entries(devices).map(([d, dev]) => [d, Object.fromEntries(Object.entries(dev).filter(([k]) => k !== 'capacity'))]));
  const probe = unusedName('probe', Object.keys(devices));
  const r = normalizeScenario({
    name: 'probe', duration: '1ms',
    devices: { ...bare, [probe]: { read: FIXED_1US } },
    volumes: { v: { device: probe, size: 1 << 30 } },
    containers: { c: { jobs: { j: { volume: 'v' } } } },
  });
  if (!r.ok) {
    remap(r.issues, Object.keys(devices).map((d) => [`devices.${d}`, `nodeTypes.${type}.devices.${d}`]), `nodeTypes.${type}.devices`, issues);
    return new Map();
  }
  return new Map(r.scenario.devices.map((d) => [d.name, d]));
}

/** Normalizes a workload's jobs against its volumes (all local on a generic device) through a probe scenario. */
function probeWorkload(name: string, volumes: WorkloadVolume[], jobsRaw: Record<string, Raw>, limits: Raw | undefined, issues: Issues): JobSpec[] {
  const device = { parallelism: 1, read: FIXED_1US, write: FIXED_1US };
  const r = normalizeScenario({
    name: 'probe', duration: '1ms',
    devices: { d: device },
    volumes: Object.fromEntries(volumes.map((v) => [v.name, { ...v.raw, device: 'd' }])),
    containers: { [name]: { volumes: volumes.map((v) => v.name), jobs: jobsRaw, ...(limits ? { limits } : {}) } },
  });
  if (!r.ok) {
    const rules: [string, string][] = [[`containers.${name}`, `workloads.${name}`], ['containers', `workloads.${name}.jobs`], ...volumes.map((v): [string, string] => [`volumes.${v.name}`, `workloads.${name}.volumes.${v.name}`])];
    remap(r.issues, rules, `workloads.${name}`, issues);
    return [];
  }
  return r.scenario.containers[0]!.jobs;
}
