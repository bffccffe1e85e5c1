/**
 * Wiring of traced jobs (build.ts calls these): a TraceDriver per job thread over its own
 * pass of the trace, where its requests go, and what the replay did, for the results.
 */
import type { Kernel } from '../des/kernel.js';
import type { ReplayResult } from '../results/types.js';
import type { JobSpec, VolumeSpec } from '../scenario/types.js';
import { addCounts, emptyCounts, ReplayMapper } from './replay-map.js';
import type { TraceSources } from './trace-source.js';
import type { IoTable } from './io-table.js';
import type { IoTarget, JobThread } from './job-thread.js';
import { TraceDriver } from './trace-driver.js';

export function createReplay(thread: JobThread, job: JobSpec, sources: TraceSources | undefined, kernel: Kernel, router: number, endUs: number): TraceDriver {
  const spec = job.trace!;
  if (!sources) throw new Error(`job ${job.name} replays trace ${spec.file}: simulate() needs trace sources (adapters/trace-source.ts)`);
  const source = sources.open(spec);
  const traceSize = spec.remap === 'scale' && spec.traceSizeBytes === undefined ? sources.traceSizeBytes(spec) : undefined;
  const mapper = new ReplayMapper(spec, { offsetBytes: job.spanOffsetBytes, sizeBytes: job.spanSizeBytes }, source.name, traceSize);
  return new TraceDriver(thread, source, mapper, spec.mode === 'closed', kernel, router, endUs);
}

/**
 * A trace's sizes and offsets are known only as it is read, so a traced job on a plain
 * device volume sends each request that covers whole blocks to the device directly and
 * only the others (read-modify-write) through the volume engine.
 */
export class BlockAlignedTarget implements IoTarget {
  constructor(private readonly device: IoTarget, private readonly engine: IoTarget, private readonly ios: IoTable, private readonly blockBytes: number) {}

  submit(io: number): void {
    const b = this.blockBytes;
    const ios = this.ios;
    if (ios.offsetBytes[io]! % b === 0 && ios.sizeBytes[io]! % b === 0) this.device.submit(io);
    else this.engine.submit(io);
  }
}

/** Where a traced job's requests go: through the engine when the volume has semantics beyond blocks. */
export function replayTarget(v: VolumeSpec, engine: IoTarget, device: IoTarget | undefined, ios: IoTable): IoTarget {
  const plain = v.placement.kind === 'device' && !v.snapshots && v.maxIoSizeBytes === Infinity && !v.limits.iops && !v.limits.bandwidth && !v.limits.credits;
  return plain && device ? new BlockAlignedTarget(device, engine, ios, v.blockSizeBytes) : engine;
}

/** What the replays of one job (its clones) did, added up; undefined for a synthetic job. */
export function replayResult(job: JobSpec, threads: JobThread[]): ReplayResult | undefined {
  if (!job.trace) return undefined;
  let counts = emptyCounts();
  let stalls = 0;
  let stallUs = 0;
  let bad = 0;
  let endedUs: number | undefined = 0;
  for (const t of threads) {
    const r = t.replay!;
    counts = addCounts(counts, r.mapper.counts);
    stalls += r.stalls;
    stallUs += r.stallUs;
    bad += r.badRecords();
    endedUs = r.doneUs === undefined || endedUs === undefined ? undefined : Math.max(endedUs, r.doneUs);
  }
  return { file: job.trace.file, mode: job.trace.mode, speed: job.trace.speed, ...counts, badRecords: bad, stalls, stallUs, ...(endedUs !== undefined ? { endedUs } : {}) };
}
