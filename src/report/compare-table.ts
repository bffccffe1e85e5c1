/** The comparison as a table and as compare.csv. */
import { stringify } from 'csv-stringify/sync';
import type { ComparisonRow } from '../compare/compare.js';
import type { Figure } from '../compare/error-figures.js';
import { formatChange } from '../util/format.js';

const SHOWN: [Figure | 'demeritUs', string][] = [['iops', 'IOPS'], ['bw', 'BW'], ['mean', 'mean'], ['p50', 'p50'], ['p90', 'p90'], ['p99', 'p99'], ['p999', 'p99.9'], ['demeritPct', 'demerit']];

const pct = (x: number): string => (Number.isFinite(x) ? formatChange(x).replace(' %', '%') : '-');

export function compareTable(rows: ComparisonRow[]): string {
  const head = ['job', 'dir', ...SHOWN.map(([, h]) => h), 'spread'];
  const body = rows.map((r) => [
    r.job, r.direction,
    ...SHOWN.map(([k]) => {
      const v = k === 'demeritPct' ? r.errors.demeritPct : r.errors[k as Figure];
      const text = k === 'demeritPct' ? (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '-') : pct(v);
      return r.outside.includes(k as Figure) ? `${text}!` : text;
    }),
    r.measuredSpread > 0 ? `±${(r.measuredSpread * 50).toFixed(1)}%` : '-',
  ]);
  const all = [head, ...body];
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return all.map((r) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}

export function compareCsv(rows: ComparisonRow[]): string {
  const header = ['source', 'job', 'direction', 'measured_iops', 'predicted_iops', 'iops_err', 'bw_err', 'mean_err', 'p50_err', 'p90_err', 'p99_err', 'p99_9_err', 'demerit_us', 'demerit_pct', 'measured_iops_spread', 'outside_tolerance'];
  const f = (x: number): string => (Number.isFinite(x) ? x.toFixed(4) : '');
  return stringify([
    header,
    ...rows.map((r) => [r.source, r.job, r.direction, f(r.measuredIops), f(r.predictedIops), f(r.errors.iops), f(r.errors.bw), f(r.errors.mean), f(r.errors.p50), f(r.errors.p90), f(r.errors.p99), f(r.errors.p999), f(r.errors.demeritUs), f(r.errors.demeritPct), f(r.measuredSpread), r.outside.join(' ')]),
  ]);
}
