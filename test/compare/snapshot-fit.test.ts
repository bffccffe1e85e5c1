/**
 * Snapshot calibration recovers known first-write costs from runs before and after a
 * snapshot (simulated with those costs), and the first-write shares follow fio's offsets.
 */
import { describe, expect, it } from 'vitest';
import { relErr, run, scenarioFrom } from '../helpers.js';
import { firstWriteShares, fitSnapshotCost, SnapshotFitError, type SnapshotRun } from '../../src/compare/snapshot-fit.js';
import type { Results } from '../../src/results/types.js';

/** One run per phase, as fio would have written it. */
function runsOf(r: Results): Record<string, SnapshotRun> {
  const out: Record<string, SnapshotRun> = {};
  for (const j of r.jobs) out[j.name.split('@')[1]!] = { file: `${j.name.split('@')[1]}.json`, results: { ...r, jobs: [j] } };
  return out;
}

const sequence = (firstWrite: Record<string, unknown>) =>
  run(
    scenarioFrom({
      name: 'snapfit', seed: 4, duration: '1s',
      devices: { d: { parallelism: 16, write: { latency: { dist: 'exponential', mean: '50us' } }, cpu: { submit: '5us' } } },
      volumes: { v: { device: 'd', size: '1GiB', snapshots: { chunk: '4k', mode: 'row', firstWrite } } },
      containers: { c: { volumes: ['v'], jobs: { w: { rw: 'randwrite', bs: '4k', size: '256MiB' } } } }, // 65,536 blocks
      phases: [
        { name: 'before-qd1', duration: '1s', jobs: { 'c.w': { iodepth: 1 } } },
        { snapshot: 'v' },
        { name: 'after-qd1', duration: '500ms', jobs: { 'c.w': { iodepth: 1 } } },
        { name: 'after-qd16', duration: '1s', jobs: { 'c.w': { iodepth: 16 } } },
      ],
    }),
  );

describe('snapshot calibration', () => {
  it('recovers submit and device costs per first write from the QD1 runs around the snapshot', () => {
    const runs = runsOf(sequence({ submit: '20us', device: '10us' }));
    const fit = fitSnapshotCost([runs['before-qd1']!], [runs['after-qd1']!, runs['after-qd16']!]);
    expect(relErr(fit.firstWrite.submitUs, 20)).toBeLessThan(0.03);
    expect(relErr(fit.firstWrite.deviceUs, 10)).toBeLessThan(0.15); // a median of exponential service
    expect(fit.firstWrite.backgroundUs).toBeCloseTo(1.5 * fit.firstWrite.submitUs, 9);
    expect(fit.shares[0]!.share).toBe(1);
  });

  it('the QD16 run after the QD1 run pays only for the blocks the QD1 run did not cover (random map, randrepeat)', () => {
    const r = sequence({ submit: '20us' });
    const runs = runsOf(r);
    const shares = firstWriteShares([runs['after-qd1']!, runs['after-qd16']!]);
    const n1 = shares[0]!.writes;
    const n16 = shares[1]!.writes;
    expect(shares[1]!.firstWrites).toBeCloseTo(Math.min(n16, 65536) - n1, 6);
    // the simulation itself agrees: its snapshot holds the blocks written after it (those
    // still in flight when a phase ended were submitted, not yet counted: at most 1 + 16)
    expect(Math.abs(r.volumes![0]!.cowCopies - Math.min(65536, Math.max(n1, n16)))).toBeLessThanOrEqual(17);
  });

  it('refuses a first run after the snapshot with no run of its workload before it', () => {
    const runs = runsOf(sequence({ submit: '20us' }));
    expect(() => fitSnapshotCost([runs['before-qd1']!], [runs['after-qd16']!])).toThrow(SnapshotFitError);
  });

  it('with slat histograms, the submissions beyond 300 µs after the snapshot (beyond the rate before it) become a stall tail, out of the submit cost', () => {
    const runs = runsOf(sequence({ submit: '20us' }));
    const withTail = (run: SnapshotRun, slow: number, slowNs: number): SnapshotRun => {
      const j = run.results.jobs[0]!;
      const n = j.write.totalIos;
      const write = { ...j.write, slat: { ...j.write.slat, bins: [[20_000, n - slow], [slowNs, slow]] as [number, number][] } };
      return { ...run, results: { ...run.results, jobs: [{ ...j, write }] } };
    };
    const before = withTail(runs['before-qd1']!, 10, 900_000);
    const after = withTail(runs['after-qd1']!, 110, 1_200_000);
    const nb = before.results.jobs[0]!.write.totalIos;
    const na = after.results.jobs[0]!.write.totalIos;
    const plain = fitSnapshotCost([runs['before-qd1']!], [runs['after-qd1']!]).firstWrite;
    expect(plain.stall).toBeUndefined(); // no histogram, no stall
    const fit = fitSnapshotCost([before], [after]).firstWrite;
    const every = Math.round(na / (110 - (10 / nb) * na)); // every write of the QD1 run after the snapshot is a first write
    expect(fit.stall).toEqual({ every, durationUs: 1200 });
    expect(fit.submitUs).toBeCloseTo(plain.submitUs - 1200 / every, 9);
    expect(fit.backgroundUs).toBeCloseTo(plain.backgroundUs, 9); // 1.5 × the whole rise of mean slat
  });

  it('with host figures, background is the rise of the host\'s kernel CPU beyond fio\'s per first write; without them 1.5 × the slat rise', () => {
    const runs = runsOf(sequence({ submit: '20us' }));
    // kernel time beyond fio's: 10 µs per write before the snapshot, 40 µs after (2 cores, fio's own sys 30 %)
    const withHost = (run: SnapshotRun, kernelUs: number): SnapshotRun => {
      const j = run.results.jobs[0]!;
      const cores = 2;
      const system = (kernelUs * 1e-6 * j.write.iops + 0.3) / cores;
      return { ...run, results: { ...run.results, jobs: [{ ...j, cpu: { usrPct: 5, sysPct: 30, ctx: 0 } }] }, host: { cores, cpu: { user: 0.1, system, softirq: 0, idle: 1 - system - 0.1, iowait: 0, steal: 0 } } };
    };
    const fit = fitSnapshotCost([withHost(runs['before-qd1']!, 10)], [withHost(runs['after-qd1']!, 40)]);
    expect(fit.firstWrite.backgroundUs).toBeCloseTo(30, 6); // every write of the QD1 run after the snapshot is a first write
    expect(fit.notes.join('\n')).toContain("the rise of the host's kernel CPU");
    const fell = fitSnapshotCost([withHost(runs['before-qd1']!, 40)], [withHost(runs['after-qd1']!, 10)]);
    expect(fell.firstWrite.backgroundUs).toBeCloseTo(1.5 * fell.firstWrite.submitUs, 6); // other work moved more: the default
  });
});
