/**
 * `npm run bench`: simulated I/Os per wall-second through simulate(), the same path
 * `blocksim run` takes, against a bare heap-and-callback kernel measured in the same
 * run. Prints medians; the machine is shared, so the ratio is the steadier figure.
 */
import { Bench } from 'tinybench';
import { simulate } from '../src/model/simulate.js';
import { calibratedStyleScenario, referenceScenario } from './reference.js';
import { bareKernel } from './bare-kernel.js';

const IOS = Number(process.env.BENCH_IOS ?? 1_000_000);
const scenario = referenceScenario(IOS);
const calibrated = calibratedStyleScenario(IOS);
let completed = 0;
let completedCalibrated = 0;

const bench = new Bench({ iterations: 5, warmupIterations: 1, time: 0 });
bench
  .add('simulate() reference case', () => {
    const r = simulate(scenario);
    completed = r.jobs.reduce((s, j) => s + j.read.totalIos + j.write.totalIos, 0);
  })
  .add('simulate() calibrated-style model', () => {
    const r = simulate(calibrated);
    completedCalibrated = r.jobs.reduce((s, j) => s + j.read.totalIos + j.write.totalIos, 0);
  })
  .add('bare heap-and-callback kernel', () => {
    bareKernel(IOS);
  });

await bench.run();

const median = (name: string): number => {
  const t = bench.tasks.find((x) => x.name === name)!;
  const r = t.result as { state: string; latency?: { p50?: number } };
  if (r.state !== 'completed' || r.latency?.p50 === undefined) throw new Error(`${name}: ${r.state}`);
  return r.latency.p50; // ms
};
const simMs = median('simulate() reference case');
const bareMs = median('bare heap-and-callback kernel');
const simRate = completed / (simMs / 1000);
const bareRate = IOS / (bareMs / 1000);
const fmt = (x: number): string => `${(x / 1e6).toFixed(2)} M`;
console.log(`reference case: 4 jobs x iodepth 16, parallelism 8, exp(100us), ${completed.toLocaleString('en')} I/Os completed`);
console.log(`simulate():   ${fmt(simRate)} simulated I/Os per wall-second (median of 5, ${simMs.toFixed(0)} ms per run)`);
console.log(`bare kernel:  ${fmt(bareRate)} events per wall-second (median of 5, ${bareMs.toFixed(0)} ms per run)`);
console.log(`ratio simulate()/bare: ${(simRate / bareRate).toFixed(2)}`);
const calMs = median('simulate() calibrated-style model');
console.log(`calibrated-style model (2 host cores, a device worker, CPU costs, wake-ups): ${fmt(completedCalibrated / (calMs / 1000))} simulated I/Os per wall-second (${calMs.toFixed(0)} ms per run)`);
console.log(`target 3.00 M/s: ${simRate >= 3e6 ? 'met' : 'NOT met'}`);
