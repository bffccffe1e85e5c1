/**
 * Measured runs as calibration points: repetitions pooled (averaged, not one picked),
 * runs of the same workload refused unless they are named or declared repetitions, and
 * never pooled across targets.
 */
import { describe, expect, it } from 'vitest';
import { AmbiguousRunsError, measuredPoints, poolDirections, type MeasuredInput } from '../../src/compare/measured-points.js';
import type { DirectionResult, Results } from '../../src/results/types.js';

function dirResult(iops: number, bins: [number, number][]): DirectionResult {
  const n = bins.reduce((s, [, c]) => s + c, 0);
  const mean = bins.reduce((s, [v, c]) => s + v * c, 0) / n;
  const lat = { n, minNs: bins[0]![0], maxNs: bins[bins.length - 1]![0], meanNs: mean, stddevNs: 0 };
  return { totalIos: n, ioBytes: n * 4096, runtimeMs: 1000, iops, bwBytesPerSec: iops * 4096, slat: { ...lat, meanNs: 2000 }, clat: { ...lat, bins }, lat };
}

const EMPTY = dirResult(0, [[1000, 0]]);

function run(file: string, iops: number, bins: [number, number][], filename = '/dev/loop0', cpu?: { usrPct: number; sysPct: number }): MeasuredInput {
  const results: Results = {
    source: 'measured',
    version: 'fio-3.33',
    globalOptions: { runtime: '1', direct: '1' },
    jobs: [{ name: 'j', options: { rw: 'randread', bs: '4096', iodepth: '1', filename }, read: dirResult(iops, bins), write: { ...EMPTY, totalIos: 0, iops: 0 }, ...(cpu ? { cpu: { ...cpu, ctx: 0 } } : {}) }],
    devices: [],
  };
  return { file, results };
}

describe('measuredPoints', () => {
  it('pools repetitions named -r1, -r2: IOPS averaged, percentiles of all the I/Os, spread kept', () => {
    const a = run('randread-4k-qd1-nj1-r1', 1000, [[10_000, 90], [50_000, 10]], '/dev/loop0', { usrPct: 5, sysPct: 15 });
    const b = run('randread-4k-qd1-nj1-r2', 1200, [[12_000, 90], [60_000, 10]], '/dev/loop0', { usrPct: 5, sysPct: 19 });
    const { points } = measuredPoints([a, b]);
    expect(points).toHaveLength(1);
    const p = points[0]!;
    expect(p.dirs.read!.iops).toBe(1100);
    expect(p.dirs.read!.totalIos).toBe(200);
    // p50 of the pooled histogram lies in the lower buckets of both runs; p99 in the tail of the slower one
    expect(p.dirs.read!.clat.percentiles!.find((x) => x.pct === 99)!.ns).toBeGreaterThan(50_000);
    expect(p.spread!.iops).toBeCloseTo(200 / 1100, 6);
    // fio's CPU per I/O, averaged: 20 % of a core at 1000 IOPS = 200 µs; 24 % at 1200 = 200 µs
    expect(p.fioCpuUs).toBeCloseTo(200, 6);
  });

  it('refuses same-workload runs that are not named as repetitions, unless told to pool them', () => {
    const a = run('before-snapshot', 1000, [[10_000, 100]]);
    const b = run('after-snapshot', 400, [[30_000, 100]]);
    expect(() => measuredPoints([a, b])).toThrow(AmbiguousRunsError);
    expect(() => measuredPoints([a, b])).toThrow(/before-snapshot, after-snapshot/);
    expect(measuredPoints([a, b], 'repeat').points[0]!.dirs.read!.iops).toBe(700);
  });

  it('never pools runs of different targets, even when told to', () => {
    const a = run('x-r1', 1000, [[10_000, 100]], '/dev/loop0');
    const b = run('x-r2', 1000, [[10_000, 100]], '/dev/zram0');
    expect(() => measuredPoints([a, b], 'repeat')).toThrow(/different targets/);
  });

  it('poolDirections of one run is that run', () => {
    const d = dirResult(5, [[1000, 3]]);
    expect(poolDirections([d])).toBe(d);
  });
});

describe('disturbed runs', () => {
  const host = (steal: number, othersCpu: number): MeasuredInput['host'] => ({ cores: 2, cpu: { user: 0.05, system: 0.3, softirq: 0, idle: 0.65 - steal, iowait: 0, steal }, othersCpu });

  it('keeps the most disturbed repetition: other processes plus the hypervisor steal, with its file', () => {
    const a = { ...run('randread-4k-qd1-nj1-r1', 1000, [[10_000, 100]]), host: host(0.01, 0.02) };
    const b = { ...run('randread-4k-qd1-nj1-r2', 500, [[20_000, 100]]), host: host(0.28, 0.03) };
    const p = measuredPoints([a, b]).points[0]!;
    expect(p.disturbed!.file).toBe('randread-4k-qd1-nj1-r2');
    expect(p.disturbed!.steal).toBeCloseTo(0.28, 9);
    expect(p.disturbed!.share).toBeCloseTo(0.31, 9);
  });

  it('says nothing of disturbance without host figures, and counts missing othersCpu as none', () => {
    expect(measuredPoints([run('x', 1000, [[10_000, 100]])]).points[0]!.disturbed).toBeUndefined();
    const h = host(0.05, 0)!;
    delete (h as { othersCpu?: number }).othersCpu;
    expect(measuredPoints([{ ...run('x', 1000, [[10_000, 100]]), host: h }]).points[0]!.disturbed!.share).toBeCloseTo(0.05, 9);
  });
});
