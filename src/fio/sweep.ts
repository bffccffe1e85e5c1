/**
 * The calibration grid: rw × bs × iodepth × numjobs (× repetitions), one fio job file and
 * one result per point, named so that a point is recognised when a sweep resumes.
 */
export interface SweepGrid {
  rw: string[];
  bs: number[];
  iodepth: number[];
  numjobs: number[];
  repeat: number;
  runtimeUs: number;
  sizeBytes: number;
  ioengine: string;
  /** Warm-up excluded from the figures (fio ramp_time); 0 or absent = none. */
  rampUs?: number;
}

export interface SweepPoint {
  name: string;
  rw: string;
  bs: number;
  iodepth: number;
  numjobs: number;
  repetition: number;
  /** Share of reads in % for the mixed modes (randrw, rw); fio's default is 50. */
  rwmixread?: number;
}

const RW = new Set(['read', 'write', 'randread', 'randwrite', 'randrw', 'rw']);

export function sizeLabel(bytes: number): string {
  if (bytes % 2 ** 20 === 0) return `${bytes / 2 ** 20}m`;
  if (bytes % 1024 === 0) return `${bytes / 1024}k`;
  return `${bytes}b`;
}

export function sweepPoints(g: SweepGrid): SweepPoint[] {
  const out: SweepPoint[] = [];
  for (const rw of g.rw) {
    if (!RW.has(rw)) throw new Error(`unknown rw ${rw}`);
    for (const bs of g.bs) {
      for (const iodepth of g.iodepth) {
        for (const numjobs of g.numjobs) {
          for (let repetition = 1; repetition <= g.repeat; repetition++) {
            const name = `${rw}-${sizeLabel(bs)}-qd${iodepth}-nj${numjobs}${g.repeat > 1 ? `-r${repetition}` : ''}`;
            out.push({ name, rw, bs, iodepth, numjobs, repetition });
          }
        }
      }
    }
  }
  return out;
}

export function renderSweepJob(p: SweepPoint, g: SweepGrid, target: string): string {
  return [
    `; blocksim fio sweep point ${p.name}`,
    '[global]',
    'direct=1',
    'time_based=1',
    `runtime=${Math.round(g.runtimeUs)}us`,
    ...(g.rampUs ? [`ramp_time=${Math.round(g.rampUs)}us`] : []),
    `ioengine=${g.ioengine}`,
    'norandommap=1',
    'randrepeat=0',
    '',
    `[${p.name}]`,
    `filename=${target}`,
    `size=${g.sizeBytes}`,
    `rw=${p.rw}`,
    ...(p.rwmixread !== undefined && (p.rw === 'randrw' || p.rw === 'rw') ? [`rwmixread=${p.rwmixread}`] : []),
    `bs=${p.bs}`,
    `iodepth=${p.iodepth}`,
    `numjobs=${p.numjobs}`,
    'group_reporting=1',
    '',
  ].join('\n');
}
