/**
 * The one results type: simulation and fio measurement both end here, so compare,
 * reports and regression checks never care where numbers came from. Units in names.
 */
import type { Workload } from './workload.js';

export interface Percentile {
  /** e.g. 99 or 99.9 */
  pct: number;
  ns: number;
}

export interface LatencyStats {
  n: number;
  minNs: number;
  maxNs: number;
  meanNs: number;
  stddevNs: number;
  /** fio's percentile list, from the histogram; absent when the source has none. */
  percentiles?: Percentile[];
  /** json+ bins: [bucket value in ns, count], ascending. */
  bins?: [number, number][];
}

export interface DirectionResult {
  totalIos: number;
  ioBytes: number;
  runtimeMs: number;
  iops: number;
  bwBytesPerSec: number;
  slat: LatencyStats;
  clat: LatencyStats;
  lat: LatencyStats;
}

export interface JobResult {
  /** `<container>.<replica>.<job>`, or `<container>.<job>` for one replica. */
  name: string;
  hostname?: string;
  /** fio's "job options": the options as written (fio's own text for a measured run). */
  options: Record<string, string>;
  /**
   * Simulated only: the typed workload that ran, after the engine's rules (a synchronous
   * engine keeps 1 I/O in flight whatever iodepth says). Read this, not `options`.
   */
  workload?: Workload;
  read: DirectionResult;
  write: DirectionResult;
  /** Measured only, when fio ran trims (the simulator does not model them). */
  trim?: DirectionResult;
  /** Simulated only: I/Os in flight (issued, not yet reaped), time-averaged. */
  meanInflight?: number;
  /**
   * CPU of the job's threads, fio's figures: user and system time in % of one core per
   * thread (fio averages numjobs clones), and context switches. Simulated (with a host
   * model): the threads' CPU busy share, all as system time.
   */
  cpu?: { usrPct: number; sysPct: number; ctx: number };
  /** Simulated only: what a traced job's replay did (all its clones together). */
  replay?: ReplayResult;
}

/** What a replay did with its trace's records (model/replay-map.ts counts them). */
export interface ReplayCounts {
  /** Records read from the trace (a window that ends first leaves the rest unread). */
  records: number;
  /** Reads and writes issued. */
  replayed: number;
  /** Of those, writes. */
  writes: number;
  /** Skipped and counted: the simulator and fio's replay model neither. */
  trims: number;
  syncs: number;
  /** Records of other devices (trace.device). */
  otherDevice: number;
  /** Issued I/Os whose offset the remap moved onto the job's span. */
  remapped: number;
}

/** A trace replay (model/trace-driver.ts): records read and what became of them. */
export interface ReplayResult extends ReplayCounts {
  file: string;
  mode: 'open' | 'closed';
  speed: number;
  /** Bad records skipped (trace.skipBad). */
  badRecords: number;
  /** Open loop: I/Os that fell due with iodepth in flight, and their waits in all (µs). */
  stalls: number;
  stallUs: number;
  /** When the trace's last I/O completed (µs from the start); absent when the job's window ended first. */
  endedUs?: number;
}

export interface DeviceResult {
  name: string;
  parallelism: number;
  /** Busy slots over slots, time-averaged over the measured window, 0..1. */
  utilization: number;
  /** Share of the window the device's shared transfer stage (its bandwidth) was busy, 0..1. Simulated only. */
  transferUtilization?: number;
  /** Busy share of the device's worker threads (a CPU-bound device), 0..1. Simulated only. */
  workerUtilization?: number;
  /** I/Os at the device (in service and waiting), time-averaged: iostat's aqu-sz. */
  meanQueueDepth: number;
  /** I/Os waiting for a slot or a throttle token, time-averaged. */
  meanWaiting: number;
  completedIos: number;
  /** Use of each cap over the measured window, 0..1 (credits: share of the balance spent). Simulated only. */
  caps?: CapUsage[];
}

/** One cap (token bucket) and how much of it the measured window used. */
export interface CapUsage {
  /** "iops", "bandwidth", "read iops", "write iops", "credits"; cgroups: "riops", "wiops", "rbps", "wbps". */
  cap: string;
  utilization: number;
}

/** A replica's cgroup io.max and its use. */
export interface CgroupResult {
  /** `<container>.<replica>`, or `<container>` for one replica. */
  name: string;
  caps: CapUsage[];
}

export interface VolumeResult {
  name: string;
  /** Chunks preserved for snapshots (cow: copies; row: redirected writes). */
  cowCopies: number;
  /** Bytes held by live snapshots at the end. */
  snapshotBytes: number;
  snapshotsTaken: number;
  snapshotsRetired: number;
  /** Bytes freed by retiring snapshots (keep). */
  freedBytes: number;
  /** Each snapshot taken: when, the bytes it holds (or held, when retired). */
  snapshots?: { takenUs: number; heldBytes: number; retired: boolean }[];
  /** Extra device I/Os caused by snapshots (cow chunk reads and writes). */
  snapshotDeviceIos: number;
  /** Extra reads of partial blocks (read-modify-write). */
  rmwReads: number;
  /** Device I/Os of the data after splitting at maxIoSize. */
  dataDeviceIos: number;
  /** Thin volumes: bytes allocated in their pool. */
  allocatedBytes?: number;
  /** Use of the volume's caps over the measured window. */
  caps?: CapUsage[];
}

export interface PoolResult {
  name: string;
  capacityBytes: number;
  allocatedBytes: number;
  provisionedBytes: number;
  /** Provisioned over capacity. */
  overcommit: number;
  /** Allocation rate over the measured window, bytes per second. */
  allocationBytesPerSec: number;
  /** When the pool would fill at that rate, µs from the start (Infinity: never). */
  fullAtUs: number;
}

export interface TimelineRow {
  timeUs: number;
  entity: 'job' | 'device' | 'volume' | 'pool';
  name: string;
  metric: string;
  value: number;
}

/** The host's cores over the measured window (simulated with a host model). */
export interface HostResult {
  cores: number;
  /** Busy share of all cores, 0..1. */
  utilization: number;
}

export interface Results {
  source: 'simulated' | 'measured';
  /** "blocksim-0.1.0" or fio's own "fio-3.33". */
  version: string;
  scenario?: string;
  seed?: number;
  durationUs?: number;
  rampUs?: number;
  globalOptions: Record<string, string>;
  jobs: JobResult[];
  devices: DeviceResult[];
  volumes?: VolumeResult[];
  pools?: PoolResult[];
  cgroups?: CgroupResult[];
  host?: HostResult;
  timeline?: TimelineRow[];
  /** What a reader must know about how these figures were taken (e.g. a smaller measured span). */
  notes?: string[];
}
