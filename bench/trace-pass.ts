/**
 * One streaming pass over a trace file, run in its own process by bench/trace.ts so its
 * peak resident memory is its own: `parse` reads records only, `stats` also computes
 * everything `blocksim trace stats` reports, `replay` replays the trace through the
 * simulator (open loop at its recorded times, iodepth 64, an 8-slot device, full
 * statistics). Prints one JSON line.
 */
import { openTrace } from '../src/adapters/trace-reader.js';
import { withTraceSources } from '../src/adapters/trace-source.js';
import { simulate } from '../src/model/simulate.js';
import { normalizeScenario } from '../src/scenario/normalize.js';
import { TraceStatsAccumulator } from '../src/trace/stats.js';

const [mode, file, durationS] = process.argv.slice(2);
if ((mode !== 'parse' && mode !== 'stats' && mode !== 'replay') || !file) throw new Error('usage: trace-pass.ts parse|stats|replay FILE [DURATION_S]');

function replay(trace: string): { records: number; bytes: number } {
  const parsed = normalizeScenario({
    name: 'bench-replay',
    duration: `${durationS ?? 1000}s`,
    devices: { nvme: { parallelism: 8, read: { latency: { dist: 'exponential', mean: '100us' } }, write: { latency: { dist: 'exponential', mean: '30us' } } } },
    volumes: { v: { device: 'nvme', size: '200GiB' } },
    containers: { app: { volumes: ['v'], jobs: { replay: { trace, iodepth: 64 } } } },
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const results = withTraceSources('/', (traces) => simulate(parsed.scenario, { traces }));
  const job = results.jobs[0]!;
  if (job.replay?.endedUs === undefined) throw new Error('the replay did not reach the end of the trace: raise the duration');
  return { records: job.replay.records, bytes: job.read.ioBytes + job.write.ioBytes };
}

const t0 = performance.now();
const cpu0 = process.cpuUsage();
const reader = await openTrace(file);
let records = 0;
let bytes = 0;
if (mode === 'replay') ({ records, bytes } = replay(file));
else if (mode === 'parse') {
  for await (const batch of reader.batches()) {
    records += batch.length;
    for (const r of batch) bytes += r.sizeBytes;
  }
} else {
  const acc = new TraceStatsAccumulator();
  for await (const batch of reader.batches()) for (const r of batch) acc.add(r);
  const stats = acc.result(reader.summary().capabilities);
  records = stats.records;
  bytes = stats.read.bytes + stats.write.bytes;
}
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({ mode, records, bytes, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
