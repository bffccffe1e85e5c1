/** Worker thread entry: evaluates one grid point (tinypool calls the default export). */
import { evaluatePoint, type PointResult } from '../sweep/evaluate.js';
import type { GridPoint } from '../sweep/grid.js';
import { withTraceSources } from './trace-source.js';

export default function run(task: { raw: Record<string, unknown>; point: GridPoint; profileFiles: Record<string, unknown>; traceBase?: string }): PointResult {
  if (task.traceBase === undefined) return evaluatePoint(task.raw, task.point, task.profileFiles);
  return withTraceSources(task.traceBase, (traces) => evaluatePoint(task.raw, task.point, task.profileFiles, traces));
}
