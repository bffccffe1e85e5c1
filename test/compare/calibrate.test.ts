/**
 * Calibration against a known device: fio-like runs are produced by simulating a device
 * whose parameters we set, written as fio JSON and read back as measurements; the profile
 * fitted from four of them must predict the others.
 */
import { describe, expect, it } from 'vitest';
import { median } from 'simple-statistics';
import { calibrate } from '../../src/compare/calibrate.js';
import { predictFromProfile } from '../../src/compare/predict.js';
import { errorFigures } from '../../src/compare/error-figures.js';
import { renderFioJson } from '../../src/fio/json-writer.js';
import { parseFioJson } from '../../src/fio/parse.js';
import { simulate } from '../../src/model/simulate.js';
import { normalizeScenario } from '../../src/scenario/normalize.js';
import type { Results } from '../../src/results/types.js';

const TRUTH = {
  parallelism: 4,
  read: { latency: { dist: 'lognormal', p50: '60us', p99: '200us' }, bandwidth: '800MiB/s' },
  write: { latency: { dist: 'lognormal', p50: '30us', p99: '150us' }, bandwidth: '800MiB/s' },
  cpu: { submit: '4us' },
};

function measure(name: string, job: Record<string, unknown>): { file: string; results: Results } {
  const r = normalizeScenario({
    name: 'truth', seed: name.length, duration: '2s',
    devices: { d: TRUTH }, volumes: { v: { device: 'd', size: '10GiB' } },
    containers: { [name]: { volumes: ['v'], jobs: { [name]: job } } },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  const sim = simulate(r.scenario);
  sim.jobs[0]!.name = name;
  sim.jobs[0]!.options = Object.fromEntries(Object.entries(job).map(([k, v]) => [k, String(v)]));
  sim.globalOptions = { runtime: '2', direct: '1' };
  return { file: name, results: parseFioJson(renderFioJson({ ...sim, source: 'measured' })) };
}

describe('calibrate', () => {
  it('recovers a known device well enough to predict runs it did not see', () => {
    const inputs = [
      measure('rr-qd1', { rw: 'randread', bs: 4096, iodepth: 1 }),
      measure('rw-qd1', { rw: 'randwrite', bs: 4096, iodepth: 1 }),
      measure('rr-qd32', { rw: 'randread', bs: 4096, iodepth: 32 }),
      measure('sr-1m', { rw: 'read', bs: 1048576, iodepth: 4 }),
    ];
    const fit = calibrate(inputs);
    expect(fit.device.parallelism).toBe(4);
    const others = [
      measure('rr-qd4', { rw: 'randread', bs: 4096, iodepth: 4 }),
      measure('rw-qd16', { rw: 'randwrite', bs: 4096, iodepth: 16 }),
      measure('sw-1m', { rw: 'write', bs: 1048576, iodepth: 2 }),
      measure('mix', { rw: 'randrw', rwmixread: 70, bs: 8192, iodepth: 8 }),
    ];
    const iopsErr: number[] = [];
    const p99Err: number[] = [];
    for (const o of others) {
      for (const pair of predictFromProfile(o.results, fit.device).pairs) {
        const e = errorFigures(pair.predicted, pair.measured);
        iopsErr.push(Math.abs(e.iops));
        p99Err.push(Math.abs(e.p99));
      }
    }
    // Not zero: the service time is kept as 200 quantile points of a json+ histogram, and
    // parallelism and CPU shares are fitted on a grid from one deep run.
    expect(median(iopsErr)).toBeLessThan(0.08);
    expect(median(p99Err)).toBeLessThan(0.1);
  });

  it('refuses input without a QD1 json+ run', () => {
    const deep = measure('rr-qd32', { rw: 'randread', bs: 4096, iodepth: 32 });
    expect(() => calibrate([deep])).toThrow(/QD1 run/);
  });

  it('names the points measured while others took over 10 % of the cores, and only those', () => {
    const host = (steal: number, othersCpu: number) => ({ cores: 2, cpu: { user: 0.02, system: 0.2, softirq: 0, idle: 0.78 - steal, iowait: 0, steal }, othersCpu });
    const inputs = [
      { ...measure('rr-qd1', { rw: 'randread', bs: 4096, iodepth: 1 }), host: host(0.25, 0.01) },
      { ...measure('rw-qd1', { rw: 'randwrite', bs: 4096, iodepth: 1 }), host: host(0.02, 0.03) },
      { ...measure('rr-qd32', { rw: 'randread', bs: 4096, iodepth: 32 }), host: host(0, 0.15) },
    ];
    const fit = calibrate(inputs, { crossValidate: false });
    expect(fit.disturbed).toHaveLength(2);
    expect(fit.disturbed[0]).toMatch(/^randread\/4096\/1\/1 \(rr-qd1\): other processes 1 % and the hypervisor's steal 25 % of the cores/);
    expect(fit.disturbed[1]).toMatch(/^randread\/4096\/32\/1 \(rr-qd32\): other processes 15 % of the cores/);
  });
});
