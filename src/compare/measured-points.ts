/**
 * Measured fio runs as calibration points: one point per distinct workload (rw, block
 * size, depth, jobs, mix), with its repetitions pooled and their spread kept.
 *
 *   fio runs (+ host CPU figures) ──▶ one job each, rebuilt ──▶ grouped by workload
 *        ──▶ repetitions pooled: IOPS averaged, clat histograms added (so percentiles are
 *            those of all the I/Os), CPU per I/O averaged; spread = (max − min) / mean
 *
 * Runs of the same workload are repetitions only when they say so: their file names
 * differ only in a repetition suffix (`-r1`, `-r2`, as `blocksim fio sweep --repeat`
 * writes them), or the caller asks for same-workload runs to be pooled. Otherwise (a run
 * before and after a snapshot, another target) they are refused, never silently pooled.
 */
import type { DirectionResult, JobResult, Results } from '../results/types.js';
import { bucketIndex, FioHistogram, FIO_DEFAULT_PERCENTILES } from '../stats/fio-histogram.js';
import { rebuildJob } from './fio-workload.js';
import { clatPercentileNs, poolLatency } from '../results/read.js';
import type { ParsedJob } from '../scenario/on-device.js';

/** The host's CPU over one run, as `blocksim fio sweep` records it beside the fio JSON. */
export interface HostFigures {
  cores: number;
  /** Share of all cores' time, 0..1. */
  cpu: { user: number; system: number; softirq: number; idle: number; iowait: number; steal: number };
  /** Share of all cores' time other processes used, 0..1. */
  othersCpu?: number;
}

/** Above this share of the cores taken by others, a run measures its neighbours as much as its device. */
export const DISTURBED_SHARE = 0.1;

/** What a run's host figures say of the share of the cores it did not have for itself. */
type Disturbing = { cpu?: { steal?: number }; othersCpu?: number };

/**
 * The share of the cores a run did not have for itself: other processes' CPU and the
 * hypervisor's steal (time this machine's virtual cores were runnable but ran another
 * guest). A loop device or zram runs on the host's CPU, so a run with 25 % steal
 * measured about half its IOPS here: such a run measures the neighbours, not the device.
 */
export function disturbance(host: Disturbing): { share: number; others: number; steal: number } {
  const others = host.othersCpu ?? 0;
  const steal = host.cpu?.steal ?? 0;
  return { share: others + steal, others, steal };
}

/** "other processes 3 % and the hypervisor's steal 28 %", naming only what is there. */
export function describeDisturbance(d: { others: number; steal: number }): string {
  const parts = [...(d.others >= 0.005 ? [`other processes ${Math.round(d.others * 100)} %`] : []), ...(d.steal >= 0.005 ? [`the hypervisor's steal ${Math.round(d.steal * 100)} %`] : [])];
  return parts.length > 0 ? parts.join(' and ') : 'undisturbed';
}

export interface MeasuredInput {
  file: string;
  results: Results;
  host?: HostFigures;
}

export type Dir = 'read' | 'write';

export interface MeasuredPoint {
  /** rw/bs/iodepth/numjobs[/rwmixread]. */
  key: string;
  files: string[];
  target: string;
  rw: string;
  bsBytes: number;
  iodepth: number;
  numjobs: number;
  rwmixread?: number;
  /** The fio job's options as scenario values (the point's key and description). */
  job: Record<string, unknown>;
  /** The same, typed by the option table's parsers: what simulating the point runs. */
  parsed: ParsedJob;
  durationUs: number;
  rampUs: number;
  /** Pooled over repetitions; a direction without I/O is absent. */
  dirs: Partial<Record<Dir, DirectionResult>>;
  /** fio's own CPU (all its job threads) per I/O, µs, averaged over repetitions; absent when fio did not report it. */
  fioCpuUs?: number;
  /** Every core's kernel time per I/O less fio's (the device's own CPU: loop workers, interrupts), µs, averaged over repetitions. */
  deviceCpuUs?: number;
  cores?: number;
  /**
   * The most disturbed repetition: the share of the cores other processes (`others`) and
   * the hypervisor (`steal`) took over the run; absent without host figures.
   */
  disturbed?: { share: number; others: number; steal: number; file: string };
  /** (max − min) / mean over repetitions of the main direction; absent with one run. */
  spread?: { iops: number; p50: number; p99: number };
}

export class AmbiguousRunsError extends Error {}

const SEQUENTIAL_OR_RANDOM = new Set(['read', 'write', 'randread', 'randwrite', 'rw', 'readwrite', 'randrw']);

interface OneRun {
  input: MeasuredInput;
  job: JobResult;
  rebuilt: Record<string, unknown>;
  parsed: ParsedJob;
  durationUs: number;
  rampUs: number;
}

function pointKey(j: Record<string, unknown>): string {
  const rw = String(j.rw);
  const mixed = rw === 'rw' || rw === 'readwrite' || rw === 'randrw';
  return `${rw}/${String(j.bs ?? 4096)}/${Number(j.iodepth ?? 1)}/${Number(j.numjobs ?? 1)}${mixed ? `/${Number(j.rwmixread ?? (j.rwmixwrite !== undefined ? 100 - Number(j.rwmixwrite) : 50))}` : ''}`;
}

const repetitionStem = (file: string): string => file.replace(/-r\d+$/, '');

/** The runs as points; `pool: 'repeat'` treats every same-workload run as a repetition. */
export function measuredPoints(inputs: MeasuredInput[], pool: 'named' | 'repeat' = 'named'): { points: MeasuredPoint[]; skipped: string[] } {
  const groups = new Map<string, OneRun[]>();
  const skipped: string[] = [];
  for (const input of inputs) {
    const jobs = input.results.jobs.filter((j) => j.name !== 'All clients');
    for (const job of jobs) {
      const r = rebuildJob(job, input.results.globalOptions);
      if (!r.ok) {
        skipped.push(`${input.file} (${job.name}): ${r.reason}`);
        continue;
      }
      if (!SEQUENTIAL_OR_RANDOM.has(String(r.job.rw))) continue;
      const run: OneRun = { input, job, rebuilt: r.job, parsed: r.parsed, durationUs: r.durationUs, rampUs: r.rampUs };
      const key = pointKey(r.job);
      groups.set(key, [...(groups.get(key) ?? []), run]);
    }
  }
  const points = [...groups.entries()].map(([key, runs]) => {
    checkRepetitions(key, runs, pool);
    return poolPoint(key, runs);
  });
  return { points, skipped };
}

function checkRepetitions(key: string, runs: OneRun[], pool: 'named' | 'repeat'): void {
  if (runs.length < 2) return;
  const targets = new Set(runs.map((r) => targetOf(r)));
  const files = runs.map((r) => r.input.file);
  if (targets.size > 1) {
    throw new AmbiguousRunsError(`runs of the same workload (${key}) on different targets (${[...targets].join(', ')}): ${files.join(', ')}; calibrate one device at a time`);
  }
  if (pool === 'repeat') return;
  const stems = new Set(files.map(repetitionStem));
  if (stems.size > 1 || files.every((f) => repetitionStem(f) === f)) {
    throw new AmbiguousRunsError(
      `runs of the same workload (${key}) that are not named as repetitions: ${files.join(', ')}. ` +
        'Name repetitions <point>-r1, <point>-r2 (as fio sweep --repeat does) or pass --pool-same-workload to average them; ' +
        'runs that differ in something fio does not record (before and after a snapshot) belong in separate calibrations',
    );
  }
}

function targetOf(r: OneRun): string {
  return r.job.options.filename ?? r.input.results.globalOptions.filename ?? '';
}

function poolPoint(key: string, runs: OneRun[]): MeasuredPoint {
  const first = runs[0]!;
  const j = first.rebuilt;
  const dirs: MeasuredPoint['dirs'] = {};
  for (const d of ['read', 'write'] as const) {
    const withIo = runs.map((r) => r.job[d]).filter((x) => x.totalIos > 0);
    if (withIo.length > 0) dirs[d] = poolDirections(withIo);
  }
  const main: Dir = dirs.read && (!dirs.write || dirs.read.iops >= dirs.write.iops) ? 'read' : 'write';
  const numjobs = Number(j.numjobs ?? 1);
  const fio = runs.map((r) => fioCpuPerIo(r, numjobs)).filter((x): x is number => x !== undefined);
  const dev = runs.map((r) => deviceCpuPerIo(r, numjobs)).filter((x): x is number => x !== undefined);
  const cores = runs.find((r) => r.input.host)?.input.host?.cores;
  const mixed = String(j.rw).includes('rw');
  const disturbed = runs
    .filter((r) => r.input.host)
    .map((r) => ({ ...disturbance(r.input.host!), file: r.input.file }))
    .reduce<MeasuredPoint['disturbed']>((worst, d) => (!worst || d.share > worst.share ? d : worst), undefined);
  return {
    key,
    files: runs.map((r) => r.input.file),
    target: targetOf(first),
    rw: String(j.rw),
    bsBytes: Number(String(j.bs ?? '4096').split(',')[0]),
    iodepth: Number(j.iodepth ?? 1),
    numjobs,
    ...(mixed ? { rwmixread: Number(key.split('/')[4]) } : {}),
    job: j,
    parsed: first.parsed,
    durationUs: first.durationUs,
    rampUs: first.rampUs,
    dirs,
    ...(fio.length === runs.length ? { fioCpuUs: mean(fio) } : {}),
    ...(dev.length === runs.length ? { deviceCpuUs: Math.max(0, mean(dev)) } : {}),
    ...(cores !== undefined ? { cores } : {}),
    ...(disturbed ? { disturbed } : {}),
    ...(runs.length > 1 ? { spread: spreadOf(runs.map((r) => r.job[main])) } : {}),
  };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const totalIops = (job: JobResult): number => job.read.iops + job.write.iops;

/** fio's CPU of all the job's threads per I/O (fio reports the per-thread average). */
function fioCpuPerIo(r: OneRun, numjobs: number): number | undefined {
  const c = r.job.cpu;
  const iops = totalIops(r.job);
  if (!c || iops <= 0) return undefined;
  return (((c.usrPct + c.sysPct) / 100) * numjobs * 1e6) / iops;
}

/**
 * The host's busy core time per I/O beyond fio's own: the device's CPU. User time beyond
 * fio's is other processes' (the devices here work in the kernel) and is left out.
 */
function deviceCpuPerIo(r: OneRun, numjobs: number): number | undefined {
  const h = r.input.host;
  const c = r.job.cpu;
  const iops = totalIops(r.job);
  if (!h || !c || iops <= 0) return undefined;
  const fioCores = ((c.usrPct + c.sysPct) / 100) * numjobs;
  const kernelCores = (h.cpu.system + h.cpu.softirq) * h.cores;
  const fioSysCores = (c.sysPct / 100) * numjobs;
  return (Math.max(0, kernelCores - fioSysCores) * 1e6) / iops + 0 * fioCores;
}

function spreadOf(ds: DirectionResult[]): { iops: number; p50: number; p99: number } {
  const rel = (xs: number[]): number => (Math.max(...xs) - Math.min(...xs)) / mean(xs);
  return { iops: rel(ds.map((d) => d.iops)), p50: rel(ds.map((d) => clatPercentileNs(d, 50, 'mean'))), p99: rel(ds.map((d) => clatPercentileNs(d, 99, 'mean'))) };
}

/** Repetitions of one direction as one: rates averaged, latencies of all the I/Os together. */
export function poolDirections(ds: DirectionResult[]): DirectionResult {
  if (ds.length === 1) return ds[0]!;
  const hist = new FioHistogram();
  let binned = true;
  for (const d of ds) {
    if (!d.clat.bins) binned = false;
    else for (const [ns, count] of d.clat.bins) hist.addCount(bucketIndex(ns), count);
  }
  const clat = poolLatency(ds.map((d) => d.clat));
  if (binned) {
    const values = hist.percentiles(FIO_DEFAULT_PERCENTILES);
    clat.percentiles = FIO_DEFAULT_PERCENTILES.map((pct, i) => ({ pct, ns: values[i]! }));
    clat.bins = hist.bins();
  } else {
    clat.percentiles = ds[0]!.clat.percentiles?.map((p, i) => ({ pct: p.pct, ns: mean(ds.map((d) => d.clat.percentiles?.[i]?.ns ?? p.ns)) }));
  }
  return {
    totalIos: ds.reduce((s, d) => s + d.totalIos, 0),
    ioBytes: ds.reduce((s, d) => s + d.ioBytes, 0),
    runtimeMs: ds.reduce((s, d) => s + d.runtimeMs, 0),
    iops: mean(ds.map((d) => d.iops)),
    bwBytesPerSec: mean(ds.map((d) => d.bwBytesPerSec)),
    slat: poolLatency(ds.map((d) => d.slat)),
    clat,
    lat: poolLatency(ds.map((d) => d.lat)),
  };
}
