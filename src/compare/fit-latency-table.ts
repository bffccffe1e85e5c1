/**
 * A latency that grows with the I/Os at the device (model/service-table.ts), fitted from
 * a QD1 run and a deep run, for devices whose latency rises smoothly with load rather than
 * at a knee (a virtual disk whose host-side backend serves requests in turn): the
 * classic table-based model, interpolated in ln(depth) between the measured depths.
 *
 *   depth 1  ──▶ the QD1 latency as fitted (clat less the CPU inside it)
 *   depth D  ──▶ the same shape, scaled so that the deep run's simulated IOPS are the
 *                measured ones (D = iodepth × numjobs); the direction without a deep run of
 *                its own grows by the same factor (a guess, said so)
 *
 * Which fits: a slot model predicts narrow latencies at depth (the FIFO wait dominates);
 * when the deep run's p99 is far from what the best slot model gives, the table is used.
 */
import type { Dir, MeasuredPoint } from './measured-points.js';
import { simulatePoint } from './simulate-point.js';

const round2 = (x: number): number => Math.max(0, Math.round(x * 100) / 100);
const meanOf = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

function tableOf(depth: number, q1: number[], qD: number[]): Record<string, unknown> {
  return { dist: 'table', unit: 'us', depths: [1, depth], sizes: [4096], quantiles: [[q1], [qD]] };
}

/**
 * Replaces both directions' latency by a depth table and scales its deep cell to the deep
 * run's IOPS; `reapUs`: CPU inside the deep run's clat. Returns what it did, for the notes.
 */
export function fitLatencyTable(device: Record<string, unknown>, deep: MeasuredPoint, d: Dir, reapUs: number, host: { cores: number } | undefined): string {
  const depth = deep.iodepth * deep.numjobs;
  const other: Dir = d === 'read' ? 'write' : 'read';
  const q1 = (dir: Dir): number[] => (device[dir] as { latency: { values: number[] } }).latency.values;
  // the deep cell keeps the QD1 shape: a measured deep tail (a queue limit reached at that
  // depth) spread over the depths in between predicts their tails far too long
  const grown = (deep.dirs[d]!.clat.meanNs / 1e3 - reapUs) / Math.max(meanOf(q1(d)), 1e-6);
  const cells = (k: number): Record<Dir, number[]> => ({ read: q1('read').map((v) => round2(v * grown * k)), write: q1('write').map((v) => round2(v * grown * k)) });
  const at = (k: number): Record<string, unknown> => {
    const c = cells(k);
    return {
      ...device,
      parallelism: 1024,
      read: { ...(device.read as object), latency: tableOf(depth, q1('read'), c.read) },
      write: { ...(device.write as object), latency: tableOf(depth, q1('write'), c.write) },
    };
  };
  const target = deep.dirs[d]!.iops;
  let lo = 0.2;
  let hi = 5;
  for (let i = 0; i < 16; i++) {
    const mid = Math.sqrt(lo * hi);
    if (simulatePoint(at(mid), host, deep)[d].iops > target) lo = mid;
    else hi = mid;
  }
  const k = Math.sqrt(lo * hi);
  Object.assign(device, at(k));
  return (
    `latency grows with load: a table over depth 1 (the QD1 latency) and depth ${depth} (the QD1 latency × ${(grown * k).toFixed(2)}, ` +
    `so that ${deep.files[0]} runs at its measured ${target.toFixed(0)} IOPS), interpolated in ln(depth); ${other}s grow by the same factor`
  );
}
