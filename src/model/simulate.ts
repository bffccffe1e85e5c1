/**
 * simulate(): a Scenario in, Results out. Pure and deterministic: same scenario and seed,
 * same numbers, bit for bit.
 *
 *   Scenario ──build──▶ devices, volumes, job threads on one Kernel ──run──▶ stats ──▶ Results
 *
 * Each job thread measures over its own window [start + ramp, start + ramp + duration]
 * (fio's startdelay, ramp_time, runtime); devices over [ramp, end of the last window].
 */
import type { Scenario } from '../scenario/types.js';
import type { Results } from '../results/types.js';
import { buildSimulation, type BuildOptions, type Simulation } from './build.js';
import { buildResults } from './results.js';

export { buildSimulation, jobName, type Simulation } from './build.js';

export interface SimulateOptions extends BuildOptions {
  /** Called 100 times with the share of simulated time done, 0..1. */
  onProgress?: (fraction: number) => void;
}

export function simulate(scenario: Scenario, options: SimulateOptions = {}): Results {
  const sim = buildSimulation(scenario, options);
  runSimulation(sim, options);
  return buildResults(scenario, sim);
}

export function runSimulation(sim: Simulation, options: SimulateOptions = {}): void {
  const { kernel, endUs } = sim;
  if (!options.onProgress) kernel.run(endUs);
  else {
    const slices = 100;
    for (let i = 1; i <= slices; i++) {
      kernel.run((endUs * i) / slices);
      options.onProgress(i / slices);
    }
  }
}
