/** Simulation state to the shared Results type. */
import type { Scenario, JobSpec } from '../scenario/types.js';
import type { IoStats } from '../stats/io-stats.js';
import type { DirectionResult, LatencyStats, PoolResult, Results, VolumeResult } from '../results/types.js';
import type { VolumeEngine } from './volume-engine.js';
import type { ThinPool } from './thin-pool.js';
import { FIO_DEFAULT_PERCENTILES } from '../stats/fio-histogram.js';
import type { Welford } from '../stats/welford.js';
import { VERSION } from '../version.js';
import { workloadOf } from '../results/workload.js';
import type { Simulation } from './build.js';
import type { JobThread } from './job-thread.js';
import { replayResult } from './replay-build.js';

export interface JobStatsEntry {
  name: string;
  spec: JobSpec;
  stats: [IoStats, IoStats];
  threads: JobThread[];
}

function latency(w: Welford, withHistogram?: IoStats['histogram']): LatencyStats {
  const base: LatencyStats = {
    n: w.n,
    minNs: w.n > 0 ? w.min : 0,
    maxNs: w.n > 0 ? w.max : 0,
    meanNs: w.n > 0 ? w.mean : 0,
    stddevNs: w.stddev,
  };
  if (withHistogram === undefined) return base;
  const values = withHistogram.percentiles(FIO_DEFAULT_PERCENTILES);
  return {
    ...base,
    percentiles: FIO_DEFAULT_PERCENTILES.map((pct, i) => ({ pct, ns: values[i]! })),
    bins: withHistogram.bins(),
  };
}

export function directionResult(s: IoStats, runtimeUs: number): DirectionResult {
  const runtimeMs = Math.round(runtimeUs / 1000);
  const seconds = runtimeUs / 1e6;
  return {
    totalIos: s.ios,
    ioBytes: s.bytes,
    runtimeMs: s.ios > 0 ? runtimeMs : 0,
    iops: s.ios > 0 ? s.ios / seconds : 0,
    bwBytesPerSec: s.ios > 0 ? Math.floor(s.bytes / seconds) : 0,
    slat: latency(s.slat),
    clat: latency(s.clat, s.histogram),
    lat: latency(s.lat),
  };
}

export function buildResults(scenario: Scenario, sim: Simulation): Results {
  return {
    source: 'simulated',
    version: `blocksim-${VERSION}`,
    scenario: scenario.name,
    seed: scenario.seed,
    durationUs: scenario.durationUs,
    rampUs: scenario.rampUs,
    globalOptions: { runtime: String(scenario.durationUs / 1e6), ramp_time: String(scenario.rampUs / 1e6), time_based: '1', direct: '1' },
    jobs: sim.jobStats.map(({ name, spec, stats, threads }) => {
      // fio's runtime: a replay whose trace ended early ran until its last completion
      const runtimeUs = spec.trace ? Math.max(0, ...threads.map((t) => t.measuredRuntimeUs())) : spec.runtimeUs;
      const replay = replayResult(spec, threads);
      return {
        name,
        options: spec.options,
        workload: workloadOf(spec),
        read: directionResult(stats[0], runtimeUs),
        write: directionResult(stats[1], runtimeUs),
        meanInflight: threads.reduce((s, t) => s + t.meanInflight(), 0),
        ...(sim.host ? { cpu: { usrPct: 0, sysPct: (100 * threads.reduce((s, t) => s + t.cpuBusyUs, 0)) / threads.length / scenario.durationUs, ctx: 0 } } : {}),
        ...(replay ? { replay } : {}),
      };
    }),
    devices: sim.devices.map((d) => ({ name: d.name, parallelism: d.parallelism, ...d.stats() })),
    volumes: sim.engines.map((e) => volumeResult(e, sim)),
    pools: sim.pools.map((p) => poolResult(p, sim, scenario)),
    ...(sim.cgroups.length > 0 ? { cgroups: sim.cgroups.map((c) => ({ name: c.name, caps: c.throttle.usage() })) } : {}),
    ...(sim.host ? { host: { cores: sim.host.cores, utilization: sim.host.utilization() } } : {}),
    timeline: sim.timeline.rows,
  };
}

function volumeResult(e: VolumeEngine, sim: Simulation): VolumeResult {
  const s = e.snapshots;
  const caps = e.capUsage();
  const pool = e.spec.placement.kind === 'pool' ? sim.pools.find((p) => p.spec.name === (e.spec.placement as { pool: string }).pool) : undefined;
  return {
    name: e.spec.name,
    cowCopies: e.counters.preservedChunks,
    snapshotBytes: s?.snapshotBytes ?? 0,
    snapshotsTaken: s?.snapshots.length ?? 0,
    snapshotsRetired: s?.retired ?? 0,
    freedBytes: s?.freedBytes ?? 0,
    ...(s ? { snapshots: s.snapshots.map((x) => ({ takenUs: x.takenUs, heldBytes: x.heldChunks * s.chunkBytes, retired: x.retired })) } : {}),
    snapshotDeviceIos: e.counters.snapshotDeviceIos,
    rmwReads: e.counters.rmwReads,
    dataDeviceIos: e.counters.dataDeviceIos,
    ...(pool ? { allocatedBytes: pool.allocatedBytesOf(e.spec.name) } : {}),
    ...(caps ? { caps } : {}),
  };
}

/** Pool figures; the fill time extrapolates the allocation rate of the measured window. */
function poolResult(p: ThinPool, sim: Simulation, scenario: Scenario): PoolResult {
  const rows = sim.timeline.rows.filter((r) => r.entity === 'pool' && r.name === p.spec.name);
  const from = rows.find((r) => r.timeUs >= scenario.rampUs) ?? rows[0];
  const last = rows[rows.length - 1];
  const rate = from && last && last.timeUs > from.timeUs ? ((last.value - from.value) * 1e6) / (last.timeUs - from.timeUs) : 0;
  const allocated = p.allocatedBytes;
  const free = p.spec.capacityBytes - allocated;
  const nowUs = sim.kernel.nowUs;
  return {
    name: p.spec.name,
    capacityBytes: p.spec.capacityBytes,
    allocatedBytes: allocated,
    provisionedBytes: p.provisionedBytes,
    overcommit: p.overcommit,
    allocationBytesPerSec: rate,
    fullAtUs: free <= 0 ? nowUs : rate > 0 ? nowUs + (free / rate) * 1e6 : Infinity,
  };
}
