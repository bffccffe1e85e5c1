/**
 * A latency that grows with the I/Os at the device (model/service-table.ts), fitted from
 * a QD1 run and a deep run, for devices whose latency rises smoothly with load rather than
 * at a knee (a virtual disk whose host-side backend serves requests in turn): the
 * classic table-based model.
 *
 *   depth 1  ──▶ the QD1 latency as fitted (clat less the CPU inside it)
 *   depth D  ──▶ the same shape, scaled so that the deep run's simulated IOPS are the
 *                measured ones (D = iodepth × numjobs); the direction without a deep run of
 *                its own grows by the same factor (a guess, said so)
 *   between  ──▶ cells at 2, 4, 8, …: the scale linear in the depth (tableOf)
 *
 * Which fits: a slot model predicts narrow latencies at depth (the FIFO wait dominates);
 * when the deep run's p99 is far from what the best slot model gives, the table is used.
 */
import type { Dir, MeasuredPoint } from './measured-points.js';
import { simulatePoint } from './simulate-point.js';

const round2 = (x: number): number => Math.max(0, Math.round(x * 100) / 100);
const meanOf = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * Cells at 1, 2, 4, … and the deep run's depth: the QD1 latency scaled by a factor that
 * grows linearly with the depth, 1 at depth 1 and `grown` at `depth`. A device with a
 * throughput ceiling serves n I/Os in a time close to n / ceiling once n is past its knee
 * (latency linear in the depth, as mean value analysis of one queueing centre gives); a
 * power law through the two measured depths (the sampler's blend between two cells alone)
 * predicts the depths in between too slow.
 */
function tableOf(depth: number, q1: number[], grown: number): Record<string, unknown> {
  const depths = [1];
  while (depths[depths.length - 1]! * 2 < depth) depths.push(depths[depths.length - 1]! * 2);
  if (depth > 1) depths.push(depth);
  const factor = (n: number): number => (depth > 1 ? 1 + ((grown - 1) * (n - 1)) / (depth - 1) : 1);
  return { dist: 'table', unit: 'us', depths, sizes: [4096], quantiles: depths.map((n) => [q1.map((v) => round2(v * factor(n)))]) };
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
  const at = (k: number): Record<string, unknown> => ({
    ...device,
    parallelism: 1024,
    read: { ...(device.read as object), latency: tableOf(depth, q1('read'), grown * k) },
    write: { ...(device.write as object), latency: tableOf(depth, q1('write'), grown * k) },
  });
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
    `so that ${deep.files[0]} runs at its measured ${target.toFixed(0)} IOPS), linear in the depth in between; ${other}s grow by the same factor`
  );
}
