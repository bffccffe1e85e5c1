/**
 * The typed cluster a placement is computed for: node types (devices with capacity, CPU,
 * memory, NIC, how many may be used, cost) and workload types (a container with its
 * volumes, jobs, replicas, requests and SLOs). Units in names; every default applied.
 */
import type { DeviceSpec, JobSpec } from '../scenario/types.js';
import type { Slo } from '../sweep/slo.js';

export type Objective = 'nodes' | 'cost' | 'headroom';
export const OBJECTIVES: readonly Objective[] = ['nodes', 'cost', 'headroom'];

export interface NodeDevice {
  name: string;
  /** Scenario device input with its profile applied (no capacity): what node scenarios use. */
  raw: Record<string, unknown>;
  spec: DeviceSpec;
  capacityBytes: number;
}

export interface NodeType {
  name: string;
  index: number;
  /** Nodes of this type that may be used (Infinity: as many as needed). */
  count: number;
  cost: number;
  cpuMillis: number;
  memoryBytes: number;
  /** NIC bandwidth each way; replicated volumes of its pods share it. */
  nicBytesPerSec: number;
  devices: NodeDevice[];
}

export type ReadPolicy = 'primary' | 'any' | 'least-loaded';

export interface Replication {
  copies: number;
  /** Scenario form: 'all', 'quorum' or a number of acknowledgements. */
  writeAck: 'all' | 'quorum' | number;
  read: ReadPolicy;
}

export interface WorkloadVolume {
  name: string;
  /** Scenario volume input without a placement (size, blockSize, snapshots, limits, ...). */
  raw: Record<string, unknown>;
  sizeBytes: number;
  /** Present for a network-replicated volume: copies on devices of distinct nodes. */
  replication?: Replication;
}

export interface Workload {
  name: string;
  index: number;
  replicas: number;
  cpuMillis: number;
  memoryBytes: number;
  /** At most one replica per node. */
  antiAffinity: boolean;
  slos: Slo[];
  volumes: WorkloadVolume[];
  /** Normalized jobs (rates, block sizes, the volume each uses). */
  jobs: JobSpec[];
  /** Jobs as written (fio options), keyed by job name: node scenarios copy them. */
  jobsRaw: Record<string, Record<string, unknown>>;
  /** cgroup io.max of each replica, as written. */
  limitsRaw?: Record<string, unknown>;
}

export interface Cluster {
  name: string;
  seed: number;
  /** Simulated time of each verification (and of each estimate). */
  durationUs: number;
  rampUs: number;
  objective: Objective;
  /** Round trip between nodes, for replicated volumes. */
  networkLatencyUs: number;
  nodeTypes: NodeType[];
  workloads: Workload[];
}

/** Index of a workload volume within its workload. */
export const isReplicated = (v: WorkloadVolume): boolean => v.replication !== undefined;
