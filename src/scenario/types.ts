import type { Workload } from '../results/workload.js';

/**
 * The typed, normalized scenario the model runs: every value in base units
 * (bytes, microseconds, per second), every reference resolved, every default applied.
 */
export type LatencySpec =
  | { dist: 'fixed'; valueUs: number }
  | { dist: 'exponential'; meanUs: number }
  /** ln(latency/µs) ~ Normal(mu, sigma) */
  | { dist: 'lognormal'; mu: number; sigma: number }
  | { dist: 'empirical'; valuesUs: number[]; weights: number[] }
  /** Depends on the I/Os at the device and the block size (model/service-table.ts). */
  | { dist: 'table'; depths: number[]; sizesBytes: number[]; quantilesUs: number[][][] };

export interface DirectionSpec {
  latency: LatencySpec;
  /** Access latency of an I/O continuing the previous one on the device; undefined = same as random. */
  sequentialLatency?: LatencySpec;
  /** Infinity when the device has no transfer-rate limit in this direction. */
  bandwidthBytesPerSec: number;
  /** Sustained IOPS cap of this direction alone. */
  iopsCap?: number;
}

export interface LimitsSpec {
  iops?: { rateIops: number; burstIos: number };
  bandwidth?: { bytesPerSec: number; burstBytes: number };
  /** Cloud burst credits (gp2 style): a balance of I/Os that refills at the baseline and starts full. */
  credits?: { baselineIops: number; balanceIos: number };
}

/** cgroup v2 io.max for each replica of a container. */
export interface CgroupLimitsSpec {
  riops?: number;
  wiops?: number;
  rbps?: number;
  wbps?: number;
}

/** CPU time of a device's own service, per direction: per I/O plus per byte. */
export interface WorkerDirectionSpec {
  perIoUs: number;
  usPerByte: number;
}

/**
 * A device whose service is CPU work on the host (loop, zram, btrfs checksums): done by
 * `threads` kernel threads, or in the submitting thread's own system call ('submitter').
 */
export interface WorkerSpec {
  threads: number | 'submitter';
  /** Time a sleeping worker takes to start (scheduler wake-up), paid when it had nothing to do. */
  wakeUs: number;
  read: WorkerDirectionSpec;
  write: WorkerDirectionSpec;
}

export interface DeviceSpec {
  name: string;
  parallelism: number;
  worker?: WorkerSpec;
  /** Submit CPU spent when the submitter finds the device idle (waking it); optional, 0. */
  wakeUs?: number;
  read?: DirectionSpec;
  write?: DirectionSpec;
  limits: LimitsSpec;
  cpu: CpuSpec;
}

export type Placement =
  | { kind: 'device'; device: string }
  /** Allocated from a pool; extents are striped over the pool's devices by allocation unit. */
  | { kind: 'pool'; pool: string; thin: boolean }
  | {
      kind: 'replicated';
      devices: string[];
      /** Acknowledgements a write waits for (all = devices.length, quorum = majority). */
      writeAck: number;
      read: 'primary' | 'any' | 'least-loaded';
      /** A named link is shared by all replicated volumes that name it; otherwise the volume has its own. */
      network: { latencyUs: number; bandwidthBytesPerSec: number; link?: string };
    };

/** What a first write to a shared chunk costs (µs per chunk); all 0 = nothing beyond cow copies. */
export interface FirstWriteCost {
  submitUs: number;
  backgroundUs: number;
  deviceUs: number;
  /** One in `stallEvery` first writes waits `stallUs` on the volume's flusher; 0 = never. */
  stallEvery: number;
  stallUs: number;
}

export interface SnapshotSpec {
  /** Times (µs from the start) at which snapshots are taken. */
  atUs: number[];
  /** Or every `everyUs` from `everyUs` on (0 = not periodic). */
  everyUs: number;
  keep: number;
  chunkBytes: number;
  mode: 'cow' | 'row';
  /** I/O to the volume is held this long while a snapshot is taken. */
  pauseUs: number;
  /** Costs of the first write to a chunk shared with a snapshot, per chunk. */
  firstWrite: FirstWriteCost;
  /** row: extra time of a read of a redirected chunk. */
  redirectedReadCostUs: number;
}

/**
 * Issuing-side CPU per job thread: per I/O, per direction (index 0 read, 1 write), plus a
 * cost per system call when the thread submits or reaps several I/Os at once.
 */
export interface CpuSpec {
  submitUs: [number, number];
  completeUs: [number, number];
  /** Per io_submit / io_getevents call; with it, queued work of one kind is done in one call. */
  callUs: number;
  /** A sleeping thread's wake-up when work reaches it with nothing else to do (optional, 0). */
  wakeUs?: number;
  /** Submit CPU per byte, per direction (a device whose work runs inside the submit call). */
  submitUsPerByte?: [number, number];
  /** Coefficient of variation of each submit's and reap's CPU time (lognormal around its mean); 0 = fixed. */
  cv?: number;
}

export interface VolumeSpec {
  name: string;
  placement: Placement;
  sizeBytes: number;
  blockSizeBytes: number;
  /** Largest request the volume passes down (the kernel's max_sectors_kb); Infinity = no split. */
  maxIoSizeBytes: number;
  snapshots?: SnapshotSpec;
  limits: LimitsSpec;
}

export interface PoolSpec {
  name: string;
  devices: string[];
  capacityBytes: number;
  allocationUnitBytes: number;
  /** Extra time of the write that first allocates a unit. */
  firstWriteCostUs: number;
}

export type { AddressDistribution, BlockSizeMix, Direction, RwMode, TraceReplaySpec, Workload } from '../results/workload.js';

/** A job of a container: the typed workload it runs, where, and when. */
export interface JobSpec extends Workload {
  name: string;
  volume: string;
  /** The phase the job runs in (scenario `phases`) and when that phase starts; undefined without phases. */
  phase?: string;
  phaseStartUs?: number;
  /** The job's options as written, for fio's "job options" in fio.json. */
  options: Record<string, string>;
}

export interface ContainerSpec {
  name: string;
  replicas: number;
  volumes: string[];
  jobs: JobSpec[];
  /** cgroup v2 io.max applied to each replica. */
  limits?: CgroupLimitsSpec;
}

export interface Scenario {
  name: string;
  description?: string;
  seed: number;
  durationUs: number;
  rampUs: number;
  /** Sampling interval of timeline.csv (default: 1/100 of ramp + duration, at least 1 ms). */
  timelineIntervalUs?: number;
  /** The host's CPU cores, shared by job threads and CPU-bound devices; absent = not modelled (unlimited). */
  host?: { cores: number; sliceUs?: number; balanceUs?: number };
  devices: DeviceSpec[];
  pools: PoolSpec[];
  volumes: VolumeSpec[];
  containers: ContainerSpec[];
}
