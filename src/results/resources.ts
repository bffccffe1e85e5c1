/**
 * Every resource a simulated run can run out of, with how much of it the measured window
 * used: device slots, a device's transfer stage (its bandwidth), its worker threads, the
 * host's cores, and every cap (device,
 * volume and cgroup IOPS and bandwidth limits, burst credits). The binding constraint is
 * the most used one: what stops more load first. Pure.
 */
import type { CapUsage, Results } from './types.js';

export interface ResourceUse {
  /** "device nvme0", "volume pgdata", "cgroup db.3". */
  where: string;
  /** "slots", "bandwidth", "write iops cap", "credits", "riops cap", ... */
  resource: string;
  /** 0..1 (a cap may read slightly above 1 while its burst drains). */
  utilization: number;
}

const capUses = (where: string, caps: CapUsage[] | undefined): ResourceUse[] =>
  (caps ?? []).map((c) => ({ where, resource: c.cap === 'credits' ? 'burst credits spent' : `${c.cap} cap`, utilization: c.utilization }));

export function resourceUses(r: Results): ResourceUse[] {
  const out: ResourceUse[] = [];
  for (const d of r.devices) {
    const where = `device ${d.name}`;
    out.push({ where, resource: 'slots', utilization: d.utilization });
    if (d.transferUtilization !== undefined && d.transferUtilization > 0) out.push({ where, resource: 'bandwidth', utilization: d.transferUtilization });
    if (d.workerUtilization !== undefined) out.push({ where, resource: 'worker', utilization: d.workerUtilization });
    out.push(...capUses(where, d.caps));
  }
  for (const v of r.volumes ?? []) out.push(...capUses(`volume ${v.name}`, v.caps));
  for (const c of r.cgroups ?? []) out.push(...capUses(`cgroup ${c.name}`, c.caps));
  if (r.host) out.push({ where: 'host', resource: `cores (${r.host.cores})`, utilization: r.host.utilization });
  return out;
}

/** The most used resource; undefined for results without devices (measured runs). */
export function bindingConstraint(r: Results): ResourceUse | undefined {
  let best: ResourceUse | undefined;
  for (const u of resourceUses(r)) if (best === undefined || u.utilization > best.utilization) best = u;
  return best;
}

export function describeUse(u: ResourceUse): string {
  return `${u.where} ${u.resource} ${(u.utilization * 100).toFixed(1)} %`;
}
