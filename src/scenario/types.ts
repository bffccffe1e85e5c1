/**
 * The typed, normalized scenario the model runs: every value in base units
 * (bytes, microseconds, per second), every reference resolved, every default applied.
 */
export type LatencySpec =
  | { dist: 'fixed'; valueUs: number }
  | { dist: 'exponential'; meanUs: number }
  /** ln(latency/µs) ~ Normal(mu, sigma) */
  | { dist: 'lognormal'; mu: number; sigma: number }
  | { dist: 'empirical'; valuesUs: number[]; weights: number[] };

export type Direction = 'read' | 'write';
export const DIRECTIONS: readonly Direction[] = ['read', 'write'];

export interface DirectionSpec {
  latency: LatencySpec;
  /** Infinity when the device has no transfer-rate limit in this direction. */
  bandwidthBytesPerSec: number;
}

export interface LimitsSpec {
  iops?: { rateIops: number; burstIos: number };
  bandwidth?: { bytesPerSec: number; burstBytes: number };
}

export interface DeviceSpec {
  name: string;
  parallelism: number;
  read?: DirectionSpec;
  write?: DirectionSpec;
  limits: LimitsSpec;
  cpu: { submitUs: number; completeUs: number };
}

export interface VolumeSpec {
  name: string;
  device: string;
  sizeBytes: number;
  blockSizeBytes: number;
}

export type RwMode = 'read' | 'write' | 'randread' | 'randwrite' | 'rw' | 'randrw';

/** Block sizes for one direction: sizes with cumulative weights summing to 1. */
export interface BlockSizeMix {
  sizesBytes: number[];
  cumulative: number[];
}

export type AddressDistribution = { kind: 'random' } | { kind: 'zipf'; theta: number };

export interface JobSpec {
  name: string;
  volume: string;
  rw: RwMode;
  /** Share of reads in a mixed workload, 0..1 (fio: rwmixread / 100). */
  readRatio: number;
  bs: Record<Direction, BlockSizeMix>;
  iodepth: number;
  numjobs: number;
  /** Per-direction pacing (fio applies rate_iops to each direction); undefined = closed loop. */
  rateIops?: Record<Direction, number>;
  rateProcess: 'linear' | 'poisson';
  thinktimeUs: number;
  thinktimeBlocks: number;
  spanOffsetBytes: number;
  spanSizeBytes: number;
  distribution: AddressDistribution;
  ioengine: string;
  /** Synchronous engines keep one I/O in flight whatever iodepth says. */
  sync: boolean;
  startdelayUs: number;
  /** The job's options as written, for fio's "job options". */
  options: Record<string, string>;
}

export interface ContainerSpec {
  name: string;
  replicas: number;
  volumes: string[];
  jobs: JobSpec[];
}

export interface Scenario {
  name: string;
  description?: string;
  seed: number;
  durationUs: number;
  rampUs: number;
  devices: DeviceSpec[];
  volumes: VolumeSpec[];
  containers: ContainerSpec[];
}
