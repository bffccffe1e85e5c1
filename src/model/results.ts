/** Simulation state to the shared Results type. */
import type { Scenario, JobSpec } from '../scenario/types.js';
import type { IoStats } from '../stats/io-stats.js';
import type { DirectionResult, LatencyStats, Results } from '../results/types.js';
import { FIO_DEFAULT_PERCENTILES } from '../stats/fio-histogram.js';
import type { Welford } from '../stats/welford.js';
import { VERSION } from '../version.js';
import type { Simulation } from './simulate.js';
import type { JobThread } from './job-thread.js';

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
    jobs: sim.jobStats.map(({ name, spec, stats, threads }) => ({
      name,
      options: spec.options,
      read: directionResult(stats[0], scenario.durationUs),
      write: directionResult(stats[1], scenario.durationUs),
      meanInflight: threads.reduce((s, t) => s + t.meanInflight(), 0),
    })),
    devices: sim.devices.map((d) => ({ name: d.name, parallelism: d.parallelism, ...d.stats() })),
  };
}
