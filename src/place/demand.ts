/**
 * What one replica (a pod) of a workload asks of the cluster, per resource: CPU, memory,
 * space on its device and on the devices holding its volumes' copies, the I/O streams its
 * jobs send to each, and the bytes its replicated volumes move through its node's NIC.
 *
 * Replication (as the model runs it): a write goes to every copy over the network; a read
 * goes to copy 0 (`read: primary`) or is spread over the copies (`any`, `least-loaded`).
 */
import type { Workload } from './types.js';
import { addStreams, jobStream, NO_STREAM, pacedRates, type Stream } from './load.js';
import type { PointRow } from '../sweep/evaluate.js';

/** IOPS of one job (all its clones) per direction. */
export interface JobRate {
  read: number;
  write: number;
}

export interface PodStreams {
  /** Onto the pod's own device (its local volumes). */
  local: Stream;
  /** [volume index][copy]: onto the device holding that copy; [] for local volumes. */
  copies: Stream[][];
  /** Bytes per second through the pod's node's NIC: writes out to every copy, reads back in. */
  nicTxBytesPerSec: number;
  nicRxBytesPerSec: number;
}

/**
 * Replicas of a workload may run as clones of one container (fio's numjobs, reported
 * together) when nothing but their I/O is per replica: no snapshots or caps on their
 * volumes, no cgroup limits. Their figures are then those of all their I/O together: the
 * p99 of the pooled completions, which is each replica's p99 without the noise of a
 * short run of one replica (and much cheaper to simulate than as many containers).
 */
export function mergeable(w: Workload): boolean {
  return w.limitsRaw === undefined && w.volumes.every((v) => v.raw.snapshots === undefined && v.raw.limits === undefined);
}

/** A pod container run as `n` replicas at once: each job's clones multiplied by n. */
export function asClones(container: Record<string, unknown>, w: Workload, n: number): Record<string, unknown> {
  if (n === 1) return container;
  const jobs = container.jobs as Record<string, Record<string, unknown>>;
  return { ...container, jobs: Object.fromEntries(w.jobs.map((j) => [j.name, { ...jobs[j.name], numjobs: j.numjobs * n }])) };
}

export const localBytes = (w: Workload): number => w.volumes.reduce((s, v) => s + (v.replication ? 0 : v.sizeBytes), 0);
export const hasLocalVolumes = (w: Workload): boolean => w.volumes.some((v) => !v.replication);
export const hasReplicatedVolumes = (w: Workload): boolean => w.volumes.some((v) => v.replication);

/**
 * Rates of one replica's jobs: paced jobs at their pace, closed loops as measured (rows
 * named `<pod>.<job>`, shared by `clones` merged replicas), rounded to two significant
 * digits when `round` is set.
 */
export function ratesFromRows(w: Workload, pod: string, rows: PointRow[], round = false, clones = 1): JobRate[] {
  return w.jobs.map((j) => {
    const paced = pacedRates(j);
    if (paced) return paced;
    const iops = (dir: 'read' | 'write'): number => {
      const x = (rows.find((r) => r.job === `${pod}.${j.name}` && r.direction === dir)?.iops ?? 0) / clones;
      return round ? roundRate(x) : x;
    };
    return { read: iops('read'), write: iops('write') };
  });
}

/** Rates rounded to two significant digits, so that noise in measured closed loops does not change node scenarios. */
export function roundRate(x: number): number {
  if (x <= 0) return 0;
  const scale = 10 ** (Math.floor(Math.log10(x)) - 1);
  return Math.round(x / scale) * scale;
}

export function podStreams(w: Workload, rates: JobRate[]): PodStreams {
  let local = NO_STREAM;
  let tx = 0;
  let rx = 0;
  const copies = w.volumes.map((v) => {
    const r = v.replication;
    let vol = NO_STREAM;
    w.jobs.forEach((j, i) => {
      if (j.volume === v.name) vol = addStreams(vol, jobStream(j, rates[i]!.read, rates[i]!.write));
    });
    if (!r) {
      local = addStreams(local, vol);
      return [];
    }
    tx += vol.writeBytesPerSec * r.copies;
    rx += vol.readBytesPerSec;
    return Array.from({ length: r.copies }, (_, k) => {
      const readShare = r.read === 'primary' ? (k === 0 ? 1 : 0) : 1 / r.copies;
      return { readIops: vol.readIops * readShare, writeIops: vol.writeIops, readBytesPerSec: vol.readBytesPerSec * readShare, writeBytesPerSec: vol.writeBytesPerSec };
    });
  });
  return { local, copies, nicTxBytesPerSec: tx, nicRxBytesPerSec: rx };
}
