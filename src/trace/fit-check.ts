/**
 * How well a fitted job matches its trace: the trace's figures beside those of the
 * trace the job would issue (synthesize.ts, same number of I/Os, through the same
 * statistics), with the relative difference of each.
 */
import type { TraceStats } from './stats-result.js';

export interface FitFigure {
  figure: string;
  unit: string;
  trace: number;
  fitted: number;
  /** (fitted - trace) / trace; NaN when the trace's figure is 0 or unknown. */
  difference: number;
}

function hitAt(s: TraceStats, cacheBytes: number): number {
  const c = s.reuse.curve;
  let best = NaN;
  for (const p of c) if (p.cacheBytes <= cacheBytes) best = p.hitRatio;
  return best;
}

export function compareFit(trace: TraceStats, fitted: TraceStats): FitFigure[] {
  const rows: [string, string, (s: TraceStats) => number][] = [
    ['reads', 'share of I/Os', (s) => s.readShareIos],
    ['read IOPS', 'per second', (s) => s.read.iops],
    ['write IOPS', 'per second', (s) => s.write.iops],
    ['read size', 'bytes (mean)', (s) => s.read.meanSizeBytes],
    ['write size', 'bytes (mean)', (s) => s.write.meanSizeBytes],
    ['sequential reads', 'share', (s) => s.read.sequentialFraction],
    ['sequential writes', 'share', (s) => s.write.sequentialFraction],
    ['read gap variation', 'stddev / mean', (s) => s.read.gapCv],
    ['write gap variation', 'stddev / mean', (s) => s.write.gapCv],
    ['working set', 'bytes', (s) => s.workingSet.bytes],
    ['re-referenced blocks', 'share of block references', (s) => s.reuse.reReferenceFraction],
  ];
  const ws = trace.workingSet.bytes;
  for (const share of [0.01, 0.1, 0.5]) {
    const bytes = 2 ** Math.round(Math.log2(Math.max(trace.workingSet.blockBytes, share * ws)));
    if (bytes >= trace.reuse.resolvableFromBytes) rows.push([`LRU hit ratio, ${bytes / 2 ** 20 >= 1 ? `${bytes / 2 ** 20} MiB` : `${bytes / 1024} KiB`} cache`, 'share of block references', (s) => hitAt(s, bytes)]);
  }
  if (trace.depth.known) rows.push(['I/Os in flight', 'mean', (s) => (s.depth.known ? s.depth.meanInflight : NaN)]);
  return rows.map(([figure, unit, get]) => {
    const t = get(trace);
    const f = get(fitted);
    return { figure, unit, trace: t, fitted: f, difference: Number.isFinite(t) && t !== 0 && Number.isFinite(f) ? (f - t) / t : NaN };
  });
}
