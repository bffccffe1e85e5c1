/**
 * `npm run bench:features`: what each storage feature costs the simulator. The reference
 * case (4 jobs × iodepth 16, randrw 4 KiB, one device of 8 slots, exponential 100 µs) runs
 * plain, then with one feature at a time — copy-on-write snapshots, a thin pool,
 * 3-way replication over a network link, throttles (device, volume and cgroup caps) —
 * and with all of them at once. Each variant is timed in CPU time (steadier than wall
 * time on a shared machine), interleaved over rounds, medians. Prints job I/Os per
 * CPU-second and the ratio to plain, and the same for simulation events (a replicated
 * write is three device writes, two transfers and network delays: more events for the
 * same job I/O, which the event rate does not count against the simulator). Target: all
 * features at once at least 0.6× plain.
 */
import { normalizeScenario } from '../src/scenario/normalize.js';
import { buildSimulation, runSimulation } from '../src/model/simulate.js';
import { buildResults } from '../src/model/results.js';
import type { Scenario } from '../src/scenario/types.js';

const IOS = Number(process.env.BENCH_IOS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

type Feature = 'snapshots' | 'pool' | 'replication' | 'throttles';
const device = { parallelism: 8, read: { latency: { dist: 'exponential', mean: '100us' } }, write: { latency: { dist: 'exponential', mean: '100us' } } };

function scenario(features: Feature[]): Scenario {
  const on = (f: Feature): boolean => features.includes(f);
  const iops = 8 / 100e-6;
  const devices: Record<string, unknown> = { d0: on('throttles') ? { ...device, limits: { iops: '70k', bandwidth: '2GiB/s' } } : device };
  if (on('replication')) for (const d of ['d1', 'd2']) devices[d] = device;
  const volume: Record<string, unknown> = { size: '100GiB' };
  if (on('replication')) volume.replicated = { devices: ['d0', 'd1', 'd2'], writeAck: 'quorum', network: { latency: '50us', bandwidth: '25Gbit/s' } };
  else if (on('pool')) volume.pool = 'p0';
  else volume.device = 'd0';
  if (on('pool') && on('replication')) volume.device = undefined;
  if (on('snapshots')) volume.snapshots = { every: '500ms', keep: 3, chunk: '64k', mode: 'cow' };
  if (on('throttles')) volume.limits = { iops: '60k' };
  const r = normalizeScenario({
    name: `features-${features.join('-') || 'plain'}`, seed: 7, duration: `${(IOS / iops) * 1e6}us`,
    devices,
    ...(on('pool') && !on('replication') ? { pools: { p0: { devices: ['d0'], capacity: '1TiB', allocationUnit: '4MiB' } } } : {}),
    volumes: { v0: Object.fromEntries(Object.entries(volume).filter(([, v]) => v !== undefined)), ...(on('pool') && on('replication') ? {} : {}) },
    containers: { c: { replicas: 4, volumes: ['v0'], ...(on('throttles') ? { limits: { riops: '40k', wiops: '40k' } } : {}), jobs: { j: { rw: 'randrw', bs: '4k', iodepth: 16 } } } },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.scenario;
}

const variants: [string, Feature[]][] = [
  ['plain', []],
  ['snapshots (cow, 64 KiB chunks)', ['snapshots']],
  ['thin pool', ['pool']],
  ['replication (3 devices, quorum)', ['replication']],
  ['throttles (device, volume, cgroup)', ['throttles']],
  ['all at once', ['snapshots', 'replication', 'throttles']],
];
const built = variants.map(([name, f]) => ({ name, scenario: scenario(f) }));
const rates = new Map<string, number[]>();
const eventRates = new Map<string, number[]>();
const push = (m: Map<string, number[]>, k: string, x: number): void => void (m.get(k) ?? m.set(k, []).get(k)!).push(x);
for (let round = 0; round <= ROUNDS; round++) {
  for (const v of built) {
    const c0 = process.cpuUsage();
    const sim = buildSimulation(v.scenario);
    runSimulation(sim);
    const r = buildResults(v.scenario, sim);
    const c = process.cpuUsage(c0);
    const cpuS = (c.user + c.system) / 1e6;
    const ios = r.jobs.reduce((s, j) => s + j.read.totalIos + j.write.totalIos, 0);
    if (round > 0) {
      // round 0 warms up
      push(rates, v.name, ios / cpuS);
      push(eventRates, v.name, sim.kernel.fired / cpuS);
    }
  }
}
const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const plain = med(rates.get('plain')!);
for (const v of built) {
  const rate = med(rates.get(v.name)!);
  const events = med(eventRates.get(v.name)!);
  console.log(
    `${v.name.padEnd(36)} ${(rate / 1e6).toFixed(2)} M job I/Os per CPU-second  ${(rate / plain).toFixed(2)}x plain  ` +
      `(${(events / 1e6).toFixed(2)} M events per CPU-second, ${(events / med(eventRates.get('plain')!)).toFixed(2)}x plain)`,
  );
}
const all = med(rates.get('all at once')!) / plain;
console.log(`all features at once: ${all.toFixed(2)}x plain (target at least 0.60: ${all >= 0.6 ? 'met' : 'NOT met'})`);
