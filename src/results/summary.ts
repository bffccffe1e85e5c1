/**
 * One row per job and direction with I/O: the figures of summary.csv and of the table
 * `blocksim run` prints. Pure.
 */
import type { Results } from './types.js';
import { clatPercentileNs } from './read.js';

export interface SummaryRow {
  job: string;
  direction: 'read' | 'write';
  iops: number;
  bwBytesPerSec: number;
  ios: number;
  latMeanUs: number;
  clatMeanUs: number;
  clatP50Us: number;
  clatP90Us: number;
  clatP99Us: number;
  clatP999Us: number;
  clatMaxUs: number;
  slatMeanUs: number;
}

export function summaryRows(results: Results): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const job of results.jobs) {
    for (const direction of ['read', 'write'] as const) {
      const d = job[direction];
      if (d.totalIos === 0) continue;
      rows.push({
        job: job.hostname !== undefined && job.name !== 'All clients' ? `${job.name}@${job.hostname}` : job.name,
        direction,
        iops: d.iops,
        bwBytesPerSec: d.bwBytesPerSec,
        ios: d.totalIos,
        latMeanUs: d.lat.meanNs / 1e3,
        clatMeanUs: d.clat.meanNs / 1e3,
        clatP50Us: clatPercentileNs(d, 50) / 1e3,
        clatP90Us: clatPercentileNs(d, 90) / 1e3,
        clatP99Us: clatPercentileNs(d, 99) / 1e3,
        clatP999Us: clatPercentileNs(d, 99.9) / 1e3,
        clatMaxUs: d.clat.maxNs / 1e3,
        slatMeanUs: d.slat.meanNs / 1e3,
      });
    }
  }
  return rows;
}
