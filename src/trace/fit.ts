/**
 * The synthetic fio job closest to a trace, in the option values a blocksim scenario
 * accepts (scenario/schema.ts): rw, rwmixread, bs or bssplit, rate_iops, rate_process,
 * random_distribution, iodepth, offset and size. Each choice comes with a note saying
 * what in the trace decided it and what one job cannot express.
 *
 *   TraceStats ─▶ direction mix ─▶ sequential or random ─▶ sizes ─▶ rates ─▶ address skew ─▶ FittedJob
 */
import type { DirectionStats, TraceStats } from './stats-result.js';
import { fitZipfTheta } from './zipf-distinct.js';

/** Options as they would appear in a scenario's job map, in this order. */
export type FittedOptions = Record<string, string | number>;

export interface FittedJob {
  options: FittedOptions;
  notes: string[];
}

/** Share below which a direction or a size is left out of the job. */
const MINOR_SHARE = 0.005;
const MAX_SPLIT_ENTRIES = 16;
const DEFAULT_IODEPTH = 32;

/** A size the way fio and scenarios write it: 4k, 1m, 1g, or bytes. */
export function sizeText(bytes: number): string {
  for (const [unit, mult] of [['g', 2 ** 30], ['m', 2 ** 20], ['k', 2 ** 10]] as const) if (bytes >= mult && bytes % mult === 0) return `${bytes / mult}${unit}`;
  return String(bytes);
}

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

/** Integer percentages summing to 100 (largest remainder), entries that round to 0 dropped. */
function integerShares(weights: [number, number][]): [number, number][] {
  const total = weights.reduce((s, [, w]) => s + w, 0);
  const raw = weights.map(([size, w]) => ({ size, exact: (w / total) * 100 }));
  const floors = raw.map((r) => ({ ...r, pct: Math.floor(r.exact) }));
  let left = 100 - floors.reduce((s, r) => s + r.pct, 0);
  for (const r of [...floors].sort((a, b) => b.exact - Math.floor(b.exact) - (a.exact - Math.floor(a.exact)))) {
    if (left <= 0) break;
    r.pct++;
    left--;
  }
  return floors.filter((r) => r.pct > 0).map((r): [number, number] => [r.size, r.pct]).sort((a, b) => a[0] - b[0]);
}

/** The sizes that make up all but MINOR_SHARE of a direction's I/Os, rarer ones folded into the nearest kept size. */
export function sizeSplit(d: DirectionStats): [number, number][] {
  const bySize = [...d.sizes].sort((a, b) => b[1] - a[1]);
  const kept: [number, number][] = [];
  let covered = 0;
  for (const [size, n] of bySize) {
    if (kept.length >= MAX_SPLIT_ENTRIES || (kept.length > 0 && covered >= (1 - MINOR_SHARE) * d.ios)) break;
    kept.push([size, n]);
    covered += n;
  }
  for (const [size, n] of bySize.slice(kept.length)) {
    const near = kept.reduce((best, k) => (Math.abs(Math.log(k[0] / size)) < Math.abs(Math.log(best[0] / size)) ? k : best));
    near[1] += n;
  }
  return integerShares(kept);
}

function splitText(split: [number, number][]): string {
  return split.map(([size, p]) => `${sizeText(size)}/${p}`).join(':');
}

export function fitJob(s: TraceStats): FittedJob {
  const notes: string[] = [];
  const options: FittedOptions = {};
  const data = s.read.ios + s.write.ios;
  if (data === 0) throw new Error('fitJob: the trace has no reads or writes');
  const readShare = s.read.ios / data;
  const reads = readShare >= MINOR_SHARE;
  const writes = 1 - readShare >= MINOR_SHARE;
  const seq = (s.read.sequentialFraction * (reads ? s.read.ios : 0) + s.write.sequentialFraction * (writes ? s.write.ios : 0)) / ((reads ? s.read.ios : 0) + (writes ? s.write.ios : 0));
  const sequential = seq > 0.5;
  options.rw = reads && writes ? (sequential ? 'rw' : 'randrw') : reads ? (sequential ? 'read' : 'randread') : sequential ? 'write' : 'randwrite';
  notes.push(`rw=${options.rw}: ${pct(readShare)} of I/Os are reads, ${pct(seq)} continue a recent I/O (sequential)${seq > 0.1 && seq < 0.9 ? '; one fio job is either sequential or random, so the other part is not reproduced (two jobs would be)' : ''}`);
  if (!reads && s.read.ios > 0) notes.push(`${s.read.ios} reads (${pct(readShare)}) left out`);
  if (!writes && s.write.ios > 0) notes.push(`${s.write.ios} writes (${pct(1 - readShare)}) left out`);
  if (reads && writes) options.rwmixread = Math.min(99, Math.max(1, Math.round(readShare * 100)));
  const smallest = fitSizes(s, reads, writes, options, notes);
  fitRates(s, reads, writes, options, notes);
  if (!sequential) fitDistribution(s, smallest, options, notes);
  fitDepth(s, options, notes);
  fitSpan(s, options, notes);
  if (s.trims.ios > 0 || s.syncs > 0) notes.push(`${s.trims.ios} trims and ${s.syncs} syncs are not part of the job (the simulator models neither)`);
  return { options, notes };
}

/** Sets bs or bssplit; returns the smallest size, the grain of the job's random offsets. */
function fitSizes(s: TraceStats, reads: boolean, writes: boolean, options: FittedOptions, notes: string[]): number {
  const r = reads ? sizeSplit(s.read) : undefined;
  const w = writes ? sizeSplit(s.write) : undefined;
  const single = (x: [number, number][] | undefined): boolean => x === undefined || x.length === 1;
  if (single(r) && single(w)) {
    const rs = r?.[0]![0];
    const ws = w?.[0]![0];
    options.bs = rs !== undefined && ws !== undefined && rs !== ws ? `${sizeText(rs)},${sizeText(ws)}` : sizeText((rs ?? ws)!);
  } else {
    const rt = r ? splitText(r) : undefined;
    const wt = w ? splitText(w) : undefined;
    options.bssplit = rt !== undefined && wt !== undefined && rt !== wt ? `${rt},${wt}` : (rt ?? wt)!;
  }
  const distinct = (reads ? s.read.sizes.length : 0) + (writes ? s.write.sizes.length : 0);
  notes.push(`${options.bs !== undefined ? 'bs' : 'bssplit'}: the sizes of at least ${pct(1 - MINOR_SHARE)} of I/Os (the trace has ${distinct} distinct sizes per direction in all), shares rounded to whole percent`);
  return Math.min(...[...(r ?? []), ...(w ?? [])].map(([size]) => size));
}

function fitRates(s: TraceStats, reads: boolean, writes: boolean, options: FittedOptions, notes: string[]): void {
  if (!s.timed) {
    notes.push('no rate_iops: the trace records no times, so the job runs closed loop at iodepth');
    return;
  }
  const r = Math.max(1, Math.round(s.read.iops));
  const w = Math.max(1, Math.round(s.write.iops));
  options.rate_iops = reads && writes ? `${r},${w}` : reads ? r : w;
  const cvs = [reads ? s.read.gapCv : NaN, writes ? s.write.gapCv : NaN].filter((x) => Number.isFinite(x));
  const cv = cvs.length > 0 ? Math.max(...cvs) : NaN;
  options.rate_process = cv >= 0.5 ? 'poisson' : 'linear';
  notes.push(`rate_iops: mean IOPS per direction over ${(s.durationUs / 1e6).toFixed(2)} s; rate_process=${options.rate_process}: the gaps between issues vary by ${Number.isFinite(cv) ? cv.toFixed(2) : '-'} of their mean (Poisson arrivals: 1, a fixed rate: 0); bursts and trends over time are not reproduced (see the IOPS chart)`);
}

/**
 * The span the trace addresses: from its lowest offset (aligned down) to its highest end,
 * rounded up to a multiple of 1/64 of itself (a power of two), since random offsets seldom
 * reach the very end of the span a job addressed.
 */
export function spanOf(s: TraceStats): { offsetBytes: number; sizeBytes: number } {
  const align = s.alignBytes;
  const offsetBytes = Math.floor(s.spanOffsetBytes / align) * align;
  const seen = Math.max(align, s.spanEndBytes - offsetBytes);
  let grain = align;
  while (grain * 2 <= seen / 64) grain *= 2;
  return { offsetBytes, sizeBytes: Math.ceil(seen / grain) * grain };
}

/** Random offsets are drawn over span / smallest size slots (fio: ranges of the minimum block size). */
function fitDistribution(s: TraceStats, slotBytes: number, options: FittedOptions, notes: string[]): void {
  const slots = Math.max(1, Math.floor(spanOf(s).sizeBytes / slotBytes));
  const { ios, distinct } = s.randomStarts;
  const theta = ios > 1 ? fitZipfTheta(slots, ios, distinct) : undefined;
  const round = theta === undefined || theta < 0.05 ? undefined : Math.round(theta * 100) / 100;
  options.random_distribution = round === undefined ? 'random' : `zipf:${round}`;
  const how = `${Math.round(distinct)} distinct offsets among ${ios} random I/Os over ${slots} slots of ${sizeText(slotBytes)}`;
  notes.push(round === undefined ? `random_distribution=random: ${how}, as many as uniform draws give` : `random_distribution=zipf:${round}: ${how}, the count a Zipf law with θ=${round} gives (fio hashes ranks over the span)`);
}

function fitDepth(s: TraceStats, options: FittedOptions, notes: string[]): void {
  if (s.depth.known) {
    options.iodepth = Math.min(65536, Math.max(1, s.depth.maxInflight));
    notes.push(`iodepth=${options.iodepth}: the most I/Os in flight the trace shows (p99 at issue ${s.depth.atIssueP99}, mean ${s.depth.meanInflight.toFixed(2)})`);
  } else {
    options.iodepth = DEFAULT_IODEPTH;
    notes.push(`iodepth=${DEFAULT_IODEPTH}: a guess, the trace records no completions; with rate_iops it only caps I/Os in flight when the device falls behind`);
  }
}

function fitSpan(s: TraceStats, options: FittedOptions, notes: string[]): void {
  const { offsetBytes: offset, sizeBytes: size } = spanOf(s);
  if (offset > 0) options.offset = sizeText(offset);
  options.size = sizeText(size);
  notes.push(`offset and size: the span the trace addresses, rounded up (${sizeText(offset)} to ${sizeText(offset + size)}); the job's volume must be at least ${sizeText(offset + size)}${s.fileCount > 1 ? `; the trace has ${s.fileCount} files or devices, taken as one` : ''}`);
}
