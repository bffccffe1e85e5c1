/**
 * `npm run bench:trace`: generates a 10,000,000-record fio iolog (v3) of a synthetic
 * randrw job (70/30, 4k/16k/64k, Zipf 1.1 over 200 GiB, Poisson arrivals) into a
 * git-ignored folder, streams it through the parser alone, through parser + stats, and
 * replays it through the simulator (open loop at its recorded times, iodepth 64, an
 * 8-slot device), each pass in its own process (3 runs, medians), and prints records per
 * second (wall and per CPU-second, which a shared machine disturbs less) and the peak
 * resident memory of a pass. Targets: 1,000,000 records per second through parser and
 * stats and through the replay, under 200 MB. Also tinybench medians of the in-memory parser and stats on
 * 200,000 records, without file reading, and of stats on the slow case of the reuse
 * figures (64 KiB I/Os over a 32 MiB working set, so every block is tracked). The folder is removed afterwards, also on
 * failure. BENCH_TRACE_RECORDS scales the file; BENCH_TRACE_RUNS the repetitions.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Bench } from 'tinybench';
import { TraceFeed } from '../src/trace/feed.js';
import { jobSpecFrom } from '../src/trace/job-spec.js';
import type { TraceRecord } from '../src/trace/record.js';
import { TraceStatsAccumulator } from '../src/trace/stats.js';
import { iologLine, synthesize } from '../src/trace/synthesize.js';
import type { JobSpec } from '../src/scenario/types.js';

const RECORDS = Number(process.env.BENCH_TRACE_RECORDS ?? 10_000_000);
const RUNS = Number(process.env.BENCH_TRACE_RUNS ?? 3);
const root = join(import.meta.dirname, '..');
const dir = join(root, '.scratch', `bench-trace-${process.pid}`);
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

const spec = jobSpecFrom({ rw: 'randrw', rwmixread: 70, bssplit: '4k/60:16k/25:64k/15', rate_iops: '35000,15000', rate_process: 'poisson', random_distribution: 'zipf:1.1' }, 200 * 2 ** 30);
if (!spec.ok) throw new Error(JSON.stringify(spec.issues));
const job: JobSpec = spec.job;

function writeTrace(file: string, records: number): void {
  const fd = openSync(file, 'w');
  try {
    let buf = 'fio version 3 iolog\n0 /dev/nvme0n1 add\n0 /dev/nvme0n1 open\n';
    synthesize(job, { records, seed: 42, file: '/dev/nvme0n1' }, (r) => {
      buf += iologLine(r);
      if (buf.length > 1 << 20) {
        writeSync(fd, buf);
        buf = '';
      }
    });
    writeSync(fd, buf);
  } finally {
    closeSync(fd);
  }
}

interface Pass {
  mode: string;
  records: number;
  seconds: number;
  cpuSeconds: number;
  maxRssMiB: number;
}

type Mode = 'parse' | 'stats' | 'replay';

/** The replay's simulated time: the trace's span (50,000 IOPS) and a margin. */
const REPLAY_DURATION_S = Math.ceil((RECORDS / 50_000) * 1.1) + 10;

function pass(mode: Mode, file: string): Pass {
  const r = spawnSync(process.execPath, ['--import', tsx, join(root, 'bench/trace-pass.ts'), mode, file, String(REPLAY_DURATION_S)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`trace-pass ${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Pass;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function inMemory(): Promise<void> {
  const lines: string[] = ['fio version 3 iolog'];
  synthesize(job, { records: 200_000, seed: 7, file: '/dev/nvme0n1' }, (r) => lines.push(iologLine(r).slice(0, -1)));
  const text = lines.join('\n');
  let parsed: TraceRecord[] = [];
  // the slow case of the reuse figures: 64 KiB random reads over 32 MiB, 8192 blocks, every one tracked exactly
  const hotJob = jobSpecFrom({ rw: 'randread', bs: '64k', rate_iops: 10000, size: '32m' }, 2 ** 30);
  if (!hotJob.ok) throw new Error(JSON.stringify(hotJob.issues));
  const hot: TraceRecord[] = [];
  synthesize(hotJob.job, { records: 200_000, seed: 7 }, (r) => hot.push(r));
  const bench = new Bench({ iterations: 5, warmupIterations: 1, time: 0 });
  bench
    .add('parse', () => {
      const feed = new TraceFeed('bench');
      const out: TraceRecord[] = [];
      let s = 0;
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', s)) {
        feed.line(text, s, i, out);
        s = i + 1;
      }
      parsed = out;
    })
    .add('stats', () => {
      const acc = new TraceStatsAccumulator();
      for (const r of parsed) acc.add(r);
      acc.result({ completions: false, times: true });
    })
    .add('stats, hot 32 MiB', () => {
      const acc = new TraceStatsAccumulator();
      for (const r of hot) acc.add(r);
      acc.result({ completions: false, times: true });
    });
  await bench.run();
  for (const t of bench.tasks) {
    const p50 = (t.result as { latency?: { p50?: number } }).latency?.p50;
    if (p50 !== undefined) console.log(`${t.name.padEnd(18)} ${((200_000 / p50) * 1e3 / 1e6).toFixed(2)} M records/s (median of 5, in memory)`);
  }
}

mkdirSync(dir, { recursive: true });
const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});
try {
  const file = join(dir, 'trace.iolog');
  const t0 = performance.now();
  writeTrace(file, RECORDS);
  console.log(`generated ${RECORDS.toLocaleString('en')} records (${(statSync(file).size / 2 ** 20).toFixed(0)} MiB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const labels: Record<Mode, string> = { parse: 'parser alone    ', stats: 'parser + stats  ', replay: 'replay, simulated' };
  for (const mode of ['parse', 'stats', 'replay'] as const) {
    const runs = Array.from({ length: RUNS }, () => pass(mode, file));
    const rate = median(runs.map((p) => p.records / p.seconds));
    const cpuRate = median(runs.map((p) => p.records / p.cpuSeconds));
    const rss = Math.max(...runs.map((p) => p.maxRssMiB));
    console.log(`${labels[mode]} ${(rate / 1e6).toFixed(2)} M records/s wall, ${(cpuRate / 1e6).toFixed(2)} M per CPU-second (medians of ${RUNS}), peak RSS ${rss.toFixed(0)} MiB (largest of ${RUNS})`);
    if (mode !== 'parse') {
      console.log(`  target 1.00 M records/s: ${rate >= 1e6 ? 'met' : `NOT met on the wall clock${cpuRate >= 1e6 ? ' (met per CPU-second: the machine is shared)' : ''}`}; target under 200 MB (${(200e6 / 2 ** 20).toFixed(0)} MiB): ${rss * 2 ** 20 < 200e6 ? 'met' : 'NOT met'}`);
    }
  }
  await inMemory();
} finally {
  cleanup();
}
