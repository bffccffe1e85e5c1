/**
 * Files around `blocksim trace`: one streaming statistics pass over a trace file, and
 * the report folder (CSV, chart specs, SVG rendered in Node, report.html) written
 * atomically.
 */
import { writeFilesAtomically } from './write-files.js';
import { openTrace } from './trace-reader.js';
import type { ChartSpec } from '../report/charts.js';
import { renderSvg } from '../report/render.js';
import { renderTracePage, type TracePageInput } from '../report/trace-page.js';
import { InputError } from '../scenario/issues.js';
import type { FeedOptions, FeedSummary } from '../trace/feed.js';
import { TraceStatsAccumulator, type TraceStatsOptions } from '../trace/stats.js';
import type { TraceStats } from '../trace/stats-result.js';

export async function readTraceStats(file: string, options: FeedOptions & TraceStatsOptions): Promise<{ stats: TraceStats; feed: FeedSummary }> {
  const reader = await openTrace(file, options);
  const acc = new TraceStatsAccumulator(options);
  for await (const batch of reader.batches()) for (const r of batch) acc.add(r);
  const feed = reader.summary();
  if (feed.records === 0) {
    const why = feed.badRecords > 0 ? `all ${feed.badRecords} records were bad (the first at line ${feed.firstBad[0]?.line}: ${feed.firstBad[0]?.message})` : 'no I/O records in the trace';
    throw new InputError(feed.file, [{ path: '', message: why }]);
  }
  return { stats: acc.result(feed.capabilities), feed };
}

/** Writes data files, chart specs and report.html into `dir`; returns the paths written. */
export async function writeTraceReport(dir: string, data: Record<string, string>, charts: ChartSpec[], page: Omit<TracePageInput, 'charts' | 'files'>): Promise<string[]> {
  const files: Record<string, string> = { ...data };
  const rendered: TracePageInput['charts'] = [];
  for (const c of charts) {
    files[`charts/${c.id}.vl.json`] = `${JSON.stringify(c.spec, null, 2)}\n`;
    rendered.push({ id: c.id, title: c.title, svg: await renderSvg(c) });
  }
  files['report.html'] = renderTracePage({ ...page, charts: rendered, files: Object.keys(files).sort() });
  return writeFilesAtomically(dir, files);
}
