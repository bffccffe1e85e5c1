import type { Argv, CommandModule } from 'yargs';
import { basename, dirname, join } from 'node:path';
import { Document } from 'yaml';
import { readTraceStats, writeTraceReport } from '../../adapters/trace-files.js';
import { writeFilesAtomically } from '../../adapters/write-files.js';
import { traceFitCharts, traceStatsCharts } from '../../report/trace-charts.js';
import { fitCsv, traceDepthCsv, traceReuseCsv, traceSizesCsv, traceSummaryCsv, traceTimelineCsv } from '../../report/trace-csv.js';
import { FORMAT_NAMES, feedNotes, fitTable, traceHeadline, traceStatsTable } from '../../report/trace-table.js';
import { parseSize } from '../../scenario/units.js';
import { InputError } from '../../scenario/issues.js';
import type { FeedSummary } from '../../trace/feed.js';
import { compareFit } from '../../trace/fit-check.js';
import { fitJob, spanOf, type FittedJob } from '../../trace/fit.js';
import { jobSpecFrom } from '../../trace/job-spec.js';
import { TRACE_FORMATS, type TraceFormat } from '../../trace/record.js';
import { TraceStatsAccumulator } from '../../trace/stats.js';
import type { TraceStats } from '../../trace/stats-result.js';
import { synthesize } from '../../trace/synthesize.js';
import { VERSION } from '../../version.js';
import { UsageError } from '../exit.js';

interface TraceArgs {
  file: string;
  format?: TraceFormat;
  'skip-bad'?: boolean;
  block?: string;
  out?: string;
  name?: string;
  volume?: string;
  o?: string;
  seed?: number;
  json?: boolean;
  quiet?: boolean;
}

function common(y: Argv): Argv {
  return y
    .positional('file', { type: 'string', demandOption: true, describe: 'trace file (fio iolog v2/v3, blkparse text, CSV), or - for stdin' })
    .option('format', { choices: TRACE_FORMATS as TraceFormat[], describe: 'trace format (default: told by the first line)' })
    .option('skip-bad', { type: 'boolean', describe: 'count bad records and go on, instead of stopping at the first' })
    .option('block', { type: 'string', default: '4k', describe: 'block size of the working set and reuse figures' })
    .option('out', { type: 'string', describe: 'output folder (default reports/trace-<file>/)' });
}

function blockBytes(text: string | undefined): number {
  const p = parseSize(text ?? '4k');
  if (!p.ok || !Number.isInteger(p.value) || p.value < 512 || p.value > 2 ** 30) throw new UsageError(`--block: expected a size from 512 bytes to 1 GiB, like 4k, got ${JSON.stringify(text)}`);
  return p.value;
}

function stem(file: string): string {
  const b = file === '-' ? 'stdin' : basename(file).replace(/\.[^.]*$/, '');
  return b.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'trace';
}

async function load(args: TraceArgs): Promise<{ stats: TraceStats; feed: FeedSummary }> {
  if (args.file === '') args.file = '-'; // yargs hands a lone "-" over as ""
  const r = await readTraceStats(args.file, { blockBytes: blockBytes(args.block), ...(args.format ? { format: args.format } : {}), ...(args['skip-bad'] ? { skipBad: true } : {}) });
  if (!args.quiet && !args.json) for (const n of feedNotes(r.feed)) console.error(n);
  return r;
}

const metaOf = (feed: FeedSummary): string => `${FORMAT_NAMES[feed.format]} · ${feed.records.toLocaleString('en')} records · ${feed.badRecords} bad records skipped · blocksim ${VERSION}`;

const stats: CommandModule<object, TraceArgs> = {
  command: 'stats <file>',
  describe: 'What a block trace is: rates over time, mix, sizes, sequential share, working set and reuse, queue depth',
  builder: (y) => common(y) as never,
  handler: async (args) => {
    const { stats: s, feed } = await load(args);
    const dir = args.out ?? join('reports', `trace-${stem(args.file)}`);
    const table = traceStatsTable(feed, s);
    const depth = traceDepthCsv(s);
    const data: Record<string, string> = { 'trace-summary.csv': traceSummaryCsv(s), 'timeline.csv': traceTimelineCsv(s), 'sizes.csv': traceSizesCsv(s), 'reuse.csv': traceReuseCsv(s), 'stats.json': `${JSON.stringify(s, null, 2)}\n`, ...(depth ? { 'depth.csv': depth } : {}) };
    await writeTraceReport(dir, data, traceStatsCharts(s), { title: `blocksim trace stats: ${feed.file}`, meta: metaOf(feed), sections: [['Summary', table]], lists: [['Notes', feedNotes(feed)]] });
    if (args.json) process.stdout.write(data['stats.json']!);
    else if (!args.quiet) console.log(`${table}\n\nresults: ${dir}/\nreport:  ${join(dir, 'report.html')}`);
  },
};

function fitYaml(name: string, fit: FittedJob, feed: FeedSummary, s: TraceStats, volume?: string): string {
  const job = { ...(volume ? { volume } : {}), ...fit.options };
  const doc = new Document({ [name]: job });
  doc.commentBefore = [
    ` blocksim trace fit: the fio job closest to ${feed.file}`,
    ` (${traceHeadline(feed, s).slice(feed.file.length + 2)}); put it under containers.<name>.jobs of a scenario.`,
    ' Why each value:',
    ...fit.notes.map((n) => `   - ${n}`),
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}

const fit: CommandModule<object, TraceArgs> = {
  command: 'fit <file>',
  describe: 'The synthetic fio job (rw, rwmixread, bssplit, rate_iops, random_distribution, ...) that best matches a trace, as a scenario job',
  builder: (y) =>
    common(y)
      .option('name', { type: 'string', describe: 'job name (default: from the file name)' })
      .option('volume', { type: 'string', describe: 'volume the job addresses, written into the job' })
      .option('o', { type: 'string', describe: 'write the job (YAML) to this file instead of stdout' })
      .option('seed', { type: 'number', default: 1, describe: "seed of the fitted job's own trace, to compare" }) as never,
  handler: async (args) => {
    const { stats: s, feed } = await load(args);
    if (s.read.ios + s.write.ios === 0) throw new InputError(feed.file, [{ path: '', message: 'the trace has no reads or writes to fit a job to' }]);
    const name = args.name ?? stem(args.file);
    if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new UsageError(`--name: expected letters, digits, - and _, got ${JSON.stringify(name)}`);
    const job = fitJob(s);
    const span = spanOf(s);
    const spec = jobSpecFrom(job.options, span.offsetBytes + span.sizeBytes, name);
    if (!spec.ok) throw new Error(`fitted job does not validate: ${JSON.stringify(spec.issues)} ${JSON.stringify(job.options)}`);
    const acc = new TraceStatsAccumulator({ blockBytes: s.workingSet.blockBytes });
    synthesize(spec.job, { records: s.read.ios + s.write.ios, seed: args.seed ?? 1, iopsWithoutRate: 1000 }, (r) => acc.add(r));
    const fitted = acc.result({ completions: false, times: s.timed });
    const figures = compareFit(s, fitted);
    const yaml = fitYaml(name, job, feed, s, args.volume);
    const dir = args.out ?? join('reports', `trace-${stem(args.file)}-fit`);
    const table = fitTable(figures);
    await writeTraceReport(dir, { 'fit.yaml': yaml, 'fit.csv': fitCsv(figures) }, traceFitCharts(s, fitted), {
      title: `blocksim trace fit: ${feed.file}`,
      meta: metaOf(feed),
      sections: [['Fitted job', yaml], ['How well it matches (the trace beside the trace the job issues)', table]],
      lists: [['Why these values', job.notes], ['Notes on the trace', feedNotes(feed)]],
    });
    if (args.o) await writeFilesAtomically(dirname(args.o), { [basename(args.o)]: yaml });
    if (args.json) process.stdout.write(`${JSON.stringify({ job: { [name]: job.options }, notes: job.notes, figures }, null, 2)}\n`);
    else if (!args.o) process.stdout.write(yaml);
    if (!args.quiet && !args.json) console.error(`\n${table}\n\nreport: ${join(dir, 'report.html')}${args.o ? `\njob:    ${args.o}` : ''}`);
  },
};

export const traceCmd: CommandModule = {
  command: 'trace <command>',
  describe: 'Block traces: what a trace is (stats), the fio job that matches it (fit)',
  builder: (y: Argv) => y.command(stats as never).command(fit as never).demandCommand(1, 'name a trace command: stats or fit'),
  handler: () => undefined,
};
