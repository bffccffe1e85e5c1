/**
 * What a snapshot costs, fitted from fio runs before and after it on the same target:
 * the per-chunk first-write costs of `snapshots.firstWrite` (see model/volume-engine.ts).
 *
 *   run before (QD1)  ─┐
 *                      ├─▶ Δ mean slat / share of first writes ─▶ submit (in the issuing thread)
 *   first run after   ─┘   Δ median clat / share              ─▶ device (on the data write)
 *                          background = 1.5 × submit (fio's JSON cannot see kernel workers)
 *
 * Which I/Os of a run are first writes follows from the runs' order and fio's offsets:
 * with the random map and randrepeat (fio's defaults) every run after the snapshot issues
 * the same offsets, so run k's first writes are the part of it beyond what earlier runs
 * covered; with norandommap the same sequence is drawn with replacement. Measured on
 * btrfs (README: snapshot costs): the mean slat rise holds the submission work and its
 * stall tail, the median clat rise the device's share, and the filesystem's workers spend
 * about 1.5× the submission work on the host's cores, out of fio's sight. Pure.
 */
import type { DirectionResult, JobResult, Results } from '../results/types.js';
import { clatPercentileNs } from '../results/read.js';
import type { HostFigures } from './measured-points.js';

export interface SnapshotRun {
  file: string;
  results: Results;
  /** The host's CPU over the run (`<run>.host.json`): gives the filesystem's background work. */
  host?: HostFigures;
}

export interface FirstWriteFit {
  submitUs: number;
  backgroundUs: number;
  deviceUs: number;
  /** One in `every` first writes waits `durationUs` for the volume's flusher; absent when the runs show no stall tail (or have no slat histogram). */
  stall?: { every: number; durationUs: number };
}

export interface SnapshotFit {
  firstWrite: FirstWriteFit;
  /** Per run after the snapshot, in order: writes, first writes among them, and their share. */
  shares: { file: string; writes: number; firstWrites: number; share: number }[];
  notes: string[];
}

export class SnapshotFitError extends Error {}

const BACKGROUND_PER_SUBMIT = 1.5;

function onlyJob(run: SnapshotRun): JobResult {
  const jobs = run.results.jobs.filter((j) => j.name !== 'All clients');
  if (jobs.length !== 1) throw new SnapshotFitError(`${run.file}: expected one fio job, found ${jobs.length}`);
  return jobs[0]!;
}

function writingJob(run: SnapshotRun): JobResult {
  const job = onlyJob(run);
  if (job.write.totalIos === 0) throw new SnapshotFitError(`${run.file}: the job wrote nothing; the fit needs writes`);
  return job;
}

function optionsOf(run: SnapshotRun): Record<string, string> {
  return { ...run.results.globalOptions, ...onlyJob(run).options };
}

/** fio sizes are binary whatever the suffix. */
function fioBytes(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtp])?(i?b)?$/i.exec(text.trim());
  if (!m) return undefined;
  const scale: Record<string, number> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50 };
  return Number(m[1]) * scale[(m[2] ?? '').toLowerCase()]!;
}

const flag = (o: Record<string, string>, k: string, dflt: boolean): boolean => (o[k] === undefined ? dflt : o[k] === '' || o[k] === '1' || o[k] === 'true');

/** Writes the run issued, ramp included (fio counts only after ramp_time). */
function issuedWrites(run: SnapshotRun): number {
  const w = onlyJob(run).write;
  const o = optionsOf(run);
  const ramp = Number(o.ramp_time ?? 0);
  const runtimeS = w.runtimeMs / 1000;
  return runtimeS > 0 && ramp > 0 ? w.totalIos * ((runtimeS + ramp) / runtimeS) : w.totalIos;
}

/** The share of first writes in each run after the snapshot, from their order and fio's offsets. */
export function firstWriteShares(after: SnapshotRun[]): SnapshotFit['shares'] {
  const writer = after.find((r) => onlyJob(r).write.totalIos > 0) ?? after[0]!;
  const o = optionsOf(writer);
  const blockBytes = fioBytes((o.bs ?? o.blocksize ?? '4096').split(',').pop()) ?? 4096;
  const spanBytes = fioBytes(o.size);
  const blocks = spanBytes !== undefined ? Math.max(1, Math.floor(spanBytes / blockBytes)) : Infinity;
  const randomMap = !flag(o, 'norandommap', false);
  const repeat = flag(o, 'randrepeat', true);
  const distinct = (n: number): number => (blocks === Infinity ? n : randomMap ? Math.min(n, blocks) : blocks * (1 - Math.exp(-n / blocks)));
  let covered = 0; // blocks written since the snapshot (randrepeat: always the start of one sequence)
  return after.map((run) => {
    const writes = issuedWrites(run);
    let first: number;
    if (repeat) {
      first = Math.max(0, distinct(writes) - covered);
      covered = Math.max(covered, distinct(writes));
    } else {
      first = blocks === Infinity ? distinct(writes) : distinct(writes) * (1 - covered / blocks);
      covered = blocks === Infinity ? covered + first : Math.min(blocks, covered + first);
    }
    return { file: run.file, writes, firstWrites: first, share: writes > 0 ? Math.min(1, first / writes) : 0 };
  });
}

/** The host's kernel CPU per write beyond fio's own (the filesystem's workers, the device's), µs; undefined without host figures. */
function kernelPerWriteUs(run: SnapshotRun): number | undefined {
  const h = run.host;
  const job = onlyJob(run);
  const c = job.cpu;
  const iops = job.write.iops + job.read.iops;
  if (!h || !c || iops <= 0) return undefined;
  return ((h.cpu.system + h.cpu.softirq) * h.cores - c.sysPct / 100) * 1e6 / iops;
}

/** The rise of that kernel CPU per first write, from the before run to the first run after the snapshot. */
function kernelRiseUs(base: SnapshotRun, first: SnapshotRun, share: number): number | undefined {
  const b = kernelPerWriteUs(base);
  const a = kernelPerWriteUs(first);
  return b === undefined || a === undefined ? undefined : (a - b) / share;
}

/** A submission slower than this is a stall (a wait on metadata space, ~0.5–3 ms on btrfs), not CPU work. */
const STALL_NS = 300_000;

/** Submissions slower than STALL_NS: count and total time, from json+ slat bins (fio --slat_percentiles=1). */
function slatTail(d: DirectionResult): { count: number; sumNs: number } | undefined {
  const bins = d.slat.bins;
  if (!bins || bins.length === 0) return undefined;
  let count = 0;
  let sumNs = 0;
  for (const [ns, c] of bins) if (ns > STALL_NS) {
    count += c;
    sumNs += ns * c;
  }
  return { count, sumNs };
}

/**
 * The stall tail of first writes: submissions beyond STALL_NS in the run after the
 * snapshot beyond the before run's rate, one per `every` first writes, each `durationUs`.
 */
function fitStall(b: DirectionResult, a: DirectionResult, firstWrites: number): { stall?: FirstWriteFit['stall']; note: string } {
  const tb = slatTail(b);
  const ta = slatTail(a);
  if (!tb || !ta) return { note: 'stall tail: not fitted, the runs have no slat histogram (run fio with --slat_percentiles=1 and --output-format=json+)' };
  const extra = ta.count - (b.totalIos > 0 ? (tb.count / b.totalIos) * a.totalIos : 0);
  if (!(extra >= 3) || ta.count === 0) return { note: `stall tail: none (${ta.count} submissions beyond ${STALL_NS / 1e3} µs after the snapshot, ${tb.count} before)` };
  const durationUs = ta.sumNs / ta.count / 1e3;
  const every = Math.max(1, Math.round(firstWrites / extra));
  return { stall: { every, durationUs }, note: `stall tail: one in ${every} first writes waits ${durationUs.toFixed(0)} µs (submissions beyond ${STALL_NS / 1e3} µs: ${tb.count} of ${b.totalIos} before, ${ta.count} of ${a.totalIos} after; their mean), out of the submit cost` };
}

const workload = (o: Record<string, string>): string => [o.rw ?? o.readwrite, o.bs ?? o.blocksize, o.iodepth ?? '1', o.numjobs ?? '1'].join('/');

/**
 * Fits the first-write costs from a run before the snapshot and the runs after it (in
 * the order they ran); the first run after it must repeat the before run's workload.
 */
export function fitSnapshotCost(before: SnapshotRun[], after: SnapshotRun[]): SnapshotFit {
  if (after.length === 0) throw new SnapshotFitError('give the runs after the snapshot, in the order they ran');
  const first = after[0]!;
  const key = workload(optionsOf(first));
  const base = before.find((b) => workload(optionsOf(b)) === key);
  if (!base) throw new SnapshotFitError(`the first run after the snapshot (${first.file}: ${key}) needs a run of the same workload before it (rw/bs/iodepth/numjobs); the before runs are ${before.map((b) => `${b.file}: ${workload(optionsOf(b))}`).join(', ')}`);
  const shares = firstWriteShares(after);
  const share = shares[0]!.share;
  if (share <= 0.05) throw new SnapshotFitError(`${first.file} wrote almost no shared chunk (first-write share ${(share * 100).toFixed(1)} %): it cannot show what a first write costs`);
  const b = writingJob(base).write;
  const a = writingJob(first).write;
  const slatRiseUs = Math.max(0, (a.slat.meanNs - b.slat.meanNs) / 1e3 / share);
  const { stall, note: stallNote } = fitStall(b, a, shares[0]!.firstWrites);
  const stallPerWriteUs = stall ? Math.min(slatRiseUs, stall.durationUs / stall.every) : 0;
  const submitUs = slatRiseUs - stallPerWriteUs;
  const p50 = (d: typeof a): number => clatPercentileNs(d, 50);
  const deviceUs = Math.max(0, (p50(a) - p50(b)) / 1e3 / share);
  const kernel = kernelRiseUs(base, first, share);
  const backgroundUs = kernel !== undefined && kernel > 0 ? kernel : BACKGROUND_PER_SUBMIT * slatRiseUs;
  const notes = [
    `first-write share of ${first.file}: ${(share * 100).toFixed(1)} % (${Math.round(shares[0]!.firstWrites)} of ${Math.round(shares[0]!.writes)} writes)`,
    `submit ${submitUs.toFixed(1)} µs per first write: mean slat ${(b.slat.meanNs / 1e3).toFixed(1)} → ${(a.slat.meanNs / 1e3).toFixed(1)} µs (${base.file} → ${first.file}), over the share${stall ? `, less ${stallPerWriteUs.toFixed(1)} µs of stalls` : ''}`,
    stallNote,
    `device ${deviceUs.toFixed(1)} µs per first write: median clat ${(p50(b) / 1e3).toFixed(1)} → ${(p50(a) / 1e3).toFixed(1)} µs, over the share (0 when it fell)`,
    kernel !== undefined && kernel > 0
      ? `background ${backgroundUs.toFixed(1)} µs per first write: the rise of the host's kernel CPU beyond fio's per write (${base.file} → ${first.file}, from their host figures), over the share (${BACKGROUND_PER_SUBMIT} × the mean slat rise would give ${(BACKGROUND_PER_SUBMIT * slatRiseUs).toFixed(1)})`
      : `background ${backgroundUs.toFixed(1)} µs per first write: ${BACKGROUND_PER_SUBMIT} × the mean slat rise, as measured on btrfs (fio's JSON does not show the filesystem's workers${kernel === undefined ? '; the runs carry no host figures' : `; the host figures gave ${kernel.toFixed(1)} µs, other work on the host moved more than the filesystem's`})`,
  ];
  return { firstWrite: { submitUs, backgroundUs, deviceUs, ...(stall ? { stall } : {}) }, shares, notes };
}
