/**
 * Saturation and transfer of a fit, by simulating measured points: the worker's cost
 * scaled to the deep run's IOPS, or else the parallelism (grid) or a depth table, and
 * the transfer stage's bandwidth by bisection on a large-block run.
 */
import type { Dir, MeasuredPoint } from './measured-points.js';
import { simulatePoint } from './simulate-point.js';
import { fitLatencyTable } from './fit-latency-table.js';
import { clatPercentileNs } from '../results/read.js';
import type { DirectionResult } from '../results/types.js';
import { us, type Roles } from './fit-issuing.js';

/** p99 of a direction in ns (the mean when fio gave no percentiles). */
const p99Ns = (d: DirectionResult): number => clatPercentileNs(d, 99, 'mean');

/** Returns the factor the worker's cost was scaled by (1 without a worker). */
export function fitSaturation(device: Record<string, unknown>, r: Roles, host: { cores: number } | undefined, notes: string[], undetermined: string[], worker: boolean): number {
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

export function bisectBandwidth(device: Record<string, unknown>, big: MeasuredPoint, d: Dir, host: { cores: number } | undefined, notes: string[]): void {
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
