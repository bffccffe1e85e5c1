/**
 * One grid point: build the scenario, simulate it, and keep the figures a sweep or a
 * capacity search needs (small enough to pass between worker threads). Pure.
 */
import { normalizeScenario } from '../scenario/normalize.js';
import { simulate } from '../model/simulate.js';
import { formatIssue } from '../scenario/issues.js';
import { applyPoint, type GridPoint } from './grid.js';

export interface PointRow {
  job: string;
  direction: 'read' | 'write';
  iops: number;
  meanUs: number;
  p50Us: number;
  p99Us: number;
  p999Us: number;
}

export interface PointResult {
  point: GridPoint;
  rows: PointRow[];
  /** Highest device utilization, 0..1. */
  maxUtilization: number;
  error?: string;
}

export function evaluatePoint(raw: Record<string, unknown>, point: GridPoint, profileFiles: Record<string, unknown> = {}): PointResult {
  const r = normalizeScenario(applyPoint(raw, point), { profileFiles });
  if (!r.ok) return { point, rows: [], maxUtilization: 0, error: r.issues.map(formatIssue).join('; ') };
  const results = simulate(r.scenario);
  const pct = (d: { clat: { percentiles?: { pct: number; ns: number }[] } }, p: number): number => (d.clat.percentiles?.find((x) => x.pct === p)?.ns ?? NaN) / 1e3;
  const rows: PointRow[] = [];
  for (const j of results.jobs) {
    for (const direction of ['read', 'write'] as const) {
      const d = j[direction];
      if (d.totalIos === 0) continue;
      rows.push({ job: j.name, direction, iops: d.iops, meanUs: d.clat.meanNs / 1e3, p50Us: pct(d, 50), p99Us: pct(d, 99), p999Us: pct(d, 99.9) });
    }
  }
  return { point, rows, maxUtilization: Math.max(0, ...results.devices.map((d) => d.utilization)) };
}
