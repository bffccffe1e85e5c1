/**
 * The reference case of the speed target: 4 jobs × iodepth 16 against one device with
 * parallelism 8 and exponential service time (mean 100 µs), full statistics on, sized so
 * that `completedIos` I/Os complete.
 */
import type { Scenario } from '../src/scenario/types.js';
import { normalizeScenario } from '../src/scenario/normalize.js';

/** The reference case as scenario input (what a scenario file holds). */
export function referenceInput(completedIos = 1_000_000): Record<string, unknown> {
  const iops = 8 / 100e-6; // saturated: parallelism / mean service time
  return {
    name: 'bench-reference',
    seed: 7,
    duration: `${(completedIos / iops) * 1e6}us`,
    devices: { d0: { parallelism: 8, read: { latency: { dist: 'exponential', mean: '100us' } }, write: { latency: { dist: 'exponential', mean: '100us' } } } },
    volumes: { v0: { device: 'd0', size: '100GiB' } },
    containers: { c: { replicas: 4, volumes: ['v0'], jobs: { j: { rw: 'randrw', bs: '4k', iodepth: 16 } } } },
  };
}

export function referenceScenario(completedIos = 1_000_000): Scenario {
  const r = normalizeScenario(referenceInput(completedIos));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.scenario;
}
