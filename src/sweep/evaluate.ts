/**
 * One grid point: build the scenario, simulate it, and keep the figures a sweep or a
 * capacity search needs (small enough to pass between worker threads). Pure.
 */
import { normalizeScenario } from '../scenario/normalize.js';
import { simulate } from '../model/simulate.js';
import type { TraceSources } from '../model/trace-source.js';
import { formatIssue } from '../scenario/issues.js';
import { applyPoint, type GridPoint } from './grid.js';
import { summaryRows } from '../results/summary.js';
import type { Results } from '../results/types.js';
import { bindingConstraint, resourceUses, type ResourceUse } from '../results/resources.js';

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
  /** Utilization of the busiest resource (device slots, transfer stage or any cap), 0..1. */
  maxUtilization: number;
  /** That resource: the constraint that binds first. */
  binding?: ResourceUse;
  /** Each device's busiest resource (slots, bandwidth, caps), 0..1 (absent when the point failed validation). */
  devices?: { name: string; utilization: number }[];
  error?: string;
}

/** `traces`: where traced jobs read their traces (adapters/trace-source.ts). */
export function evaluatePoint(raw: Record<string, unknown>, point: GridPoint, profileFiles: Record<string, unknown> = {}, traces?: TraceSources): PointResult {
  const r = normalizeScenario(applyPoint(raw, point), { profileFiles });
  if (!r.ok) return { point, rows: [], maxUtilization: 0, error: r.issues.map(formatIssue).join('; ') };
  return pointResultOf(point, simulate(r.scenario, traces ? { traces } : {}));
}

/** The figures of a point from full results (the rows of summary.csv). */
export function pointResultOf(point: GridPoint, results: Results): PointResult {
  const rows: PointRow[] = summaryRows(results).map((x) => ({ job: x.job, direction: x.direction, iops: x.iops, meanUs: x.clatMeanUs, p50Us: x.clatP50Us, p99Us: x.clatP99Us, p999Us: x.clatP999Us }));
  const binding = bindingConstraint(results);
  const uses = resourceUses(results);
  const devices = results.devices.map((d) => ({ name: d.name, utilization: Math.max(0, ...uses.filter((u) => u.where === `device ${d.name}`).map((u) => u.utilization)) }));
  return { point, rows, maxUtilization: Math.max(0, binding?.utilization ?? 0), ...(binding ? { binding } : {}), devices };
}
