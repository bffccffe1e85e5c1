/**
 * The trace a synthetic fio job would issue: its I/Os at their issue times, open loop,
 * as if every I/O were issued when due (no device, no queue). Pure and seeded.
 *
 * Issue times: with rate_iops, reads and writes arrive each at their own rate (fio's
 * rule, and the simulator's job-thread.ts), evenly spaced from a random phase
 * (rate_process=linear) or as Poisson arrivals; without a rate, `iopsWithoutRate` I/Os per second
 * in total, each a read with probability rwmixread. Sizes from bs/bssplit; offsets from
 * the simulator's own address generator (sequential, uniform, or Zipf scattered as fio
 * does), so a trace made here is what the simulator would issue.
 */
import { exponential } from '../random/distributions.js';
import { AddressGenerator } from '../model/address.js';
import { Rng } from '../random/rng.js';
import type { BlockSizeMix, JobSpec } from '../scenario/types.js';
import type { TraceRecord } from './record.js';

export interface SynthesizeOptions {
  records: number;
  seed: number;
  /** File name in the records (default "synthetic"). */
  file?: string;
  /** Total IOPS of a job without rate_iops (default 1000). */
  iopsWithoutRate?: number;
}

function pickSize(mix: BlockSizeMix, rng: Rng): number {
  const sizes = mix.sizesBytes;
  if (sizes.length === 1) return sizes[0]!;
  const u = rng.next();
  const cum = mix.cumulative;
  let i = 0;
  while (cum[i]! <= u && i < cum.length - 1) i++;
  return sizes[i]!;
}

/** Calls `sink` with each record in issue order (the record object is new each time). */
export function synthesize(job: JobSpec, options: SynthesizeOptions, sink: (r: TraceRecord) => void): void {
  const rng = Rng.fromSeed(options.seed).fork('trace-synthesize');
  const addresses = new AddressGenerator(job, rng.fork('address'));
  const bsRng = rng.fork('bs');
  const dirRng = rng.fork('direction');
  const arrival = [rng.fork('arrival-read'), rng.fork('arrival-write')] as const;
  const file = options.file ?? 'synthetic';
  const poisson = job.rateProcess === 'poisson';
  const rates = job.rateIops
    ? [job.readRatio > 0 ? job.rateIops.read : 0, job.readRatio < 1 ? job.rateIops.write : 0]
    : [(options.iopsWithoutRate ?? 1000) * job.readRatio, (options.iopsWithoutRate ?? 1000) * (1 - job.readRatio)];
  if (!(rates[0]! > 0 || rates[1]! > 0)) throw new Error(`synthesize: job ${job.name} issues nothing (rates ${rates.join(', ')})`);
  // as job-thread.ts: linear pacing starts at a seeded random phase within the first interval
  const gap = (d: 0 | 1, first: boolean): number => (poisson ? exponential(arrival[d], 1e6 / rates[d]!) : (first ? arrival[d].next() : 1) * (1e6 / rates[d]!));
  const next = [rates[0]! > 0 ? gap(0, true) : Infinity, rates[1]! > 0 ? gap(1, true) : Infinity];
  const joint = job.rateIops === undefined;
  let t = 0;
  for (let i = 0; i < options.records; i++) {
    let d: 0 | 1;
    if (joint) {
      d = job.readRatio >= 1 ? 0 : job.readRatio <= 0 ? 1 : dirRng.next() < job.readRatio ? 0 : 1;
      if (i > 0) t += poisson ? exponential(arrival[0], 1e6 / (rates[0]! + rates[1]!)) : 1e6 / (rates[0]! + rates[1]!);
    } else {
      d = next[0]! <= next[1]! ? 0 : 1;
      t = next[d]!;
      next[d] = t + gap(d, false);
    }
    const sizeBytes = pickSize(d === 0 ? job.bs.read : job.bs.write, bsRng);
    const offsetBytes = addresses.next(d, sizeBytes);
    sink({ timeUs: t, offsetBytes, sizeBytes, direction: d === 0 ? 'read' : 'write', file, completeUs: undefined, line: i + 1 });
  }
}

/** A record as a fio version 3 iolog line (µs rounded to integers, as fio writes them). */
export function iologLine(r: TraceRecord): string {
  return `${Math.round(r.timeUs)} ${r.file} ${r.direction} ${r.offsetBytes} ${r.sizeBytes}\n`;
}
