import { normalizeScenario } from '../src/scenario/normalize.js';
import type { Scenario } from '../src/scenario/types.js';
import { simulate } from '../src/model/simulate.js';
import type { DirectionResult, Results } from '../src/results/types.js';

/** A valid scenario from a plain object, or a thrown list of its problems. */
export function scenarioFrom(input: Record<string, unknown>): Scenario {
  const r = normalizeScenario(input);
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return r.scenario;
}

/** One device, one volume, one container with the given jobs. */
export function singleDevice(device: Record<string, unknown>, jobs: Record<string, unknown>, extra: Record<string, unknown> = {}): Scenario {
  return scenarioFrom({
    name: 'test',
    seed: 11,
    duration: '20s',
    ramp: '1s',
    devices: { d: device },
    volumes: { v: { device: 'd', size: '64GiB' } },
    containers: { c: { volumes: ['v'], jobs } },
    ...extra,
  });
}

export function run(s: Scenario): Results {
  return simulate(s);
}

export function dir(r: Results, job: string, d: 'read' | 'write' = 'read'): DirectionResult {
  const j = r.jobs.find((x) => x.name === job);
  if (!j) throw new Error(`no job ${job} in ${r.jobs.map((x) => x.name).join(', ')}`);
  return j[d];
}

export function p(d: DirectionResult, pct: number): number {
  const v = d.clat.percentiles?.find((x) => x.pct === pct);
  if (!v) throw new Error(`no p${pct}`);
  return v.ns;
}

/** |a - b| / b */
export function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}
