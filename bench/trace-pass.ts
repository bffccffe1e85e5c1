/**
 * One streaming pass over a trace file, run in its own process by bench/trace.ts so its
 * peak resident memory is its own: `parse` reads records only, `stats` also computes
 * everything `blocksim trace stats` reports. Prints one JSON line.
 */
import { openTrace } from '../src/adapters/trace-reader.js';
import { TraceStatsAccumulator } from '../src/trace/stats.js';

const [mode, file] = process.argv.slice(2);
if ((mode !== 'parse' && mode !== 'stats') || !file) throw new Error('usage: trace-pass.ts parse|stats FILE');

const t0 = performance.now();
const reader = await openTrace(file);
let records = 0;
let bytes = 0;
if (mode === 'parse') {
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
console.log(JSON.stringify({ mode, records, bytes, seconds, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
