/** One measured point simulated on a candidate device: the inner step of every fit. */
import type { DirectionResult } from '../results/types.js';
import { scenarioOnDevice } from '../scenario/on-device.js';
import { formatIssue } from '../scenario/issues.js';
import { simulate } from '../model/simulate.js';
import type { Dir, MeasuredPoint } from './measured-points.js';

/**
 * Simulates the point's workload on `device` (on `host`'s cores when given) for about
 * `maxIos` I/Os at the measured rate: enough for stable means and p99 at a fraction of
 * the measured run's cost.
 */
export function simulatePoint(device: Record<string, unknown>, host: { cores: number } | undefined, point: MeasuredPoint, maxIos = 30_000): Record<Dir, DirectionResult> {
  const iops = Math.max(1, (point.dirs.read?.iops ?? 0) + (point.dirs.write?.iops ?? 0));
  const durationUs = Math.round(Math.max(20_000, Math.min(2e6, (maxIos / iops) * 1e6)));
  const r = scenarioOnDevice({
    name: 'fit', durationUs, rampUs: Math.round(durationUs / 20),
    ...(host ? { host } : {}),
    device,
    jobs: [{ container: 'c', name: 'j', parsed: point.parsed, options: point.job }],
  });
  if (!r.ok) throw new Error(`calibration built an invalid device: ${r.issues.map(formatIssue).join('; ')}`);
  const job = simulate(r.scenario).jobs[0]!;
  return { read: job.read, write: job.write };
}

/** A latency histogram as 200 equally likely quantile points (µs), from json+ bins. */
export function empiricalFromBins(bins: [number, number][]): { values: number[]; weights: number[] } {
  const total = bins.reduce((s, [, c]) => s + c, 0);
  const points = 200;
  const values: number[] = [];
  let i = 0;
  let acc = bins[0]![1];
  for (let k = 0; k < points; k++) {
    const target = ((k + 0.5) / points) * total;
    while (acc < target && i < bins.length - 1) acc += bins[++i]![1];
    values.push(Math.round(bins[i]![0] / 10) / 100); // ns → µs, 0.01 µs steps
  }
  return { values, weights: values.map(() => 1) };
}
