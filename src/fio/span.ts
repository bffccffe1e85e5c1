/**
 * How much of each target fio touches, and measuring over a smaller span.
 *
 * A job addresses [offset, offset + size) of its volume; fio lays out a regular file up
 * to the end of the furthest job on it (it writes the file before reading it), so a
 * 2 TiB volume asks for a 2 TiB file. `limitSpan` scales every job of a volume into the
 * first `spanBytes` of it, keeping the jobs' relative places and sizes (aligned to the
 * volume's block size, never below a job's largest block), so a measurement fits a
 * small disk. Pure.
 */
import type { JobSpec, Scenario } from '../scenario/types.js';
import { formatBytes } from '../scenario/units.js';

/** Bytes from the start of each volume to the end of its furthest job. */
export function spanEnds(scenario: Scenario): Map<string, number> {
  const ends = new Map<string, number>();
  for (const c of scenario.containers) {
    for (const j of c.jobs) ends.set(j.volume, Math.max(ends.get(j.volume) ?? 0, j.spanOffsetBytes + j.spanSizeBytes));
  }
  return ends;
}

export interface SpanLimit {
  scenario: Scenario;
  /** What changed, for the results and the terminal; empty when every volume already fits. */
  notes: string[];
}

function largestBlock(j: JobSpec): number {
  return Math.max(...j.bs.read.sizesBytes, ...j.bs.write.sizesBytes);
}

export function limitSpan(scenario: Scenario, spanBytes: number): SpanLimit {
  const ends = spanEnds(scenario);
  const notes: string[] = [];
  const containers = scenario.containers.map((c) => ({
    ...c,
    jobs: c.jobs.map((j) => {
      const end = ends.get(j.volume)!;
      if (end <= spanBytes) return j;
      const align = scenario.volumes.find((v) => v.name === j.volume)!.blockSizeBytes;
      const f = spanBytes / end;
      const down = (x: number): number => Math.floor((x * f) / align) * align;
      const size = Math.max(down(j.spanSizeBytes), Math.ceil(largestBlock(j) / align) * align);
      const offset = Math.min(down(j.spanOffsetBytes), Math.max(0, Math.floor((spanBytes - size) / align) * align));
      return { ...j, spanOffsetBytes: offset, spanSizeBytes: size };
    }),
  }));
  for (const [volume, end] of ends) {
    if (end > spanBytes) notes.push(`volume ${volume}: measured over its first ${formatBytes(spanBytes)} instead of ${formatBytes(end)} (--size): each job's offset and size scaled by ${(spanBytes / end).toPrecision(3)}`);
  }
  return { scenario: { ...scenario, containers }, notes };
}
