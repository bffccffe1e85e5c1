/**
 * The fidelity protocol of issue 12, pure: calibrate from a fixed set of runs, predict
 * another set, and summarise the errors beside the spread of repetitions.
 *
 *   calibration runs ──measuredPoints──fitDevice──▶ profile
 *   prediction runs  ──measuredPoints──▶ each point simulated with the profile
 *                     ──▶ |error| per direction: IOPS, clat p50, p99, demerit (% of mean)
 *                     ──▶ median and worst per figure; median spread of repetitions
 *
 * The targets are the issue's: median IOPS ≤ 10 %, p50 ≤ 15 %, p99 ≤ 30 %, demerit ≤ 25 %
 * of the mean, and no point's IOPS off by more than 40 %.
 */
import { median } from 'simple-statistics';
import type { SweepPoint } from '../fio/sweep.js';
import { pointErrors, type PointError } from './calibrate.js';
import { fitDevice, type DeviceFit } from './fit-device.js';
import { measuredPoints, type MeasuredInput } from './measured-points.js';

export type ProtocolPoint = Pick<SweepPoint, 'rw' | 'bs' | 'iodepth' | 'numjobs'> & { rwmixread?: number };

const K4 = 4096;
const M1 = 1 << 20;
/** The issue's calibration runs (write 1m QD4 is the fifth the issue allows). */
export const CALIBRATION_POINTS: ProtocolPoint[] = [
  { rw: 'randread', bs: K4, iodepth: 1, numjobs: 1 },
  { rw: 'randread', bs: K4, iodepth: 64, numjobs: 1 },
  { rw: 'randwrite', bs: K4, iodepth: 1, numjobs: 1 },
  { rw: 'read', bs: M1, iodepth: 4, numjobs: 1 },
  { rw: 'write', bs: M1, iodepth: 4, numjobs: 1 },
];
/** The issue's predicted runs. */
export const PREDICTED_POINTS: ProtocolPoint[] = [
  { rw: 'randread', bs: K4, iodepth: 4, numjobs: 1 },
  { rw: 'randread', bs: K4, iodepth: 16, numjobs: 1 },
  { rw: 'randwrite', bs: K4, iodepth: 16, numjobs: 1 },
  { rw: 'randread', bs: 65536, iodepth: 4, numjobs: 1 },
  { rw: 'randrw', bs: K4, iodepth: 16, numjobs: 1, rwmixread: 70 },
  { rw: 'randread', bs: K4, iodepth: 8, numjobs: 4 },
];

export const TARGETS = { iops: 0.1, p50: 0.15, p99: 0.3, demerit: 0.25, worstIops: 0.4 };

type Figure = 'iops' | 'p50' | 'p99' | 'demerit';
const FIGS: Figure[] = ['iops', 'p50', 'p99', 'demerit'];

export interface FidelitySummary {
  fit: DeviceFit;
  errors: PointError[];
  median: Record<Figure, number>;
  worst: Record<Figure, number>;
  /** Median over predicted points of the repetition spread (max − min) / mean; NaN with single runs. */
  spread: { iops: number; p50: number; p99: number };
  /** Targets missed, by name. */
  missed: string[];
}

export function fidelity(calibration: MeasuredInput[], prediction: MeasuredInput[]): FidelitySummary {
  const fit = fitDevice(measuredPoints(calibration).points);
  const points = measuredPoints(prediction).points;
  const errors = points.flatMap((p) => pointErrors(fit, p));
  const abs = (k: Figure): number[] => errors.map((e) => Math.abs(e[k])).filter(Number.isFinite);
  const med = Object.fromEntries(FIGS.map((k) => [k, abs(k).length > 0 ? median(abs(k)) : NaN])) as Record<Figure, number>;
  const worst = Object.fromEntries(FIGS.map((k) => [k, Math.max(...abs(k))])) as Record<Figure, number>;
  const spreads = points.map((p) => p.spread).filter((s) => s !== undefined);
  const sp = (k: 'iops' | 'p50' | 'p99'): number => (spreads.length > 0 ? median(spreads.map((s) => s[k])) : NaN);
  const missed: string[] = [];
  if (!(med.iops <= TARGETS.iops)) missed.push('median IOPS');
  if (!(med.p50 <= TARGETS.p50)) missed.push('median p50');
  if (!(med.p99 <= TARGETS.p99)) missed.push('median p99');
  if (!(med.demerit <= TARGETS.demerit)) missed.push('median demerit');
  if (!(worst.iops <= TARGETS.worstIops)) missed.push('worst IOPS');
  return { fit, errors, median: med, worst, spread: { iops: sp('iops'), p50: sp('p50'), p99: sp('p99') }, missed };
}

const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '-');

/** The per-device block the benchmark prints. */
export function formatFidelity(device: string, s: FidelitySummary): string {
  const rows = s.errors.map((e) => {
    const spread = e.spread ? `${(e.spread.iops * 100).toFixed(0)}/${(e.spread.p50 * 100).toFixed(0)}/${(e.spread.p99 * 100).toFixed(0)}` : '-';
    return `  ${e.key.padEnd(24)} ${e.direction.padEnd(5)} ${pct(e.iops).padStart(8)} ${pct(e.p50).padStart(8)} ${pct(e.p99).padStart(8)} ${pct(e.demerit).padStart(8)}   ${spread}`;
  });
  return [
    `${device}`,
    `  ${'predicted point'.padEnd(24)} dir       IOPS      p50      p99  demerit   spread % IOPS/p50/p99`,
    ...rows,
    `  median |error|: IOPS ${pct(s.median.iops)}, p50 ${pct(s.median.p50)}, p99 ${pct(s.median.p99)}, demerit ${pct(s.median.demerit)} of the mean`,
    `  worst  |error|: IOPS ${pct(s.worst.iops)}, p50 ${pct(s.worst.p50)}, p99 ${pct(s.worst.p99)}, demerit ${pct(s.worst.demerit)}`,
    `  repetitions differ by (median): IOPS ${pct(s.spread.iops)}, p50 ${pct(s.spread.p50)}, p99 ${pct(s.spread.p99)}`,
    `  targets: ${s.missed.length === 0 ? 'all met' : `missed: ${s.missed.join(', ')}`}`,
  ].join('\n');
}
