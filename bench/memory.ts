/**
 * `npm run bench:memory`: peak resident memory of a run of 100,000,000 I/Os across
 * 1,000 jobs (250 containers × 4 replicas, 10 devices). Target: under 300 MB, because
 * nothing in the simulator grows with the number of I/Os. BENCH_IOS scales it down.
 */
import { normalizeScenario } from '../src/scenario/normalize.js';
import { simulate } from '../src/model/simulate.js';

const IOS = Number(process.env.BENCH_IOS ?? 100_000_000);
const DEVICES = 10;
const devices: Record<string, unknown> = {};
const volumes: Record<string, unknown> = {};
const containers: Record<string, unknown> = {};
for (let d = 0; d < DEVICES; d++) {
  devices[`d${d}`] = { parallelism: 8, read: { latency: { dist: 'exponential', mean: '100us' } }, write: { latency: { dist: 'lognormal', p50: '40us', p99: '200us' } } };
  volumes[`v${d}`] = { device: `d${d}`, size: '1TiB' };
}
for (let c = 0; c < 250; c++) {
  containers[`c${c}`] = { replicas: 4, volumes: [`v${c % DEVICES}`], jobs: { j: { rw: 'randrw', rwmixread: 70, bs: '4k', iodepth: 4 } } };
}
// Each device is saturated: 8 slots over the mean service time of the 70/30 mix
// (exponential reads, mean 100 µs; lognormal writes, mean exp(mu + sigma²/2) ≈ 50.8 µs).
const sigma = Math.log(200 / 40) / 2.3263478740408408;
const meanServiceUs = 0.7 * 100 + 0.3 * 40 * Math.exp((sigma * sigma) / 2);
const iopsTotal = DEVICES * (8 / meanServiceUs) * 1e6;
const r = normalizeScenario({ name: 'bench-memory', seed: 3, duration: `${(IOS / iopsTotal) * 1e6}us`, devices, volumes, containers });
if (!r.ok) throw new Error(JSON.stringify(r.issues));

const t0 = performance.now();
const res = simulate(r.scenario);
const seconds = (performance.now() - t0) / 1000;
const ios = res.jobs.reduce((s, j) => s + j.read.totalIos + j.write.totalIos, 0);
const peakMiB = process.resourceUsage().maxRSS / 1024;
console.log(`${res.jobs.length} jobs, ${ios.toLocaleString('en')} I/Os completed in ${seconds.toFixed(1)} s (${(ios / seconds / 1e6).toFixed(2)} M/s)`);
console.log(`peak resident memory: ${peakMiB.toFixed(0)} MiB (target: under 300 MB = ${(300e6 / 2 ** 20).toFixed(0)} MiB): ${peakMiB * 2 ** 20 < 300e6 ? 'met' : 'NOT met'}`);
