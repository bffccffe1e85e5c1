/**
 * CSV files of a results folder, written with csv-stringify. Header names carry units.
 * Numbers are rounded to fixed decimals so files are byte-stable.
 */
import { stringify } from 'csv-stringify/sync';
import type { Results } from '../results/types.js';
import { summaryRows } from '../results/summary.js';
import { resourceUses } from '../results/resources.js';

const r3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '');

export function summaryCsv(results: Results): string {
  const header = ['job', 'direction', 'iops', 'bw_bytes_per_s', 'ios', 'lat_mean_us', 'clat_mean_us', 'clat_p50_us', 'clat_p90_us', 'clat_p99_us', 'clat_p99_9_us', 'clat_max_us', 'slat_mean_us'];
  const rows = summaryRows(results).map((r) => [
    r.job, r.direction, r3(r.iops), String(Math.round(r.bwBytesPerSec)), String(r.ios), r3(r.latMeanUs), r3(r.clatMeanUs),
    r3(r.clatP50Us), r3(r.clatP90Us), r3(r.clatP99Us), r3(r.clatP999Us), r3(r.clatMaxUs), r3(r.slatMeanUs),
  ]);
  return stringify([header, ...rows]);
}

export function devicesCsv(results: Results): string {
  const header = ['device', 'parallelism', 'utilization_pct', 'transfer_utilization_pct', 'mean_queue_depth', 'mean_waiting', 'completed_ios'];
  const rows = results.devices.map((d) => [
    d.name, String(d.parallelism), r3(d.utilization * 100), d.transferUtilization === undefined ? '' : r3(d.transferUtilization * 100),
    r3(d.meanQueueDepth), r3(d.meanWaiting), String(d.completedIos),
  ]);
  return stringify([header, ...rows]);
}

/** Every resource the run could run out of and its use: slots, bandwidth, every cap. */
export function resourcesCsv(results: Results): string {
  const rows = resourceUses(results).map((u) => [u.where, u.resource, r3(u.utilization * 100)]);
  return stringify([['where', 'resource', 'utilization_pct'], ...rows]);
}

export function volumesCsv(results: Results): string {
  const header = ['volume', 'cow_copies', 'snapshot_bytes', 'snapshots_taken', 'snapshots_retired', 'freed_bytes', 'snapshot_device_ios', 'rmw_reads', 'data_device_ios', 'allocated_bytes'];
  const rows = (results.volumes ?? []).map((v) => [
    v.name, String(v.cowCopies), String(v.snapshotBytes), String(v.snapshotsTaken), String(v.snapshotsRetired), String(v.freedBytes),
    String(v.snapshotDeviceIos), String(v.rmwReads), String(v.dataDeviceIos), v.allocatedBytes === undefined ? '' : String(v.allocatedBytes),
  ]);
  return stringify([header, ...rows]);
}

export function poolsCsv(results: Results): string {
  const header = ['pool', 'capacity_bytes', 'allocated_bytes', 'provisioned_bytes', 'overcommit', 'allocation_bytes_per_s', 'full_at_s'];
  const rows = (results.pools ?? []).map((p) => [
    p.name, String(p.capacityBytes), String(p.allocatedBytes), String(p.provisionedBytes), r3(p.overcommit), r3(p.allocationBytesPerSec),
    Number.isFinite(p.fullAtUs) ? r3(p.fullAtUs / 1e6) : '',
  ]);
  return stringify([header, ...rows]);
}

/**
 * Long format, one figure per row: time_s, entity, name, metric, value. Produced in chunks
 * of rows (a 1,000-job run has 200,000 rows: as one table of string arrays it would be
 * held whole, twice); a name that needs CSV quoting goes through csv-stringify.
 */
export function* timelineCsvChunks(results: Results, rowsPerChunk = 4096): Generator<string> {
  const quoted = new Map<string, string>();
  const cell = (text: string): string => {
    if (!/[",\r\n]/.test(text)) return text;
    let q = quoted.get(text);
    if (q === undefined) quoted.set(text, (q = stringify([[text]]).trimEnd()));
    return q;
  };
  let chunk = 'time_s,entity,name,metric,value\n';
  let n = 0;
  for (const t of results.timeline ?? []) {
    const value = Number.isInteger(t.value) ? String(t.value) : t.value.toFixed(3);
    chunk += `${(t.timeUs / 1e6).toFixed(6)},${cell(t.entity)},${cell(t.name)},${cell(t.metric)},${value}\n`;
    if (++n % rowsPerChunk === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

export function timelineCsv(results: Results): string {
  return [...timelineCsvChunks(results)].join('');
}
