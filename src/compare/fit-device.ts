/**
 * A device model fitted from measured points, and what the points left undetermined.
 *
 * The model (see model/): a job thread's CPU (submit per I/O and per byte, reap, the
 * thread's wake-up when a completion finds it asleep), the device's wake-up (CPU the
 * submitter spends when it finds the device idle: waking a loop worker, notifying a
 * virtual device), the device's own CPU work (a worker thread, per I/O and per byte),
 * a latency stage with `parallelism` slots, a transfer stage, and the host's cores.
 *
 *   QD1 run, per direction   ──▶ latency (clat histogram less the CPU inside clat)
 *   deep run                 ──▶ submit = slat at depth (nobody to wake); device wake =
 *                                 slat at QD1 − slat at depth; reap = fio CPU per I/O at
 *                                 depth − slat; job wake = fio CPU at QD1 − slat − reap;
 *                                 the spread of submit CPU from slat's (fit-issuing.ts)
 *   host CPU figures         ──▶ the device's own CPU per I/O (every core's kernel time
 *                                 beyond fio's) at depth: a worker stage when it is a real
 *                                 share of a core; its wake-up from the excess at QD1
 *   large-block run          ──▶ per-byte CPU: submit (slat), worker (host CPU)
 *   deep run, simulated      ──▶ the worker's cost scaled to its IOPS; without a worker,
 *                                 slots (grid) or, when their tail is far off, a depth
 *                                 table (fit-saturation.ts, fit-latency-table.ts)
 *   large-block run, simulated ─▶ the transfer stage's bandwidth where no worker explains it
 */
import type { DirectionResult } from '../results/types.js';
import type { Dir, MeasuredPoint } from './measured-points.js';
import { empiricalFromBins } from './simulate-point.js';
import { issuingCosts, otherDir, roles, slatUs, us, type Issuing, type Roles } from './fit-issuing.js';
import { bisectBandwidth, fitSaturation } from './fit-saturation.js';
import { fitBalance } from './fit-balance.js';

export interface DeviceFit {
  device: Record<string, unknown>;
  /** The host the points were measured on, for predictions; absent when unknown. */
  host?: { cores: number; balance?: string };
  /** Where each number came from. */
  notes: string[];
  /** What the points do not determine, and what the fit assumed instead. */
  undetermined: string[];
}

export class CannotFitError extends Error {}

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
  let host: DeviceFit['host'] = cores !== undefined ? { cores } : undefined;
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
  if (workerUs && host) host = fitBalance(device, host, points, r.deep.read ?? r.deep.write, notes, undetermined);
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

