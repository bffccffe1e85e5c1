/**
 * report.html: one self-contained page (no scripts, no fonts, no network): header, the
 * summary table, each chart as inline SVG, the scenario collapsed, and links to the CSV
 * and spec files next to it. All text from scenarios or fio output is escaped.
 */
import type { Results } from '../results/types.js';
import { fixed, formatIops, formatLatencyNs, formatMiBps } from '../util/format.js';
import { summaryRows } from '../results/summary.js';
import { formatBytes, formatDuration } from '../scenario/units.js';
import { bindingConstraint, describeUse, resourceUses } from '../results/resources.js';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface ReportInput {
  title: string;
  results: Results;
  charts: { id: string; title: string; svg: string }[];
  scenarioText?: string;
  files: string[];
  /** Extra sections as [heading, pre-escaped HTML]. */
  sections?: [string, string][];
}

export const CSS = `body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1000px;color:#222;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.meta{color:#555}table{border-collapse:collapse;font-variant-numeric:tabular-nums}th,td{padding:3px 10px;border-bottom:1px solid #eee;text-align:right}
th:first-child,td:first-child,th:nth-child(2),td:nth-child(2){text-align:left}th{background:#f6f6f6}
figure{margin:16px 0}figure svg{max-width:100%;height:auto}pre{background:#f6f6f6;padding:10px;overflow:auto;font-size:12px}
.files a{margin-right:12px}`;

function table(head: string[], rows: string[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

/** Tables longer than this show their first rows and fold the whole table in a <details>. */
export const LONG_TABLE_ROWS = 25;
const FIRST_ROWS = 10;

/**
 * A table that stays short on the page: beyond LONG_TABLE_ROWS rows, the first rows of
 * `ranked` (what a reader looks for first, e.g. the worst p99) and then every row, folded.
 */
function longTable(head: string[], rows: string[][], ranked: string[][] = rows, what = 'first'): string {
  if (rows.length <= LONG_TABLE_ROWS) return table(head, rows);
  return `<p>${rows.length.toLocaleString('en')} rows; the ${FIRST_ROWS} ${escapeHtml(what)}:</p>${table(head, ranked.slice(0, FIRST_ROWS))}<details class="all-rows"><summary>All ${rows.length.toLocaleString('en')} rows</summary>${table(head, rows)}</details>`;
}

export function renderHtml(input: ReportInput): string {
  const r = input.results;
  const meta = [
    r.scenario !== undefined ? `scenario ${r.scenario}` : undefined,
    r.seed !== undefined ? `seed ${r.seed}` : undefined,
    r.durationUs !== undefined ? `${formatDuration(r.durationUs)} ${r.source === 'simulated' ? 'simulated' : 'measured'}` : r.source,
    `${r.version}`,
  ].filter(Boolean).join(' · ');
  const summary = summaryRows(r);
  const cells = (x: (typeof summary)[number]): string[] => [x.job, x.direction, formatIops(x.iops), formatMiBps(x.bwBytesPerSec), formatLatencyNs(x.clatMeanUs * 1e3), formatLatencyNs(x.clatP50Us * 1e3), formatLatencyNs(x.clatP99Us * 1e3), formatLatencyNs(x.clatP999Us * 1e3)];
  const worstFirst = [...summary].sort((a, b) => (Number.isFinite(b.clatP99Us) ? b.clatP99Us : -1) - (Number.isFinite(a.clatP99Us) ? a.clatP99Us : -1));
  const jobs = longTable(['job', 'dir', 'IOPS', 'MiB/s', 'mean', 'p50', 'p99', 'p99.9'], summary.map(cells), worstFirst.map(cells), 'job directions with the worst p99');
  const deviceCells = (d: Results['devices'][number]): string[] => [d.name, String(d.parallelism), `${(d.utilization * 100).toFixed(1)} %`, fixed(d.meanQueueDepth, 2), fixed(d.meanWaiting, 2), String(d.completedIos)];
  const busiestDevices = [...r.devices].sort((a, b) => b.utilization - a.utilization);
  const devices = r.devices.length > 0 ? longTable(['device', 'slots', 'utilization', 'queue', 'waiting', 'I/Os'], r.devices.map(deviceCells), busiestDevices.map(deviceCells), 'busiest devices') : '';
  const uses = r.source === 'simulated' ? resourceUses(r) : [];
  const binding = r.source === 'simulated' ? bindingConstraint(r) : undefined;
  const resources = uses.length > 0
    ? `${longTable(['where', 'resource', 'used'], uses.map((u) => [u.where, u.resource, `${(u.utilization * 100).toFixed(1)} %`]), [...uses].sort((a, b) => b.utilization - a.utilization).map((u) => [u.where, u.resource, `${(u.utilization * 100).toFixed(1)} %`]), 'most used resources')}${binding ? `<p>Binding constraint: <strong>${escapeHtml(describeUse(binding))}</strong></p>` : ''}`
    : '';
  const vols = (r.volumes ?? []).filter((v) => v.snapshotsTaken > 0 || v.rmwReads > 0 || v.allocatedBytes !== undefined);
  const volumes = vols.length > 0 ? longTable(['volume', 'snapshots', 'snapshot space', 'cow copies', 'rmw reads', 'allocated'], vols.map((v) => [v.name, String(v.snapshotsTaken - v.snapshotsRetired), formatBytes(v.snapshotBytes), String(v.cowCopies), String(v.rmwReads), v.allocatedBytes === undefined ? '-' : formatBytes(v.allocatedBytes)])) : '';
  const charts = input.charts.map((c) => `<figure id="${escapeHtml(c.id)}" class="chart" aria-label="${escapeHtml(c.title)}">${c.svg}<figcaption><a href="charts/${escapeHtml(c.id)}.vl.json">Vega-Lite spec</a></figcaption></figure>`).join('\n');
  const sections = (input.sections ?? []).map(([h, body]) => `<h2>${escapeHtml(h)}</h2>${body}`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${CSS}</style></head>
<body>
<h1>${escapeHtml(input.title)}</h1>
<p class="meta">${escapeHtml(meta)}</p>
${(r.notes ?? []).map((n) => `<p class="note">Note: ${escapeHtml(n)}</p>`).join('\n')}
${sections}
<h2>Charts</h2>
${charts || '<p>No charts apply to these results.</p>'}
${r.jobs.length > 0 ? `<h2>Summary</h2>\n${jobs}` : ''}
${devices ? `<h2>Devices</h2>${devices}` : ''}
${resources ? `<h2>Resources</h2>${resources}` : ''}
${volumes ? `<h2>Volumes</h2>${volumes}` : ''}
${input.scenarioText !== undefined ? `<h2>Scenario</h2><details><summary>scenario.yaml</summary><pre>${escapeHtml(input.scenarioText)}</pre></details>` : ''}
<h2>Files</h2>
<p class="files">${input.files.map((f) => `<a href="${escapeHtml(f)}">${escapeHtml(f)}</a>`).join(' ')}</p>
</body></html>
`;
}
