/**
 * The scenario file's shape: the single check on user input. Strict objects everywhere,
 * so a typo is an error rather than a silent default. Values keep their input units
 * here; normalize.ts turns the parsed tree into the typed Scenario the model runs.
 */
import { z } from 'zod';
import { bandwidthField, durationField, MAX_DURATION_US, numberIn, positiveInt, rateField, sizeField } from './fields.js';
import { parseDuration } from './units.js';
import { phaseSchemas } from './phases.js';
import { jobOptionShape } from './option-table.js';
import { TraceInput } from './trace-job.js';

const Fixed = z.strictObject({ dist: z.literal('fixed'), value: durationField() });
const Exponential = z.strictObject({ dist: z.literal('exponential'), mean: durationField({ min: 0, minExclusive: true }) });
const Lognormal = z
  .strictObject({
    dist: z.literal('lognormal'),
    p50: durationField({ min: 0, minExclusive: true }).optional(),
    p99: durationField({ min: 0, minExclusive: true }).optional(),
    mean: durationField({ min: 0, minExclusive: true }).optional(),
    stddev: durationField({ min: 0, minExclusive: true }).optional(),
  })
  .superRefine((v, ctx) => {
    const byPercentiles = v.p50 !== undefined && v.p99 !== undefined && v.mean === undefined && v.stddev === undefined;
    const byMoments = v.mean !== undefined && v.stddev !== undefined && v.p50 === undefined && v.p99 === undefined;
    if (!byPercentiles && !byMoments) ctx.addIssue({ code: 'custom', message: 'a lognormal latency needs either p50 and p99, or mean and stddev' });
    else if (byPercentiles && v.p99! <= v.p50!) {
      ctx.addIssue({ code: 'custom', path: ['p99'], message: `p99 must be above p50 (${v.p50} µs), got ${v.p99} µs` });
    }
  });
const TIME_UNIT_US = { ns: 1e-3, us: 1, ms: 1e3, s: 1e6 } as const;
const Empirical = z.strictObject({
  dist: z.literal('empirical'),
  /** Unit of bare numbers in `values` (calibrated profiles write `unit: us`); without it each value needs its unit. */
  unit: z.enum(['ns', 'us', 'ms', 's'], { error: (iss) => `expected ns, us, ms or s, got ${JSON.stringify(iss.input)}` }).optional(),
  /** Latency values and how often each occurs: a histogram. */
  values: z.array(z.unknown()).min(1),
  weights: z.array(numberIn(0, 1e15)).min(1),
}).transform((v, ctx) => {
  const values = v.values.map((raw, i) => {
    const p = typeof raw === 'number' && v.unit !== undefined ? { ok: true as const, value: raw * TIME_UNIT_US[v.unit] } : parseDuration(raw);
    if (p.ok && p.value >= 0 && p.value <= MAX_DURATION_US) return p.value;
    ctx.addIssue({ code: 'custom', path: ['values', i], message: p.ok ? `expected a time from 0 to 30 days, got ${String(raw)}` : p.message });
    return 0;
  });
  if (v.values.length !== v.weights.length) {
    ctx.addIssue({ code: 'custom', path: ['weights'], message: `expected ${v.values.length} weights (one per value), got ${v.weights.length}` });
  } else if (v.weights.reduce((s, w) => s + w, 0) <= 0) ctx.addIssue({ code: 'custom', path: ['weights'], message: 'the weights add up to 0' });
  return { dist: v.dist, values, weights: v.weights };
});
/**
 * A load- and size-dependent distribution (model/service-table.ts): `quantiles[i][j]` is the
 * distribution at `depths[i]` I/Os at the device and block size `sizes[j]`, as equally
 * likely values (the same count in every cell), in `unit`.
 */
const Table = z.strictObject({
  dist: z.literal('table'),
  unit: z.enum(['ns', 'us', 'ms', 's'], { error: (iss) => `expected ns, us, ms or s, got ${JSON.stringify(iss.input)}` }),
  depths: z.array(positiveInt(65536)).min(1),
  sizes: z.array(sizeField({ min: 1 })).min(1),
  quantiles: z.array(z.array(z.array(numberIn(0, MAX_DURATION_US / 1e-3)).min(1))),
}).superRefine((v, ctx) => {
  const ascending = (a: number[]): boolean => a.every((x, i) => i === 0 || x > a[i - 1]!);
  if (!ascending(v.depths)) ctx.addIssue({ code: 'custom', path: ['depths'], message: `expected ascending depths, got ${v.depths.join(', ')}` });
  if (!ascending(v.sizes)) ctx.addIssue({ code: 'custom', path: ['sizes'], message: 'expected ascending sizes' });
  const q = v.quantiles[0]?.[0]?.length;
  if (v.quantiles.length !== v.depths.length) ctx.addIssue({ code: 'custom', path: ['quantiles'], message: `expected ${v.depths.length} rows (one per depth), got ${v.quantiles.length}` });
  v.quantiles.forEach((row, i) => {
    if (row.length !== v.sizes.length) ctx.addIssue({ code: 'custom', path: ['quantiles', i], message: `expected ${v.sizes.length} cells (one per size), got ${row.length}` });
    row.forEach((cell, j) => {
      if (cell.length !== q) ctx.addIssue({ code: 'custom', path: ['quantiles', i, j], message: `expected ${q} values, as in the first cell, got ${cell.length}` });
      else if (cell.some((x, k) => k > 0 && x < cell[k - 1]!)) ctx.addIssue({ code: 'custom', path: ['quantiles', i, j], message: 'expected values in ascending order' });
    });
  });
}).transform((v) => ({ dist: v.dist, depths: v.depths, sizesBytes: v.sizes, quantilesUs: v.quantiles.map((r) => r.map((c) => c.map((x) => x * TIME_UNIT_US[v.unit]))) }));
export const LatencyInput = z.discriminatedUnion('dist', [Fixed, Exponential, Lognormal, Empirical, Table]);
export type LatencyInput = z.infer<typeof LatencyInput>;

const DirectionInput = z.strictObject({
  latency: LatencyInput,
  /** Access latency of an I/O that starts where the previous one on the device ended (an HDD's seek and rotation skipped). */
  sequentialLatency: LatencyInput.optional(),
  /** Transfer rate of the device's transfer stage, shared by every slot: adds size / bandwidth to service. */
  bandwidth: bandwidthField().optional(),
  /** Sustained IOPS cap of this direction alone (e.g. an SSD's random-write limit). */
  iops: rateField().optional(),
});

const LimitsInput = z.strictObject({
  iops: rateField().optional(),
  bandwidth: bandwidthField().optional(),
  /** Bucket depth in I/Os (for iops) and in bytes (for bandwidth). */
  burstIops: rateField().optional(),
  burstBytes: sizeField({ min: 1 }).optional(),
  /** gp2-style burst credits: a balance of I/Os that refills at `baseline` IOPS and starts full. */
  credits: z.strictObject({ baseline: rateField(), balance: rateField() }).optional(),
});

const DirectionCpuInput = z.strictObject({
  submit: durationField().optional(),
  complete: durationField().optional(),
  /** Bytes per second the submit call works through (pinning pages, copying): adds size / bandwidth of CPU. */
  bandwidth: bandwidthField().optional(),
});

const CpuInput = z.strictObject({
  /** Issuing-side CPU time per I/O before it reaches the device (fio's slat is part of it). */
  submit: durationField().optional(),
  /** Issuing-side CPU time per I/O to reap its completion. */
  complete: durationField().optional(),
  /** CPU time per system call; with it, an async engine submits or reaps all queued I/Os in one call. */
  call: durationField().optional(),
  /** A sleeping thread's wake-up: paid when a completion (or an arrival) finds it idle. */
  wake: durationField().optional(),
  /** How much each submit's and reap's CPU time varies: its coefficient of variation (0 = fixed). */
  cv: numberIn(0, 10).optional(),
  read: DirectionCpuInput.optional(),
  write: DirectionCpuInput.optional(),
});

const WorkerDirectionInput = z.strictObject({
  /** CPU time per I/O. */
  perIo: durationField().optional(),
  /** Bytes per second of CPU work (copying, compressing): adds size / bandwidth of CPU time. */
  bandwidth: bandwidthField().optional(),
});

const WorkerThreads = z.unknown().transform((raw, ctx): number | 'submitter' => {
  if (raw === 'submitter' || (typeof raw === 'number' && Number.isInteger(raw) && raw >= 1 && raw <= 4096)) return raw;
  ctx.addIssue({ code: 'custom', message: `expected a number of threads from 1 to 4096, or "submitter" (work done in the submitting thread), got ${JSON.stringify(raw)}` });
  return z.NEVER;
});

/** A device whose service is CPU work on the host's cores (loop, zram, checksums). */
const WorkerInput = z.strictObject({
  threads: WorkerThreads.optional(),
  wake: durationField().optional(),
  perIo: durationField().optional(),
  bandwidth: bandwidthField().optional(),
  read: WorkerDirectionInput.optional(),
  write: WorkerDirectionInput.optional(),
});

export const DeviceInput = z.strictObject({
  /** Applied before validation (profiles.ts); kept so the key is known. */
  profile: z.string().optional(),
  parallelism: positiveInt(65536).optional(),
  read: DirectionInput.optional(),
  write: DirectionInput.optional(),
  limits: LimitsInput.optional(),
  cpu: CpuInput.optional(),
  worker: WorkerInput.optional(),
  /** CPU time the submitting thread spends when it finds the device idle (waking a worker thread, notifying a virtual device). */
  wake: durationField().optional(),
});

const SnapshotsInput = z.strictObject({
  every: durationField({ min: 0, minExclusive: true }).optional(),
  at: z.array(durationField()).optional(),
  keep: positiveInt(1_000_000).optional(),
  chunk: sizeField({ min: 512, max: 2 ** 30 }).optional(),
  mode: z.enum(['cow', 'row'], { error: (iss) => `expected cow or row, got ${JSON.stringify(iss.input)}` }).optional(),
  pause: durationField().optional(),
  /** What the first write to a chunk shared with a snapshot costs, per chunk (see model/volume-engine.ts). */
  firstWrite: z.strictObject({
    /** In the issuing thread's submission (fio's slat): the filesystem's allocation and metadata work. */
    submit: durationField().optional(),
    /** On the host's CPU cores, off the I/O's path (the filesystem's workers finishing the write). */
    background: durationField().optional(),
    /** Extra device time of the data write (a write to a newly allocated place). */
    device: durationField().optional(),
    /** One in `every` first writes waits `duration` for the volume's one metadata flusher. */
    stall: z.strictObject({ every: positiveInt(1_000_000_000), duration: durationField() }).optional(),
  }).optional(),
  redirectedReadCost: durationField().optional(),
});

export const ReplicatedInput = z.strictObject({
  devices: z.array(z.string()).min(1),
  writeAck: z.union([z.literal('all'), z.literal('quorum'), positiveInt(64)]).optional(),
  read: z.enum(['primary', 'any', 'least-loaded'], { error: (iss) => `expected primary, any or least-loaded, got ${JSON.stringify(iss.input)}` }).optional(),
  /** `link` names a network link shared with every other replicated volume that names it (a host's NIC). */
  network: z.strictObject({ latency: durationField(), bandwidth: bandwidthField(), link: z.string().optional() }),
});

export const VolumeInput = z.strictObject({
  device: z.string().optional(),
  pool: z.string().optional(),
  thin: z.boolean().optional(),
  replicated: ReplicatedInput.optional(),
  size: sizeField({ min: 0, minExclusive: true }),
  blockSize: sizeField({ min: 512, max: 2 ** 30 }).optional(),
  maxIoSize: sizeField({ min: 512, max: 2 ** 30 }).optional(),
  snapshots: SnapshotsInput.optional(),
  limits: LimitsInput.optional(),
});

export const PoolInput = z.strictObject({
  devices: z.array(z.string()).min(1),
  capacity: sizeField({ min: 0, minExclusive: true }),
  allocationUnit: sizeField({ min: 512, max: 2 ** 34 }).optional(),
  firstWriteCost: durationField().optional(),
});

const CgroupInput = z.strictObject({
  riops: rateField().optional(),
  wiops: rateField().optional(),
  rbps: bandwidthField().optional(),
  wbps: bandwidthField().optional(),
});

/** A container's job: its volume, fio's options (the option table, option-table.ts), or a trace to replay. */
export const JobInput = z.strictObject({
  volume: z.string().optional(),
  ...jobOptionShape(),
  /** Replay a block trace instead of rw/bs (trace-job.ts). */
  trace: TraceInput.optional(),
});
export type JobInput = z.infer<typeof JobInput>;

export const ContainerInput = z.strictObject({
  replicas: positiveInt(100_000).optional(),
  volumes: z.array(z.string()).optional(),
  /** cgroup v2 io.max for each replica. */
  limits: CgroupInput.optional(),
  jobs: z.record(z.string(), JobInput),
});

/** The host's CPU cores, shared by job threads and CPU-bound devices (model/host-cpu.ts). */
export const HostInput = z.strictObject({ cores: positiveInt(4096), slice: durationField({ min: 1 }).optional(), balance: durationField().optional() });

export const ScenarioInput = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  seed: numberIn(0, Number.MAX_SAFE_INTEGER, true).optional(),
  /** fio's runtime: a bare number is seconds. */
  duration: durationField({ min: 0, minExclusive: true, bare: 's' }),
  /** fio's ramp_time: a bare number is seconds. */
  ramp: durationField({ bare: 's' }).optional(),
  /** Sampling interval of timeline.csv. */
  timeline: durationField({ min: 1, minExclusive: false }).optional(),
  /** The host's CPU cores, shared by job threads and CPU-bound devices (absent: not modelled). */
  host: HostInput.optional(),
  devices: z.record(z.string(), DeviceInput),
  pools: z.record(z.string(), PoolInput).optional(),
  volumes: z.record(z.string(), VolumeInput),
  containers: z.record(z.string(), ContainerInput),
  /** Runs one after another on the same volumes, with snapshots between them (phases.ts). */
  phases: phaseSchemas(JobInput).optional(),
});
export type ScenarioInput = z.infer<typeof ScenarioInput>;
