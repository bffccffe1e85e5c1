/** The plain-text summary table printed by `blocksim run`. */
import type { Results } from '../results/types.js';
import { fixed, formatIops, formatLatencyNs, formatMiBps } from '../util/format.js';
import { summaryRows } from '../results/summary.js';
import { formatBytes, formatDuration } from '../scenario/units.js';
import { bindingConstraint, describeUse, resourceUses } from '../results/resources.js';

function pad(cells: string[][]): string {
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return cells
    .map((r) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd())
    .join('\n');
}

export function summaryTable(results: Results): string {
  const head = ['job', 'dir', 'IOPS', 'MiB/s', 'mean', 'p50', 'p99', 'p99.9'];
  const rows = summaryRows(results).map((r) => [
    r.job, r.direction, formatIops(r.iops), formatMiBps(r.bwBytesPerSec),
    formatLatencyNs(r.clatMeanUs * 1e3), formatLatencyNs(r.clatP50Us * 1e3), formatLatencyNs(r.clatP99Us * 1e3), formatLatencyNs(r.clatP999Us * 1e3),
  ]);
  const jobs = pad([head, ...rows]);
  const devHead = ['device', 'util', 'bw util', 'queue', 'waiting', 'I/Os'];
  const devRows = results.devices.map((d) => [
    d.name, `${(d.utilization * 100).toFixed(1)}%`, d.transferUtilization ? `${(d.transferUtilization * 100).toFixed(1)}%` : '-',
    fixed(d.meanQueueDepth, 2), fixed(d.meanWaiting, 2), String(d.completedIos),
  ]);
  let out = devRows.length > 0 ? `${jobs}\n\n${pad([devHead, ...devRows])}` : jobs;
  const caps = resourceUses(results).filter((u) => u.resource.endsWith(' cap') || u.resource === 'burst credits spent');
  if (caps.length > 0) out += `\n\n${pad([['cap', 'used'], ...caps.map((u) => [`${u.where} ${u.resource}`, `${(u.utilization * 100).toFixed(1)}%`])])}`;
  const binding = results.source === 'simulated' ? bindingConstraint(results) : undefined;
  if (binding) out += `\n\nbinding constraint: ${describeUse(binding)}`;
  const vols = (results.volumes ?? []).filter((v) => v.snapshotsTaken > 0 || v.rmwReads > 0 || v.allocatedBytes !== undefined);
  if (vols.length > 0) {
    const head = ['volume', 'snapshots', 'snapshot space', 'cow copies', 'rmw reads', 'allocated'];
    const rows = vols.map((v) => [
      v.name, String(v.snapshotsTaken - v.snapshotsRetired), formatBytes(v.snapshotBytes), String(v.cowCopies), String(v.rmwReads),
      v.allocatedBytes === undefined ? '-' : formatBytes(v.allocatedBytes),
    ]);
    out += `\n\n${pad([head, ...rows])}`;
  }
  for (const p of results.pools ?? []) {
    const full = Number.isFinite(p.fullAtUs) ? `fills at ${formatDuration(p.fullAtUs)} at this write rate` : 'does not fill at this write rate';
    out += `\n\npool ${p.name}: ${formatBytes(p.allocatedBytes)} of ${formatBytes(p.capacityBytes)} allocated, over-commit ${p.overcommit.toFixed(2)}x, ${full}`;
  }
  return out;
}
