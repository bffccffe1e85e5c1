/**
 * A device profile fitted from a handful of fio runs on one device.
 *
 *   QD1 runs (per direction)  ──▶ service-time histogram (clat bins), and the issuing-side
 *                                 CPU per I/O: time per I/O (1/IOPS) less clat
 *   a deep random run         ──▶ parallelism and the share of that CPU spent per system
 *                                 call (it falls with depth as an async engine batches),
 *                                 by simulating the run over a grid and keeping the best
 *   a large-block run         ──▶ transfer bandwidth, by bisection on simulated IOPS
 *
 * Every number carries where it came from, for the comments of the profile file.
 */
import { median } from 'simple-statistics';
import type { DirectionResult, Results } from '../results/types.js';
import { normalizeScenario } from '../scenario/normalize.js';
import { simulate } from '../model/simulate.js';
import { rebuildJob } from './fio-workload.js';
import { missingQd1Run } from './calibrate-inputs.js';

export interface MeasuredRun {
  file: string;
  rw: string;
  bsBytes: number;
  iodepth: number;
  numjobs: number;
  direction: 'read' | 'write';
  measured: DirectionResult;
  job: Record<string, unknown>;
}

export interface Fitted {
  device: Record<string, unknown>;
  /** What each number came from. */
  notes: string[];
  /** The input runs simulated with the fitted profile: [file, IOPS error, mean clat error]. */
  selfCheck: [string, number, number][];
}

/** Single-direction runs of one job each, with what the fit needs to know about them. */
export function classify(inputs: { file: string; results: Results }[]): MeasuredRun[] {
  const runs: MeasuredRun[] = [];
  for (const { file, results } of inputs) {
    for (const job of results.jobs) {
      const r = rebuildJob(job, results.globalOptions);
      if (!r.ok) continue;
      const rw = String(r.job.rw);
      if (!['read', 'write', 'randread', 'randwrite'].includes(rw)) continue;
      const direction = rw.includes('read') ? 'read' : 'write';
      const bs = Number(String(r.job.bs ?? '4096').split(',')[0]);
      runs.push({ file, rw, bsBytes: bs, iodepth: Number(r.job.iodepth ?? 1), numjobs: Number(r.job.numjobs ?? 1), direction, measured: job[direction], job: r.job });
    }
  }
  return medianOfRepetitions(runs);
}

/**
 * Repetitions of one point (same rw, bs, iodepth, numjobs): the fit uses the one with the
 * median IOPS, so one noisy run does not set the profile.
 */
function medianOfRepetitions(runs: MeasuredRun[]): MeasuredRun[] {
  const groups = new Map<string, MeasuredRun[]>();
  for (const r of runs) {
    const k = `${r.rw}/${r.bsBytes}/${r.iodepth}/${r.numjobs}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.values()].map((g) => {
    const sorted = [...g].sort((a, b) => a.measured.iops - b.measured.iops);
    return sorted[Math.floor((sorted.length - 1) / 2)]!;
  });
}

/** A latency histogram as 200 equally likely quantile points (µs), from json+ bins. */
export function empiricalFromBins(bins: [number, number][]): { values: number[]; weights: number[] } {
  const total = bins.reduce((s, [, c]) => s + c, 0);
  const points = 200;
  const values: number[] = [];
  let i = 0;
  let acc = bins[0]![1];
  for (let k = 0; k < points; k++) {
    const target = ((k + 0.5) / points) * total;
    while (acc < target && i < bins.length - 1) acc += bins[++i]![1];
    values.push(Math.round(bins[i]![0] / 10) / 100); // ns → µs, 0.01 µs steps
  }
  return { values, weights: values.map(() => 1) };
}

function simulateRun(device: Record<string, unknown>, run: MeasuredRun, maxIos = 40_000): DirectionResult {
  const rate = Math.max(run.measured.iops, 1);
  const durationUs = Math.max(20_000, Math.min(2e6, (maxIos / rate) * 1e6));
  const r = normalizeScenario({
    name: 'fit', seed: 1, duration: `${durationUs}us`,
    devices: { dev: device },
    volumes: { v: { device: 'dev', size: '1TiB' } },
    containers: { c: { volumes: ['v'], jobs: { j: run.job } } },
  });
  if (!r.ok) throw new Error(`calibration built an invalid device: ${r.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return simulate(r.scenario).jobs[0]![run.direction];
}

const logErr = (a: number, b: number): number => Math.abs(Math.log(Math.max(a, 1e-9) / Math.max(b, 1e-9)));

export function calibrate(inputs: { file: string; results: Results }[]): Fitted {
  const runs = classify(inputs);
  const notes: string[] = [];
  const qd1 = (dir: 'read' | 'write') => runs.filter((r) => r.direction === dir && r.iodepth === 1 && r.numjobs === 1 && r.bsBytes <= 65536 && r.measured.clat.bins);
  const device: Record<string, unknown> = {};
  const overhead: Partial<Record<'read' | 'write', number>> = {};
  for (const dir of ['read', 'write'] as const) {
    const base = qd1(dir).sort((a, b) => a.bsBytes - b.bsBytes)[0];
    if (!base) continue;
    const m = base.measured;
    const perIoUs = 1e6 / m.iops;
    overhead[dir] = Math.max(0, perIoUs - m.clat.meanNs / 1e3);
    device[dir] = { latency: { dist: 'empirical', unit: 'us', ...empiricalFromBins(m.clat.bins!) } };
    notes.push(`${dir} service time: the clat histogram of ${base.file} (QD1, ${base.bsBytes} B, mean ${(m.clat.meanNs / 1e3).toFixed(1)} µs)`);
    notes.push(`${dir} issuing-side CPU per I/O at QD1: 1/IOPS − mean clat = ${perIoUs.toFixed(2)} − ${(m.clat.meanNs / 1e3).toFixed(2)} = ${overhead[dir]!.toFixed(2)} µs (${base.file})`);
  }
  if (!device.read && !device.write) throw missingQd1Run(inputs);
  for (const dir of ['read', 'write'] as const) if (!device[dir]) device[dir] = structuredClone(device[dir === 'read' ? 'write' : 'read']);

  const meanClat: Record<'read' | 'write', number> = {
    read: (device.read as { latency: { values: number[] } }).latency.values.reduce((a, b) => a + b, 0) / 200,
    write: (device.write as { latency: { values: number[] } }).latency.values.reduce((a, b) => a + b, 0) / 200,
  };
  /**
   * At QD1 the issuing side spends O = 1/IOPS − clat outside clat (a submit call plus its
   * per-I/O work); reaping (a call plus per-I/O work) falls inside clat. callShare puts a
   * share of O into a per-call cost that the reap pays too; cpuShare says how much of the
   * rest of clat is CPU time of the issuing side (CPU-bound devices such as zram). The
   * device keeps what is left of clat, so QD1 figures stay as measured.
   */
  const ref = overhead.read ?? overhead.write ?? 0;
  const parts = (callShare: number, cpuShare: number, dir: 'read' | 'write') => {
    const call = callShare * ref;
    const submit = Math.max(0, (overhead[dir] ?? ref) - call);
    const complete = cpuShare * Math.max(0, meanClat[dir] - call);
    return { call, submit, complete, deviceShift: call + complete };
  };
  const cpuFor = (callShare: number, cpuShare: number): Record<string, unknown> => {
    const r = parts(callShare, cpuShare, 'read');
    const w = parts(callShare, cpuShare, 'write');
    const us = (x: number): string => `${x}us`;
    return { call: us(r.call), read: { submit: us(r.submit), complete: us(r.complete) }, write: { submit: us(w.submit), complete: us(w.complete) } };
  };
  const scaled = (callShare: number, cpuShare: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const dir of ['read', 'write'] as const) {
      const shift = parts(callShare, cpuShare, dir).deviceShift;
      const d = device[dir] as { latency: { dist: string; values: number[]; weights: number[] } };
      out[dir] = { ...d, latency: { ...d.latency, values: d.latency.values.map((v) => Math.max(0, Math.round((v - shift) * 100) / 100)) } };
    }
    return out;
  };

  // parallelism and per-call share, from the deepest small-block random run
  const deep = runs.filter((r) => r.iodepth * r.numjobs > 1 && r.bsBytes <= 65536).sort((a, b) => b.iodepth * b.numjobs - a.iodepth * a.numjobs)[0];
  let parallelism = 32;
  let callShare = 0;
  let cpuShare = 0;
  if (deep) {
    const depth = deep.iodepth * deep.numjobs;
    const cands = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 256].filter((c) => c <= depth);
    let best = Infinity;
    for (const c of cands) {
      for (const share of [0, 0.25, 0.5]) for (const cs of [0, 0.5, 1]) {
        const sim = simulateRun({ ...device, ...scaled(share, cs), parallelism: c, cpu: cpuFor(share, cs) }, deep);
        // Closed loop: matching IOPS matches the mean latency (Little's law); p99 carries the shape.
        const p99 = (d: DirectionResult): number => d.clat.percentiles?.find((p) => p.pct === 99)?.ns ?? d.clat.meanNs;
        const score = logErr(sim.iops, deep.measured.iops) + 0.25 * logErr(p99(sim), p99(deep.measured));
        if (score < best - 1e-9) [best, parallelism, callShare, cpuShare] = [score, c, share, cs];
      }
    }
    notes.push(
      `parallelism ${parallelism}, ${Math.round(callShare * 100)} % of the QD1 issuing CPU per system call, ${Math.round(cpuShare * 100)} % of QD1 clat spent by the issuing CPU: ` +
        `best match of simulated IOPS and p99 to ${deep.file} (depth ${depth}: ${deep.measured.iops.toFixed(0)} IOPS, mean ${(deep.measured.clat.meanNs / 1e3).toFixed(1)} µs)`,
    );
  } else notes.push('parallelism 32: no run deeper than QD1 was given, so saturation is a guess');
  Object.assign(device, scaled(callShare, cpuShare));
  device.parallelism = parallelism;
  device.cpu = cpuFor(callShare, cpuShare);

  // transfer bandwidth per direction from its largest-block run
  for (const dir of ['read', 'write'] as const) {
    const big = runs.filter((r) => r.direction === dir && r.bsBytes >= 262144).sort((a, b) => b.bsBytes - a.bsBytes)[0];
    if (!big) continue;
    let lo = 1e6;
    let hi = 1e12;
    for (let i = 0; i < 24; i++) {
      const mid = Math.sqrt(lo * hi);
      const d = { ...(device[dir] as object), bandwidth: mid };
      const sim = simulateRun({ ...device, [dir]: d }, big, 4000);
      if (sim.iops < big.measured.iops) lo = mid;
      else hi = mid;
    }
    const bw = Math.round(Math.sqrt(lo * hi));
    device[dir] = { ...(device[dir] as object), bandwidth: bw };
    notes.push(`${dir} bandwidth ${(bw / 2 ** 20).toFixed(0)} MiB/s: simulated IOPS of ${big.file} (${big.bsBytes} B, QD${big.iodepth}) matched to the measured ${big.measured.iops.toFixed(0)}`);
  }
  for (const dir of ['read', 'write'] as const) {
    const other = dir === 'read' ? 'write' : 'read';
    const bw = (device[other] as { bandwidth?: number }).bandwidth;
    if ((device[dir] as { bandwidth?: number }).bandwidth === undefined && bw !== undefined) {
      device[dir] = { ...(device[dir] as object), bandwidth: bw };
      notes.push(`${dir} bandwidth: taken from ${other}s (no large-block ${dir} run was given)`);
    }
  }

  const selfCheck: [string, number, number][] = runs.map((r) => {
    const sim = simulateRun(device, r);
    return [r.file, sim.iops / r.measured.iops - 1, sim.clat.meanNs / r.measured.clat.meanNs - 1];
  });
  if (selfCheck.length > 0) notes.push(`median |IOPS error| on its own inputs: ${(median(selfCheck.map(([, e]) => Math.abs(e))) * 100).toFixed(1)} %`);
  return { device, notes, selfCheck };
}
