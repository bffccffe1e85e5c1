/** A measured fio result predicted from a device profile: the same workloads, simulated. */
import { scenarioOnDevice } from '../scenario/on-device.js';
import { formatIssue } from '../scenario/issues.js';
import { simulate } from '../model/simulate.js';
import type { TraceSources } from '../model/trace-source.js';
import type { DirectionResult, Results } from '../results/types.js';
import { scenarioForMeasured, simulatedName } from './fio-workload.js';
import { pairJobs } from './pairing.js';

export interface Prediction {
  predicted: Results;
  /** Jobs that could not be predicted, with why. */
  skipped: { job: string; reason: string }[];
  /** Measured and predicted, per job and direction with I/O. */
  pairs: { job: string; direction: 'read' | 'write'; measured: DirectionResult; predicted: DirectionResult }[];
}

/**
 * `host`: the cores of the machine the profile was measured on (a calibrated profile's
 * `host`); `traces`: where replays of iologs (read_iolog) read them (adapters/trace-source.ts).
 */
export function predictFromProfile(measured: Results, device: Record<string, unknown>, host?: { cores: number; balance?: string }, traces?: TraceSources): Prediction {
  const { scenario, skipped } = scenarioForMeasured(measured, device);
  if (host) scenario.host = host;
  const empty: Results = { source: 'simulated', version: '', globalOptions: {}, jobs: [], devices: [] };
  if (scenario.jobs.length === 0) return { predicted: empty, skipped, pairs: [] };
  const r = scenarioOnDevice(scenario);
  if (!r.ok) throw new Error(`the profile does not make a valid device: ${r.issues.map(formatIssue).join('; ')}`);
  const predicted = simulate(r.scenario, traces ? { traces } : {});
  const pairs: Prediction['pairs'] = pairJobs('', measured, predicted, simulatedName).pairs.flatMap((p) =>
    (['read', 'write'] as const).filter((d) => p.measured[d].totalIos > 0).map((direction) => ({ job: p.measured.name, direction, measured: p.measured[direction], predicted: p.predicted[direction] })),
  );
  return { predicted, skipped, pairs };
}
