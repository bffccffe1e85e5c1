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

/**
 * The same case on the model calibration produces: the host's 2 cores shared by the job
 * threads and a one-thread device worker, CPU costs and wake-ups, empirical latency.
 */
export function calibratedStyleScenario(completedIos = 1_000_000): Scenario {
  const iops = 1e6 / 6; // the worker's 6 µs per I/O saturates
  const values = Array.from({ length: 200 }, (_, k) => `${(5 + 20 * ((k + 0.5) / 200) ** 3).toFixed(2)}us`);
  const r = normalizeScenario({
    name: 'bench-calibrated-style',
    seed: 7,
    duration: `${(completedIos / iops) * 1e6}us`,
    host: { cores: 2 },
    devices: {
      d0: {
        parallelism: 1024, wake: '5us',
        read: { latency: { dist: 'empirical', values, weights: values.map(() => 1) } },
        write: { latency: { dist: 'empirical', values, weights: values.map(() => 1) } },
        worker: { threads: 1, wake: '3us', perIo: '5us', bandwidth: '4GiB/s' },
        cpu: { submit: '3us', complete: '1us', wake: '2us', read: { bandwidth: '20GiB/s' }, write: { bandwidth: '20GiB/s' } },
      },
    },
    volumes: { v0: { device: 'd0', size: '100GiB' } },
    containers: { c: { replicas: 4, volumes: ['v0'], jobs: { j: { rw: 'randrw', bs: '4k', iodepth: 16 } } } },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.scenario;
}
