/**
 * Reports of large runs: the time-series charts show the jobs with the worst p99 and the
 * highest IOPS (not the first names), replicas fold into one series with a band, the
 * counts are right, the charts come before the tables, and long tables fold away.
 */
import { describe, expect, it } from 'vitest';
import { runCharts, type ChartSpec } from '../../src/report/charts.js';
import { renderHtml } from '../../src/report/html.js';
import { foldReplica, worstAndBusiest } from '../../src/report/series-choice.js';
import { scenarioFrom, run } from '../helpers.js';

const exp = (us: number) => ({ latency: { dist: 'exponential', mean: `${us}us` } });

function largeRun(dbReplicas: number) {
  const quiet = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`c${String(i).padStart(2, '0')}`, { volumes: ['f'], jobs: { q: { rw: 'randread', rate_iops: 100 } } }]));
  return run(scenarioFrom({
    name: 'large', seed: 4, duration: '300ms',
    devices: { fast: { parallelism: 64, read: exp(20), write: exp(20) }, slow: { parallelism: 1, read: exp(500), write: exp(500) } },
    volumes: { f: { device: 'fast', size: '10GiB' }, s: { device: 'slow', size: '10GiB' } },
    containers: {
      ...quiet,
      db: { replicas: dbReplicas, volumes: ['f'], jobs: { oltp: { rw: 'randread', rate_iops: 200 } } },
      laggard: { volumes: ['s'], jobs: { tail: { rw: 'randread', iodepth: 4 } } },
      streamer: { volumes: ['f'], jobs: { scan: { rw: 'randread', iodepth: 32 } } },
    },
  }));
}

const chart = (charts: ChartSpec[], id: string) => charts.find((c) => c.id === id)!;
const seriesNames = (c: ChartSpec): string[] => {
  const layers = (c.spec as { layer: { data: { values: { name: string }[] }; mark: { type: string } }[] }).layer;
  return [...new Set(layers.find((l) => l.mark.type === 'line')!.data.values.map((v) => v.name))].sort();
};
const subtitle = (c: ChartSpec): string => (c.spec as { title: { subtitle?: string } }).title.subtitle ?? '';

describe('charts of a large run', () => {
  const results = largeRun(50);
  const charts = runCharts(results);

  it('show the job with the worst p99 and the job with the highest IOPS, whatever their names', () => {
    for (const id of ['job-iops', 'job-p99']) {
      const names = seriesNames(chart(charts, id));
      expect(names.length, id).toBe(12);
      expect(names, id).toContain('laggard.tail');
      expect(names, id).toContain('streamer.scan');
    }
  });

  it('fold the 50 replicas of db.oltp into one series with a band, and count right', () => {
    const c = chart(charts, 'job-iops');
    expect(seriesNames(c)).not.toContain('db.0.oltp');
    const layers = (c.spec as { layer: { mark: { type: string }; data: { values: { name: string; lo: number; hi: number; value: number }[] } }[] }).layer;
    const band = layers.find((l) => l.mark.type === 'area');
    expect(band).toBeDefined();
    const db = layers.find((l) => l.mark.type === 'line')!.data.values.filter((v) => v.name === 'db.oltp');
    expect(db.length).toBeGreaterThan(0); // 200 IOPS per replica: among the highest
    expect(db.some((v) => v.hi > v.lo)).toBe(true);
    expect(results.jobs.length).toBe(30 + 50 + 2);
    expect(subtitle(c)).toBe('12 of 33 jobs (82 with replicas): the 6 with the worst p99 and the 6 with the highest IOPS; replicas folded: line the median replica, band the lowest to the highest');
  });

  it('the latency CDF picks job directions the same way', () => {
    const c = chart(charts, 'latency-cdf');
    expect(subtitle(c)).toBe('12 of 82 job directions: the 6 with the worst p99 and the 6 with the highest IOPS');
    expect(JSON.stringify(c.spec)).toContain('laggard.tail read');
    expect(JSON.stringify(c.spec)).toContain('streamer.scan read');
  });

  it('report.html puts the charts above the tables and folds the 82-row summary, worst p99 first', () => {
    const html = renderHtml({ title: 'large', results, charts: [{ id: 'job-p99', title: 'p99', svg: '<svg></svg>' }], files: [] });
    expect(html.indexOf('<h2>Charts</h2>')).toBeLessThan(html.indexOf('<h2>Summary</h2>'));
    const summary = html.slice(html.indexOf('<h2>Summary</h2>'));
    expect(summary).toMatch(/^<h2>Summary<\/h2>\n<p>82 rows; the 10 job directions with the worst p99:<\/p><table>/);
    expect(summary.indexOf('laggard.tail')).toBeLessThan(summary.indexOf('c00.q'));
    expect(summary).toContain('<details class="all-rows"><summary>All 82 rows</summary>');
  });
});

describe('series choice', () => {
  it('folds replica names and keeps others', () => {
    expect(foldReplica('db.12.oltp')).toBe('db.oltp');
    expect(foldReplica('db.oltp')).toBe('db.oltp');
    expect(foldReplica('db.0.oltp@host1 read')).toBe('db.oltp@host1 read');
  });

  it('takes half by worst p99 and the rest by IOPS, never twice', () => {
    const items = [
      { name: 'a', p99: 900, iops: 10 }, { name: 'b', p99: 800, iops: 5000 }, { name: 'c', p99: 10, iops: 4000 },
      { name: 'd', p99: 20, iops: 3000 }, { name: 'e', p99: 30, iops: 1 },
    ];
    const r = worstAndBusiest(items, 4, 'jobs');
    expect(r.shown.map((x) => x.name)).toEqual(['a', 'b', 'c', 'd']);
    expect(r.note).toBe('4 of 5 jobs: the 2 with the worst p99 and the 2 with the highest IOPS');
    expect(worstAndBusiest(items, 5, 'jobs')).toEqual({ shown: items });
  });
});
