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
          for (let repetition = 1; repetition <= g.repeat; repetition++) out.push(pointNamed({ rw, bs, iodepth, numjobs, repetition }, g.repeat));
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

/**
 * Recipes: fixed point lists for a purpose. `calibrate` is the smallest set the fit
 * needs (compare/fit-device.ts): per direction a QD1 and a deep 4 KiB random run (service
 * time, CPU costs, wake-ups, saturation) and a 1 MiB run (per-byte cost), and a QD4 read
 * (whether the host runs fio and a device's worker in turns on one core: fit-balance.ts),
 * about 70 s of fio with two repetitions of 5 s.
 */
export const RECIPES = {
  calibrate: [
    { rw: 'randread', bs: 4096, iodepth: 1, numjobs: 1 },
    { rw: 'randread', bs: 4096, iodepth: 4, numjobs: 1 },
    { rw: 'randread', bs: 4096, iodepth: 32, numjobs: 1 },
    { rw: 'randwrite', bs: 4096, iodepth: 1, numjobs: 1 },
    { rw: 'randwrite', bs: 4096, iodepth: 32, numjobs: 1 },
    { rw: 'read', bs: 1048576, iodepth: 4, numjobs: 1 },
    { rw: 'write', bs: 1048576, iodepth: 4, numjobs: 1 },
  ],
} as const satisfies Record<string, readonly Omit<SweepPoint, 'name' | 'repetition'>[]>;

export type RecipeName = keyof typeof RECIPES;

/** A recipe's points with repetitions, named as sweepPoints names grid points. */
export function recipePoints(recipe: RecipeName, repeat: number): SweepPoint[] {
  return RECIPES[recipe].flatMap((p) => Array.from({ length: repeat }, (_, i) => pointNamed({ ...p, repetition: i + 1 }, repeat)));
}

/** `<rw>[mix]-<bs>-qd<depth>-nj<jobs>[-r<k>]`, the name a point's files carry. */
export function pointNamed(p: Omit<SweepPoint, 'name'>, repeat: number): SweepPoint {
  const mix = p.rwmixread !== undefined && (p.rw === 'randrw' || p.rw === 'rw') ? String(p.rwmixread) : '';
  return { ...p, name: `${p.rw}${mix}-${sizeLabel(p.bs)}-qd${p.iodepth}-nj${p.numjobs}${repeat > 1 ? `-r${p.repetition}` : ''}` };
}
