/**
 * The typed workload a job ran: fio's job options after parsing and after the engine's
 * rules (a synchronous engine keeps one I/O in flight whatever iodepth says). The
 * simulator runs it (scenario/types.ts JobSpec extends it), simulated results carry it,
 * and a measured run's job options read back to it (compare/fio-workload.ts).
 */
export type Direction = 'read' | 'write';

export type RwMode = 'read' | 'write' | 'randread' | 'randwrite' | 'rw' | 'randrw';

/** Block sizes for one direction: sizes with cumulative weights summing to 1. */
export interface BlockSizeMix {
  sizesBytes: number[];
  cumulative: number[];
}

export type AddressDistribution = { kind: 'random' } | { kind: 'zipf'; theta: number };

/**
 * A job that replays a block trace (scenario/trace-job.ts): the trace gives each I/O its
 * direction, size, offset and time; model/trace-driver.ts issues them.
 */
export interface TraceReplaySpec {
  /** The trace file as the scenario names it (relative to the scenario's folder). */
  file: string;
  format?: 'iolog2' | 'iolog3' | 'blkparse' | 'csv';
  /** open: at the recorded times (fio's read_iolog); closed: as fast as iodepth allows (replay_no_stall). */
  mode: 'open' | 'closed';
  /** Time scale: 2 replays the trace in half the time. */
  speed: number;
  /** How trace offsets land on the job's span: modulo its size, or scaled by span / trace size. */
  remap: 'wrap' | 'scale';
  /** remap scale: the traced device's size; undefined = the end of the furthest I/O in the trace. */
  traceSizeBytes?: number;
  /** Only records of this device or file (blkparse "8,16", an iolog file name, a csv device). */
  device?: string;
  /** Count bad records instead of stopping at the first. */
  skipBad: boolean;
}

export interface Workload {
  rw: RwMode;
  /** Share of reads in a mixed workload, 0..1 (fio: rwmixread / 100). */
  readRatio: number;
  bs: Record<Direction, BlockSizeMix>;
  /** I/Os a thread keeps in flight: 1 with a synchronous engine, whatever iodepth says. */
  iodepth: number;
  numjobs: number;
  /** Per-direction pacing (fio applies rate_iops to each direction); undefined = closed loop. */
  rateIops?: Record<Direction, number>;
  rateProcess: 'linear' | 'poisson';
  thinktimeUs: number;
  thinktimeBlocks: number;
  spanOffsetBytes: number;
  spanSizeBytes: number;
  /** fio's random map (norandommap=0): uniform random offsets cover the span once per pass. */
  randomMap: boolean;
  /** fio's randrepeat: the job's random streams repeat run after run (phase after phase). */
  randrepeat: boolean;
  /** fio's randseed: the seed of the job's random streams; undefined = the scenario seed. */
  randseed?: number;
  /** fio's runtime and ramp_time for this job (default: the scenario's duration and ramp). */
  runtimeUs: number;
  rampUs: number;
  distribution: AddressDistribution;
  ioengine: string;
  /** Synchronous engines keep one I/O in flight whatever iodepth says. */
  sync: boolean;
  startdelayUs: number;
  /**
   * Replays this trace instead of a synthetic pattern. rw, readRatio and bs are then
   * placeholders (randrw, 0.5, 4k: "reads and writes of any size") for code that asks.
   */
  trace?: TraceReplaySpec;
}

/** The workload part of a job that has more (a scenario's JobSpec): what results carry. */
export function workloadOf(job: Workload): Workload {
  return {
    rw: job.rw, readRatio: job.readRatio, bs: job.bs, iodepth: job.iodepth, numjobs: job.numjobs,
    ...(job.rateIops ? { rateIops: job.rateIops } : {}),
    rateProcess: job.rateProcess, thinktimeUs: job.thinktimeUs, thinktimeBlocks: job.thinktimeBlocks,
    spanOffsetBytes: job.spanOffsetBytes, spanSizeBytes: job.spanSizeBytes, randomMap: job.randomMap, randrepeat: job.randrepeat,
    ...(job.randseed !== undefined ? { randseed: job.randseed } : {}),
    runtimeUs: job.runtimeUs, rampUs: job.rampUs, distribution: job.distribution, ioengine: job.ioengine, sync: job.sync, startdelayUs: job.startdelayUs,
    ...(job.trace ? { trace: job.trace } : {}),
  };
}
