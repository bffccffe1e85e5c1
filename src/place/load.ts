/**
 * Device load estimated from offered I/O, for packing (verification simulates instead).
 * A stream (IOPS and bytes per second per direction) loads a device on six resources, as
 * the device model has them: its slots (each I/O holds one for its access latency and its
 * transfer), its transfer stage (size / bandwidth, one stage shared by all slots), its
 * per-direction IOPS caps, and its IOPS and bandwidth limits. Streams add resource by
 * resource; the load of a device is its busiest resource, 1 = saturated. Linear in load,
 * which is what first-fit packing needs; queueing effects are what simulation adds.
 */
import type { BlockSizeMix, DeviceSpec, JobSpec, LatencySpec } from '../scenario/types.js';
import { assertNever } from '../util/assert-never.js';

export interface Stream {
  readIops: number;
  writeIops: number;
  readBytesPerSec: number;
  writeBytesPerSec: number;
}

export const NO_STREAM: Stream = { readIops: 0, writeIops: 0, readBytesPerSec: 0, writeBytesPerSec: 0 };

/** [slots, transfer stage, read cap, write cap, IOPS limit, bandwidth limit], each 0..1 at saturation. */
export type LoadVector = [number, number, number, number, number, number];

export const zeroLoad = (): LoadVector => [0, 0, 0, 0, 0, 0];

export function meanLatencyUs(l: LatencySpec): number {
  switch (l.dist) {
    case 'fixed':
      return l.valueUs;
    case 'exponential':
      return l.meanUs;
    case 'lognormal':
      return Math.exp(l.mu + (l.sigma * l.sigma) / 2);
    case 'empirical': {
      const total = l.weights.reduce((a, b) => a + b, 0);
      return l.valuesUs.reduce((s, v, i) => s + v * l.weights[i]!, 0) / total;
    }
    case 'table': {
      // the lightest load, the smallest block: the table's service time without queueing
      const q = l.quantilesUs[0]![0]!;
      return q.reduce((a, b) => a + b, 0) / q.length;
    }
    default:
      return assertNever(l);
  }
}

export function meanSizeBytes(mix: BlockSizeMix): number {
  let prev = 0;
  let sum = 0;
  mix.sizesBytes.forEach((s, i) => {
    sum += s * (mix.cumulative[i]! - prev);
    prev = mix.cumulative[i]!;
  });
  return sum;
}

export function addStreams(a: Stream, b: Stream, scale = 1): Stream {
  return {
    readIops: a.readIops + b.readIops * scale,
    writeIops: a.writeIops + b.writeIops * scale,
    readBytesPerSec: a.readBytesPerSec + b.readBytesPerSec * scale,
    writeBytesPerSec: a.writeBytesPerSec + b.writeBytesPerSec * scale,
  };
}

/** A job's stream at the given rates (all its clones together). */
export function jobStream(job: JobSpec, readIops: number, writeIops: number): Stream {
  return { readIops, writeIops, readBytesPerSec: readIops * meanSizeBytes(job.bs.read), writeBytesPerSec: writeIops * meanSizeBytes(job.bs.write) };
}

/** The rates a paced job offers (fio paces each direction it does at its own rate), or undefined for a closed loop. */
export function pacedRates(job: JobSpec): { read: number; write: number } | undefined {
  if (!job.rateIops) return undefined;
  return { read: job.readRatio > 0 ? job.rateIops.read * job.numjobs : 0, write: job.readRatio < 1 ? job.rateIops.write * job.numjobs : 0 };
}

/** The load a stream puts on a device; Infinity in a direction the device cannot serve. */
export function loadOf(s: Stream, d: DeviceSpec): LoadVector {
  const transferUs = (bytes: number, dir: DeviceSpec['read']): number => (dir && Number.isFinite(dir.bandwidthBytesPerSec) ? (bytes / dir.bandwidthBytesPerSec) * 1e6 : 0);
  const accessUs = (iops: number, dir: DeviceSpec['read']): number => {
    if (iops === 0) return 0;
    return dir ? iops * meanLatencyUs(dir.latency) : Infinity;
  };
  const transfer = transferUs(s.readBytesPerSec, d.read) + transferUs(s.writeBytesPerSec, d.write);
  const slots = (accessUs(s.readIops, d.read) + accessUs(s.writeIops, d.write) + transfer) / 1e6 / d.parallelism;
  const cap = (iops: number, c: number | undefined): number => (c ? iops / c : 0);
  return [
    slots,
    transfer / 1e6,
    cap(s.readIops, d.read?.iopsCap),
    cap(s.writeIops, d.write?.iopsCap),
    cap(s.readIops + s.writeIops, d.limits.iops?.rateIops),
    cap(s.readBytesPerSec + s.writeBytesPerSec, d.limits.bandwidth?.bytesPerSec),
  ];
}

export function addLoad(into: LoadVector, l: LoadVector, scale = 1): void {
  for (let i = 0; i < into.length; i++) into[i] = into[i]! + l[i]! * scale;
}

export const loadScalar = (l: LoadVector): number => Math.max(...l);
