/**
 * A device model fitted from measured points, and what the points left undetermined.
 *
 * The model (see model/): a job thread's CPU (submit per I/O and per byte, reap, the
 * thread's wake-up when a completion finds it asleep), the device's wake-up (CPU the
 * submitter spends when it finds the device idle: waking a loop worker, notifying a
 * virtual device), the device's own CPU work (a worker thread, per I/O and per byte),
 * a latency stage with `parallelism` slots, a transfer stage, and the host's cores.
 *
 *   QD1 run, per direction   ──▶ latency shape (clat histogram less the CPU inside clat),
 *                                 submit, reap and wake costs with the deep run:
 *   deep run                 ──▶ submit = slat at depth (nobody to wake); device wake =
 *                                 slat at QD1 − slat at depth; reap = fio CPU per I/O at
 *                                 depth − slat; job wake = fio CPU at QD1 − slat − reap
 *   host CPU figures         ──▶ the device's own CPU per I/O (every core's kernel time
 *                                 beyond fio's): a worker stage when it is a real share
 *   large-block run          ──▶ per-byte costs: submit (slat), worker (host CPU), else
 *                                 the transfer stage's bandwidth, by bisection on IOPS
 *   deep run, simulated      ──▶ parallelism (grid), then the worker's cost scaled so the
 *                                 deep run's IOPS come out as measured
 */
import type { DirectionResult } from '../results/types.js';
import type { Dir, MeasuredPoint } from './measured-points.js';
import { empiricalFromBins, simulatePoint } from './simulate-point.js';
import { fitLatencyTable, p99Ns } from './fit-latency-table.js';

export interface DeviceFit {
  device: Record<string, unknown>;
  /** The host the points were measured on, for predictions; absent when unknown. */
  host?: { cores: number };
  /** Where each number came from. */
  notes: string[];
  /** What the points do not determine, and what the fit assumed instead. */
  undetermined: string[];
}

export class CannotFitError extends Error {}

const us = (x: number): string => `${Math.max(0, Math.round(x * 1000) / 1000)}us`;
const SMALL = 65536;
const single = (p: MeasuredPoint, d: Dir): boolean => (p.rw === (d === 'read' ? 'randread' : 'randwrite') || p.rw === d) && p.dirs[d] !== undefined;

interface Roles {
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

const slatUs = (p: MeasuredPoint, d: Dir): number => p.dirs[d]!.slat.meanNs / 1e3;
const clatUs = (p: MeasuredPoint, d: Dir): number => p.dirs[d]!.clat.meanNs / 1e3;

/** Issuing-side costs of one direction, µs. */
interface Issuing {
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

function otherDir(d: Dir): Dir {
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

interface Fitting {
  r: Roles;
  cost: Record<Dir, Issuing>;
  notes: string[];
  undetermined: string[];
  /** The worker's CPU per byte (µs), per direction, when host figures gave it. */
  perByte?: Partial<Record<Dir, number>>;
}

/** The block size of the run the direction's small-block costs came from. */
function smallBs(r: Roles, d: Dir): number {
  return (r.deep[d] ?? r.base[d] ?? r.base[otherDir(d)])!.bsBytes;
}

/** `defaultCores`: the host's cores when no point carries host figures. */
export function fitDevice(points: MeasuredPoint[], defaultCores?: number): DeviceFit {
  const r = roles(points);
  const notes: string[] = [];
  const undetermined: string[] = [];
  if (!r.base.read && !r.base.write) throw new CannotFitError('calibration needs a QD1 run with json+ bins (fio --output-format=json+) of random reads or writes at a small block size');
  const f: Fitting = { r, cost: issuingCosts(r, notes, undetermined), notes, undetermined };
  const cores = points.find((p) => p.cores !== undefined)?.cores ?? defaultCores;
  if (cores === undefined) undetermined.push("the host's cores: no host CPU figures were given (blocksim fio sweep records them); the model leaves the CPU unshared");
  const host = cores !== undefined ? { cores } : undefined;
  const threads = workerThreads(f);
  const workerUs = threads > 0 ? { read: f.cost.read.worker!, write: f.cost.write.worker! } : undefined;
  if (workerUs) notes.push(`device worker: ${threads} thread(s), ${workerUs.read.toFixed(2)} µs per read and ${workerUs.write.toFixed(2)} µs per write of host CPU (kernel time beyond fio's, per I/O at depth)`);
  const device = assemble(f, threads, undefined);
  f.perByte = cpuPerByte(device, f, threads > 0);
  if (workerUs) applyLatency(device, f, workerUs);
  const k = fitSaturation(device, r, host, notes, undetermined, threads > 0);
  if (workerUs && k !== 1) {
    // the worker's CPU inside QD1 clat is the scaled one: take that out, then rescale
    applyLatency(device, f, { read: workerUs.read * k, write: workerUs.write * k });
    fitSaturation(device, r, host, [], [], true);
  }
  transferBandwidth(device, f, host);
  return { device, ...(host ? { host } : {}), notes, undetermined };
}

/** The device from the issuing costs, the worker and the latency stage. */
function assemble(f: Fitting, threads: number, workerUs: Record<Dir, number> | undefined): Record<string, unknown> {
  const device: Record<string, unknown> = { parallelism: 1024, read: {}, write: {} };
  device.cpu = {
    ...cpuSpread(f),
    read: { submit: us(f.cost.read.submit), complete: us(f.cost.read.reap) },
    write: { submit: us(f.cost.write.submit), complete: us(f.cost.write.reap) },
  };
  device.wake = us((f.cost.read.deviceWake + f.cost.write.deviceWake) / 2);
  if (threads > 0) device.worker = { threads, read: {}, write: {} };
  applyLatency(device, f, workerUs);
  return device;
}

/**
 * How much a submit's CPU varies: slat's coefficient of variation, the least among the
 * small-block runs (a standard deviation is dragged up by a few runs' hiccups).
 */
function cpuSpread(f: Fitting): { cv?: number } {
  const cvs: [number, string][] = [];
  for (const d of ['read', 'write'] as const) {
    for (const p of [f.r.base[d], f.r.deep[d]]) {
      const slat = p?.dirs[d]?.slat;
      if (p && slat && slat.meanNs > 0 && slat.stddevNs > 0) cvs.push([slat.stddevNs / slat.meanNs, p.files[0]!]);
    }
  }
  if (cvs.length === 0) return {};
  const [cv, file] = cvs.sort((a, b) => a[0] - b[0])[0]!;
  f.notes.push(`submit and reap CPU vary with a coefficient of variation of ${cv.toFixed(2)}: slat's in ${file}`);
  return { cv: Math.round(Math.min(3, cv) * 1000) / 1000 };
}

/** Sets the latency stage, the wake-ups and the worker's per-I/O cost (which they depend on). */
function applyLatency(device: Record<string, unknown>, f: Fitting, workerUs: Record<Dir, number> | undefined): void {
  const { latency, wakeUs } = latencyStage(f, workerUs);
  for (const d of ['read', 'write'] as const) device[d] = { ...(device[d] as object), latency: latency[d] };
  (device.cpu as Record<string, unknown>).wake = us((f.cost.read.jobWake + f.cost.write.jobWake) / 2);
  const w = device.worker as Record<string, unknown> | undefined;
  if (!w || !workerUs) return;
  w.wake = us(wakeUs);
  // the worker's CPU at the small block size less its per-byte part
  for (const d of ['read', 'write'] as const) w[d] = { ...(w[d] as object), perIo: us(workerUs[d] - (f.perByte?.[d] ?? 0) * smallBs(f.r, d)) };
}

/** Both directions' issuing-side costs; a direction without runs borrows the other's. */
function issuingCosts(r: Roles, notes: string[], undetermined: string[]): Record<Dir, Issuing> {
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

/** Worker threads the device's own CPU needs (0: not a CPU-bound device, or unknown). */
function workerThreads(f: Fitting): number {
  const { r, cost } = f;
  if (cost.read.worker === undefined || cost.write.worker === undefined) {
    f.undetermined.push("the device's own CPU: no host CPU figures were given; the device is modelled as using none of the host's cores");
    return 0;
  }
  // Cores the device's CPU kept busy in the deep run: at QD1 it is mostly wake-up overhead,
  // and a device that is not CPU-bound shows a few % of interrupt work at most.
  const deep = r.deep.read ? 'read' : r.deep.write ? 'write' : undefined;
  if (deep === undefined) {
    f.undetermined.push("the device's own CPU at depth: no deep run; the device is modelled as using none of the host's cores");
    return 0;
  }
  const busy = (cost[deep].worker! * r.deep[deep]!.dirs[deep]!.iops) / 1e6;
  if (busy > 0.3) return Math.max(1, Math.round(busy));
  f.notes.push(`device CPU outside fio is ${(busy * 100).toFixed(0)} % of a core at depth: not modelled as a worker`);
  return 0;
}

/**
 * Each direction's latency: its QD1 clat histogram less the CPU time inside clat (reap,
 * the job thread's wake-up; with a worker, the worker's work and wake-up). What is left is
 * a latency every I/O sees (for a device that is all CPU, little).
 */
function latencyStage(f: Fitting, workerUs: Record<Dir, number> | undefined): { latency: Record<Dir, Record<string, unknown>>; wakeUs: number } {
  const latency = {} as Record<Dir, Record<string, unknown>>;
  const wakes = (['read', 'write'] as const).map((d) => f.cost[d].workerWake).filter((x): x is number => x !== undefined);
  const wake = workerUs && wakes.length > 0 ? Math.max(0, wakes.reduce((a, b) => a + b, 0) / wakes.length) : 0;
  for (const d of ['read', 'write'] as const) {
    const c = f.cost[d];
    const bd = f.r.base[d] ? d : otherDir(d);
    const inClat = c.reap + c.jobWake + (workerUs && c.worker !== 0 ? workerUs[d] + wake : 0);
    const values = quantilesLess(f.r.base[bd]!.dirs[bd]!, inClat);
    latency[d] = { dist: 'empirical', unit: 'us', values, weights: values.map(() => 1) };
    f.notes.push(
      `${d} latency: the clat histogram of ${f.r.base[bd]!.files.join(' + ')} less ${(c.reap + c.jobWake).toFixed(2)} µs of reap and wake-up CPU` +
        (workerUs ? ` and ${(workerUs[d] + wake).toFixed(2)} µs of the worker's CPU (work ${workerUs[d].toFixed(2)}, wake-up ${wake.toFixed(2)}: its kernel time per I/O at QD1 beyond that at depth)` : ''),
    );
  }
  return { latency, wakeUs: wake };
}

/** The QD1 clat histogram as 200 quantile points (µs), less `shiftUs` (never below 0). */
function quantilesLess(m: DirectionResult, shiftUs: number): number[] {
  return empiricalFromBins(m.clat.bins!).values.map((v) => Math.max(0, Math.round((v - shiftUs) * 100) / 100));
}

/** Per-byte CPU from the large-block runs: the submit call's (slat), and the worker's (host CPU figures). */
function cpuPerByte(device: Record<string, unknown>, f: Fitting, worker: boolean): Partial<Record<Dir, number>> {
  const cpu = device.cpu as Record<string, Record<string, unknown>>;
  const out: Partial<Record<Dir, number>> = {};
  for (const d of ['read', 'write'] as const) {
    const big = f.r.big[d];
    const small = f.r.deep[d] ?? f.r.base[d];
    if (!big || !small) continue;
    const extra = big.bsBytes - small.bsBytes;
    const submitPerByte = Math.max(0, (slatUs(big, d) - slatUs(small, d)) / extra);
    // the small run's submit already holds its own bytes: per I/O is what is left
    if (submitPerByte > 0) cpu[d] = { ...cpu[d], submit: us(f.cost[d].submit - small.bsBytes * submitPerByte), bandwidth: Math.round(1e6 / submitPerByte) };
    let note = `${d} per byte: submit ${(submitPerByte * 2 ** 20).toFixed(1)} µs/MiB (slat of ${big.files[0]} against ${small.files[0]})`;
    if (worker && big.deviceCpuUs !== undefined && small.deviceCpuUs !== undefined) {
      const perByte = Math.max(0, (big.deviceCpuUs - small.deviceCpuUs) / extra);
      out[d] = perByte;
      const w = device.worker as Record<string, Record<string, unknown>>;
      if (perByte > 0) w[d] = { ...w[d], bandwidth: Math.round(1e6 / perByte) };
      note += `, worker ${(perByte * 2 ** 20).toFixed(1)} µs/MiB (host CPU)`;
    }
    f.notes.push(note);
  }
  return out;
}

/** The transfer stage's bandwidth, by bisection on the large-block runs, where the worker's per-byte CPU does not account for them. */
function transferBandwidth(device: Record<string, unknown>, f: Fitting, host: { cores: number } | undefined): void {
  for (const d of ['read', 'write'] as const) {
    const big = f.r.big[d];
    if (big && f.perByte?.[d] === undefined) bisectBandwidth(device, big, d, host, f.notes);
  }
  for (const d of ['read', 'write'] as const) {
    if (f.r.big[d]) continue;
    const other = otherDir(d);
    const od = device[other] as { bandwidth?: number };
    if (f.r.big[other] && od.bandwidth !== undefined) {
      device[d] = { ...(device[d] as object), bandwidth: od.bandwidth };
      f.undetermined.push(`${d} bandwidth: no large-block ${d} run; taken from ${other}s (a guess)`);
    } else if (!f.r.big[other]) f.undetermined.push(`${d} bandwidth: no large-block run (256 KiB or more); large blocks cost only their per-I/O time (predicted too fast)`);
  }
}

function bisectBandwidth(device: Record<string, unknown>, big: MeasuredPoint, d: Dir, host: { cores: number } | undefined, notes: string[]): void {
  let lo = 1e6;
  let hi = 1e12;
  const target = big.dirs[d]!.iops;
  for (let i = 0; i < 22; i++) {
    const mid = Math.sqrt(lo * hi);
    const sim = simulatePoint({ ...device, [d]: { ...(device[d] as object), bandwidth: Math.round(mid) } }, host, big, 3000);
    if (sim[d].iops < target) lo = mid;
    else hi = mid;
  }
  const bw = Math.round(Math.sqrt(lo * hi));
  device[d] = { ...(device[d] as object), bandwidth: bw };
  notes.push(`${d} bandwidth ${(bw / 2 ** 20).toFixed(0)} MiB/s: the simulated IOPS of ${big.files[0]} (${big.bsBytes} B, QD${big.iodepth}) matched to the measured ${target.toFixed(0)}`);
}

/** Saturation from the deep run: the worker's cost scaled to its IOPS, or else the parallelism (grid). */
/** Returns the factor the worker's cost was scaled by (1 without a worker). */
function fitSaturation(device: Record<string, unknown>, r: Roles, host: { cores: number } | undefined, notes: string[], undetermined: string[], worker: boolean): number {
  const deep = r.deep.read ?? r.deep.write;
  if (!deep) {
    undetermined.push('saturation: no run deeper than QD1; parallelism left unlimited (1024), so IOPS keep rising with depth');
    return 1;
  }
  const d: Dir = r.deep.read ? 'read' : 'write';
  // a device that is all CPU saturates on its worker, not on a slot count
  if (worker) return scaleWorker(device, deep, d, host, notes);
  const target = deep.dirs[d]!;
  const logErr = (a: number, b: number): number => Math.abs(Math.log(Math.max(a, 1e-9) / Math.max(b, 1e-9)));
  let best = Infinity;
  let parallelism = 1024;
  let p99Err = Infinity;
  for (const c of [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 256, 1024].filter((x) => x <= Math.max(deep.iodepth * deep.numjobs, 1) || x === 1024)) {
    const sim = simulatePoint({ ...device, parallelism: c }, host, deep)[d];
    const score = logErr(sim.iops, target.iops) + 0.25 * logErr(p99Ns(sim), p99Ns(target));
    if (score < best - 1e-9) [best, parallelism, p99Err] = [score, c, logErr(p99Ns(sim), p99Ns(target))];
  }
  // slots wait in FIFO order: at depth their latencies are narrow; a wide measured tail
  // there says the latency itself grows with load
  if (p99Err > Math.log(1.25) && target.clat.bins) {
    const reap = parseFloat(String((device.cpu as Record<Dir, { complete: string }>)[d].complete));
    notes.push(fitLatencyTable(device, deep, d, reap, host));
    undetermined.push(`the ${d === 'read' ? 'write' : 'read'} side at depth: no deep run of its own; its latency grows as the ${d} side's does (a guess)`);
    return 1;
  }
  device.parallelism = parallelism;
  notes.push(`parallelism ${parallelism}: best match of simulated IOPS and p99 to ${deep.files[0]} (QD${deep.iodepth}: ${target.iops.toFixed(0)} IOPS)`);
  return 1;
}

/** Scales the worker's per-I/O cost until the deep run's simulated IOPS are the measured ones; returns the factor. */
function scaleWorker(device: Record<string, unknown>, deep: MeasuredPoint, d: Dir, host: { cores: number } | undefined, notes: string[]): number {
  const w = device.worker as { threads: number; read: Record<string, unknown>; write: Record<string, unknown> };
  const at = (k: number): Record<string, unknown> => {
    const scale = (x: Record<string, unknown>): Record<string, unknown> => ({ ...x, perIo: us(parseFloat(String(x.perIo)) * k) });
    return { ...device, worker: { ...w, read: scale(w.read), write: scale(w.write) } };
  };
  const target = deep.dirs[d]!.iops;
  let lo = 0.25;
  let hi = 4;
  if (simulatePoint(at(lo), host, deep)[d].iops < target || simulatePoint(at(hi), host, deep)[d].iops > target) return 1;
  for (let i = 0; i < 14; i++) {
    const mid = Math.sqrt(lo * hi);
    if (simulatePoint(at(mid), host, deep)[d].iops > target) lo = mid;
    else hi = mid;
  }
  const k = Math.sqrt(lo * hi);
  Object.assign(device, at(k));
  notes.push(`worker cost × ${k.toFixed(2)} so that ${deep.files[0]} runs at its measured ${target.toFixed(0)} IOPS`);
  return k;
}
