/**
 * Results to fio-compatible JSON (fio 3.x, --output-format=json+): any tool that reads
 * fio output reads simulated output. Keys and units are fio's: `*_ns` latencies in ns,
 * `bw_bytes` in bytes/s, `bw` in KiB/s, `runtime` in ms, percentiles keyed "99.000000",
 * json+ `bins` keyed by bucket value in ns. blocksim's own figures sit under one
 * top-level key, `blocksim`.
 */
import type { CapUsage, DirectionResult, LatencyStats, ReplayResult, Results } from '../results/types.js';

/** Six decimals, as fio prints floats; keeps output byte-stable. */
const f6 = (x: number): number => Math.round(x * 1e6) / 1e6;

export function percentileKey(pct: number): string {
  return pct.toFixed(6);
}

function latencyJson(s: LatencyStats): Record<string, unknown> {
  const out: Record<string, unknown> = { min: Math.round(s.minNs), max: Math.round(s.maxNs), mean: f6(s.meanNs), stddev: f6(s.stddevNs), N: s.n };
  if (s.n > 0 && s.percentiles) out.percentile = Object.fromEntries(s.percentiles.map((p) => [percentileKey(p.pct), Math.round(p.ns)]));
  if (s.n > 0 && s.bins) out.bins = Object.fromEntries(s.bins.map(([ns, count]) => [String(ns), count]));
  return out;
}

function directionJson(d: DirectionResult): Record<string, unknown> {
  return {
    io_bytes: d.ioBytes,
    io_kbytes: Math.floor(d.ioBytes / 1024),
    bw_bytes: Math.floor(d.bwBytesPerSec),
    bw: Math.floor(d.bwBytesPerSec / 1024),
    iops: f6(d.iops),
    runtime: d.runtimeMs,
    total_ios: d.totalIos,
    short_ios: 0,
    drop_ios: 0,
    slat_ns: latencyJson(d.slat),
    clat_ns: latencyJson(d.clat),
    lat_ns: latencyJson(d.lat),
  };
}

const EMPTY: DirectionResult = {
  totalIos: 0, ioBytes: 0, runtimeMs: 0, iops: 0, bwBytesPerSec: 0,
  slat: { n: 0, minNs: 0, maxNs: 0, meanNs: 0, stddevNs: 0 },
  clat: { n: 0, minNs: 0, maxNs: 0, meanNs: 0, stddevNs: 0 },
  lat: { n: 0, minNs: 0, maxNs: 0, meanNs: 0, stddevNs: 0 },
};

export function toFioJson(results: Results): Record<string, unknown> {
  const out: Record<string, unknown> = {
    'fio version': results.version,
    timestamp: 0,
    timestamp_ms: 0,
    time: '',
    'global options': results.globalOptions,
    jobs: results.jobs.map((j) => ({
      jobname: j.name,
      groupid: 0,
      error: 0,
      ...(j.hostname !== undefined ? { hostname: j.hostname } : {}),
      'job options': j.options,
      read: directionJson(j.read),
      write: directionJson(j.write),
      trim: directionJson(j.trim ?? EMPTY),
      job_runtime: Math.max(j.read.runtimeMs, j.write.runtimeMs),
      ...(j.cpu ? { usr_cpu: f6(j.cpu.usrPct), sys_cpu: f6(j.cpu.sysPct), ctx: j.cpu.ctx } : {}),
    })),
  };
  if (results.source === 'simulated') {
    out.blocksim = {
      scenario: results.scenario,
      seed: results.seed,
      duration_us: results.durationUs,
      ramp_us: results.rampUs,
      jobs: results.jobs.map((j) => ({ jobname: j.name, mean_inflight: f6(j.meanInflight ?? 0), ...(j.replay ? { replay: replayJson(j.replay) } : {}) })),
      ...(results.host ? { host: { cores: results.host.cores, util: f6(results.host.utilization) } } : {}),
      devices: results.devices.map((d) => ({
        name: d.name,
        parallelism: d.parallelism,
        util: f6(d.utilization),
        ...(d.transferUtilization !== undefined ? { transfer_util: f6(d.transferUtilization) } : {}),
        ...(d.workerUtilization !== undefined ? { worker_util: f6(d.workerUtilization) } : {}),
        mean_queue_depth: f6(d.meanQueueDepth),
        mean_waiting: f6(d.meanWaiting),
        completed_ios: d.completedIos,
        ...(d.caps ? { caps: capsJson(d.caps) } : {}),
      })),
      volumes: (results.volumes ?? []).map((v) => ({
        name: v.name,
        cow_copies: v.cowCopies,
        snapshot_bytes: v.snapshotBytes,
        snapshots_taken: v.snapshotsTaken,
        snapshots_retired: v.snapshotsRetired,
        freed_bytes: v.freedBytes,
        ...(v.snapshots ? { snapshots: v.snapshots.map((x) => ({ taken_s: f6(x.takenUs / 1e6), held_bytes: x.heldBytes, retired: x.retired })) } : {}),
        snapshot_device_ios: v.snapshotDeviceIos,
        rmw_reads: v.rmwReads,
        data_device_ios: v.dataDeviceIos,
        ...(v.allocatedBytes !== undefined ? { allocated_bytes: v.allocatedBytes } : {}),
        ...(v.caps ? { caps: capsJson(v.caps) } : {}),
      })),
      ...(results.cgroups ? { cgroups: results.cgroups.map((c) => ({ name: c.name, caps: capsJson(c.caps) })) } : {}),
      pools: (results.pools ?? []).map((p) => ({
        name: p.name,
        capacity_bytes: p.capacityBytes,
        allocated_bytes: p.allocatedBytes,
        provisioned_bytes: p.provisionedBytes,
        overcommit: f6(p.overcommit),
        allocation_bytes_per_s: f6(p.allocationBytesPerSec),
        full_at_s: Number.isFinite(p.fullAtUs) ? f6(p.fullAtUs / 1e6) : null,
      })),
    };
  }
  return out;
}

function replayJson(r: ReplayResult): Record<string, unknown> {
  return {
    trace: r.file,
    mode: r.mode,
    speed: r.speed,
    records: r.records,
    replayed: r.replayed,
    trims_skipped: r.trims,
    syncs_skipped: r.syncs,
    other_device_skipped: r.otherDevice,
    bad_records_skipped: r.badRecords,
    remapped: r.remapped,
    stalls: r.stalls,
    stall_s: f6(r.stallUs / 1e6),
    ended_s: r.endedUs !== undefined ? f6(r.endedUs / 1e6) : null,
  };
}

function capsJson(caps: CapUsage[]): { cap: string; util: number }[] {
  return caps.map((c) => ({ cap: c.cap, util: f6(c.utilization) }));
}

/** The JSON text blocksim writes: two-space indent, trailing newline. */
export function renderFioJson(results: Results): string {
  return `${JSON.stringify(toFioJson(results), null, 2)}\n`;
}
