/**
 * The issuing side of a fit: which measured point plays which part, and each direction's
 * job-thread CPU costs from fio's own figures (slat, usr_cpu + sys_cpu) and the host's.
 */
import type { Dir, MeasuredPoint } from './measured-points.js';

export const us = (x: number): string => `${Math.max(0, Math.round(x * 1000) / 1000)}us`;
const SMALL = 65536;
const single = (p: MeasuredPoint, d: Dir): boolean => (p.rw === (d === 'read' ? 'randread' : 'randwrite') || p.rw === d) && p.dirs[d] !== undefined;

export interface Roles {
  base: Partial<Record<Dir, MeasuredPoint>>;
  deep: Partial<Record<Dir, MeasuredPoint>>;
  big: Partial<Record<Dir, MeasuredPoint>>;
}

/** Which point plays which part: QD1 small-block, deepest small-block, largest block. */
export function roles(points: MeasuredPoint[]): Roles {
  const r: Roles = { base: {}, deep: {}, big: {} };
  for (const d of ['read', 'write'] as const) {
    const mine = points.filter((p) => single(p, d) && p.numjobs === 1);
    r.base[d] = mine.filter((p) => p.iodepth === 1 && p.bsBytes <= SMALL && p.dirs[d]!.clat.bins).sort((a, b) => a.bsBytes - b.bsBytes)[0];
    r.deep[d] = mine.filter((p) => p.iodepth > 1 && p.bsBytes <= SMALL).sort((a, b) => b.iodepth - a.iodepth || a.bsBytes - b.bsBytes)[0];
    r.big[d] = mine.filter((p) => p.bsBytes >= 262144).sort((a, b) => b.bsBytes - a.bsBytes)[0];
  }
  return r;
}

export const slatUs = (p: MeasuredPoint, d: Dir): number => p.dirs[d]!.slat.meanNs / 1e3;
export const clatUs = (p: MeasuredPoint, d: Dir): number => p.dirs[d]!.clat.meanNs / 1e3;

/** Issuing-side costs of one direction, µs. */
export interface Issuing {
  submit: number;
  reap: number;
  jobWake: number;
  deviceWake: number;
  /** Device CPU per I/O at depth (worker), when host figures tell it. */
  worker?: number;
  /** The device's extra CPU per I/O at QD1: its worker waking for every I/O. */
  workerWake?: number;
}

function issuing(r: Roles, d: Dir, notes: string[], undetermined: string[]): Issuing | undefined {
  const base = r.base[d];
  if (!base) return undefined;
  const deep = r.deep[d];
  const m = base.dirs[d]!;
  const cycle = 1e6 / m.iops;
  const gap = Math.max(0, cycle - slatUs(base, d) - clatUs(base, d));
  if (!deep || base.fioCpuUs === undefined || deep.fioCpuUs === undefined) {
    // Without a deep run or fio's CPU figures all the time outside clat is submit CPU.
    if (!deep) undetermined.push(`${d}s at depth: no deep ${d} run; costs that fall with depth (wake-ups, batched calls) are taken from the other direction or left at their QD1 values`);
    if (base.fioCpuUs === undefined) undetermined.push(`fio's own CPU (usr_cpu, sys_cpu) is missing from ${base.files[0]}: the job thread's reap and wake-up are not fitted`);
    return { submit: cycle - clatUs(base, d), reap: 0, jobWake: 0, deviceWake: 0, ...(base.deviceCpuUs !== undefined ? { worker: base.deviceCpuUs } : {}) };
  }
  const submit = slatUs(deep, d) + gap;
  const deviceWake = Math.max(0, slatUs(base, d) - slatUs(deep, d));
  const reap = Math.max(0, deep.fioCpuUs - slatUs(deep, d) - gap);
  const jobWake = Math.max(0, base.fioCpuUs - slatUs(base, d) - gap - reap);
  notes.push(
    `${d} issuing CPU: submit ${submit.toFixed(2)} µs (slat at QD${deep.iodepth} + ${gap.toFixed(2)} µs between reap and submit), reap ${reap.toFixed(2)} µs (fio CPU per I/O at depth less slat), ` +
      `job wake-up ${jobWake.toFixed(2)} µs (fio CPU per I/O at QD1 beyond that); device wake-up ${deviceWake.toFixed(2)} µs (slat at QD1 − slat at depth) [${base.files[0]}, ${deep.files[0]}]`,
  );
  const host = deep.deviceCpuUs !== undefined && base.deviceCpuUs !== undefined ? { worker: deep.deviceCpuUs, workerWake: Math.max(0, base.deviceCpuUs - deep.deviceCpuUs) } : {};
  return { submit, reap, jobWake, deviceWake, ...host };
}

export function otherDir(d: Dir): Dir {
  return d === 'read' ? 'write' : 'read';
}

/** The write side from the read side's depth behaviour when writes were only run at QD1 (and the other way round). */
function completeFromOther(own: Issuing, other: Issuing | undefined, r: Roles, d: Dir): Issuing {
  if (r.deep[d] || !other || r.deep[otherDir(d)] === undefined) return own;
  const base = r.base[d]!;
  const slat1 = slatUs(base, d);
  const submit = Math.max(0, slat1 - other.deviceWake);
  const perIo = 1e6 / base.dirs[d]!.iops;
  const fio = base.fioCpuUs ?? perIo - clatUs(base, d);
  // the job thread's reap and wake-up are the same calls whatever the direction
  const worker = own.worker !== undefined && other.worker !== undefined && r.base[otherDir(d)]?.deviceCpuUs ? (own.worker * other.worker) / r.base[otherDir(d)]!.deviceCpuUs! : own.worker;
  const wake = worker !== undefined && own.worker !== undefined ? { workerWake: Math.max(0, own.worker - worker) } : {};
  return { submit, reap: other.reap, jobWake: Math.max(0, fio - slat1 - other.reap), deviceWake: other.deviceWake, ...(worker !== undefined ? { worker } : {}), ...wake };
}

/** Both directions' issuing-side costs; a direction without runs borrows the other's. */
export function issuingCosts(r: Roles, notes: string[], undetermined: string[]): Record<Dir, Issuing> {
  const own: Partial<Record<Dir, Issuing>> = { read: issuing(r, 'read', notes, undetermined), write: issuing(r, 'write', notes, undetermined) };
  const cost: Partial<Record<Dir, Issuing>> = {};
  for (const d of ['read', 'write'] as const) if (own[d]) cost[d] = completeFromOther(own[d]!, own[otherDir(d)], r, d);
  for (const d of ['read', 'write'] as const) {
    if (cost[d]) continue;
    undetermined.push(`the ${d} side: no ${d} run at QD1 was given; ${d}s are modelled as ${otherDir(d)}s (a guess)`);
    cost[d] = { ...cost[otherDir(d)]! };
  }
  for (const d of ['read', 'write'] as const) {
    const base = r.base[d];
    if (!base || cost[d]!.worker === undefined) continue;
    // Completed inside the submit call (clat ≪ slat, as a btrfs write on a copy-on-write
    // file or zram): whatever the device's threads did, the submit waited for it, and slat
    // has it already. Its worker stage costs nothing more.
    if (clatUs(base, d) < 0.1 * slatUs(base, d)) {
      notes.push(`${d}s complete inside the submit call (clat ${clatUs(base, d).toFixed(1)} µs, slat ${slatUs(base, d).toFixed(1)} µs): their device work is in the submit CPU`);
      cost[d] = { ...cost[d]!, worker: 0, workerWake: undefined };
    }
  }
  return cost as Record<Dir, Issuing>;
}

