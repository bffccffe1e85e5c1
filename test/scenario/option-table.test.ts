/**
 * The fio option table: the schema, the job-file writer and the measured-run reader are
 * derived from it, so what the writer renders reads back to the workload that ran; and
 * results carry that typed workload (after the engine's rules), not the option text.
 */
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../src/scenario/normalize.js';
import { JobInput } from '../../src/scenario/schema.js';
import { fioOption, JOB_OPTIONS, NOT_WITH_TRACE, renderJobOptions, scenarioRefusal } from '../../src/scenario/option-table.js';
import { rebuildJob, simulatedName } from '../../src/compare/fio-workload.js';
import { scenarioOnDevice } from '../../src/scenario/on-device.js';
import { simulate } from '../../src/model/simulate.js';
import { predictFromProfile } from '../../src/compare/predict.js';
import { chartPairs, compareCharts } from '../../src/report/compare-charts.js';
import { groupRepetitions, pairJobs, type PairGroup } from '../../src/compare/pairing.js';
import { compareGroups } from '../../src/compare/compare.js';
import { workloadOf } from '../../src/results/workload.js';
import type { Results } from '../../src/results/types.js';

const DEVICE = { parallelism: 8, read: { latency: { dist: 'exponential', mean: '100us' } }, write: { latency: { dist: 'exponential', mean: '50us' } } };

const scenario = (jobs: string): string => `
name: t
seed: 3
duration: 200ms
devices:
  d: { parallelism: 8, read: { latency: { dist: exponential, mean: 100us } }, write: { latency: { dist: exponential, mean: 50us } } }
volumes:
  v: { device: d, size: 1GiB }
containers:
  c:
    volumes: [v]
    jobs:
${jobs}`;

function load(text: string) {
  const r = parseScenarioText(text);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.scenario;
}

describe('the fio option table', () => {
  it('gives the scenario job schema its fio keys, in table order, between volume and trace', () => {
    expect(Object.keys(JobInput.shape)).toEqual(['volume', ...Object.keys(JOB_OPTIONS), 'trace']);
  });

  it('knows each option under its aliases, and refuses unmodelled options by name with the reason', () => {
    expect(fioOption('blocksize')?.name).toBe('bs');
    expect(fioOption('readwrite')?.name).toBe('rw');
    expect(scenarioRefusal('fsync')).toMatch(/"fsync" is not modeled/);
    expect(scenarioRefusal('replay_no_stall')).toBe("fio's replay_no_stall: say trace: { file, mode: closed }");
    expect(scenarioRefusal('iodepth')).toBeUndefined();
    expect(scenarioRefusal('no_such_option')).toBeUndefined();
    expect(NOT_WITH_TRACE.map(([k]) => k)).toEqual(['rw', 'rwmixread', 'rwmixwrite', 'bs', 'bssplit', 'rate_iops', 'rate_process', 'thinktime', 'thinktime_blocks', 'random_distribution', 'norandommap', 'randrepeat', 'randseed']);
  });

  it('reads back what the job-file writer renders: the same typed workload', () => {
    const s = load(scenario(`      mix: { rw: randrw, rwmixread: 70, bssplit: "4k/60:64k/40,8k", iodepth: 8, numjobs: 2, random_distribution: "zipf:1.1", norandommap: 1 }
      paced: { rw: randwrite, bs: 16k, rate_iops: "300", rate_process: poisson, thinktime: 2ms, thinktime_blocks: 3, randrepeat: 0, ioengine: io_uring }
      sync: { rw: read, bs: 4k, ioengine: psync, iodepth: 16 }`));
    for (const job of s.containers[0]!.jobs) {
      const options = Object.fromEntries(renderJobOptions(job, { scenario: s, filename: '/dev/x' }));
      const r = rebuildJob({ name: job.name, options } as never, { runtime: '0.2', direct: '1' });
      expect(r.ok, JSON.stringify(r)).toBe(true);
      if (!r.ok) continue;
      const back = scenarioOnDevice({ name: 'back', durationUs: s.durationUs, rampUs: s.rampUs, device: DEVICE, jobs: [{ container: 'c', name: job.name, parsed: r.parsed, options: r.job }] });
      expect(back.ok, JSON.stringify(back)).toBe(true);
      if (!back.ok) continue;
      const again = back.scenario.containers[0]!.jobs[0]!;
      // the reader predicts from the start of the volume (offset is not read back), over the span written
      expect({ ...workloadOf(again), spanOffsetBytes: job.spanOffsetBytes, randseed: job.randseed }).toEqual({ ...workloadOf(job), randseed: job.randseed });
    }
  });

  it('a measured option the model cannot follow makes the job unpredictable, with the option named', () => {
    const r = rebuildJob({ name: 'j', options: { rw: 'randread', fsync: '4' } } as never, {});
    expect(r).toEqual({ ok: false, reason: 'the fio option fsync=4 is not modeled' });
    const replay = rebuildJob({ name: 'j', options: { read_iolog: 'a.log', thinktime: '10' } } as never, {});
    expect(replay).toEqual({ ok: false, reason: 'the fio option thinktime=10 is not modeled in a replay' });
  });
});

describe('results carry the typed workload that ran', () => {
  it('psync with iodepth 16 keeps 1 I/O in flight, and the results say 1', () => {
    const s = load(scenario('      sync: { rw: randread, bs: 4k, ioengine: psync, iodepth: 16 }\n      async: { rw: randread, bs: 4k, ioengine: libaio, iodepth: 16 }'));
    const r = simulate(s);
    const [sync, async] = r.jobs;
    expect(sync!.workload).toMatchObject({ ioengine: 'psync', sync: true, iodepth: 1, numjobs: 1 });
    expect(async!.workload).toMatchObject({ ioengine: 'libaio', sync: false, iodepth: 16 });
    expect(sync!.meanInflight!).toBeLessThanOrEqual(1);
    expect(async!.meanInflight!).toBeGreaterThan(4);
    // fio's "job options" stay as written, as fio reports them
    expect(sync!.options.iodepth).toBe('16');
  });

  it("the compare chart's depth axis says 1 for a measured psync run with iodepth 16", () => {
    const measured = (name: string, ioengine: string): Results => {
      const s = load(scenario(`      ${name}: { rw: randread, bs: 4k, ioengine: ${ioengine}, iodepth: 16 }`));
      const sim = simulate(s);
      return { ...sim, source: 'measured', globalOptions: { runtime: '0.2', direct: '1' }, jobs: sim.jobs.map(({ workload: _w, ...j }) => ({ ...j, options: { rw: 'randread', bs: '4k', ioengine, iodepth: '16' } })) };
    };
    const groups: PairGroup[] = [];
    for (const [file, m] of [['sync', measured('sync', 'psync')], ['async', measured('async', 'libaio')]] as const) {
      const p = predictFromProfile(m, DEVICE);
      expect(p.skipped).toEqual([]);
      expect(p.predicted.jobs[0]!.workload!.iodepth).toBe(file === 'sync' ? 1 : 16);
      groups.push(...groupRepetitions(pairJobs(file, m, p.predicted, simulatedName).pairs));
    }
    const pairs = chartPairs(groups);
    expect(pairs.map((x) => [x.job, x.depth])).toEqual([['sync:c.sync read', 1], ['async:c.async read', 16]]);
    const rows = compareGroups(groups, {});
    const chart = compareCharts(rows, pairs, {}).find((c) => c.id === 'hockey-stick');
    const loads = (chart!.spec as unknown as { data: { values: { load: number }[] } }).data.values.map((v) => v.load);
    expect([...new Set(loads)].sort((a, b) => a - b)).toEqual([1, 16]);
  });
});
