/**
 * `blocksim calibrate --before RUNS --after RUNS` on real fio runs around a btrfs snapshot
 * (test/fixtures/snapshot: a NOCOW file on btrfs on a loop device over /dev/shm, 3 s each):
 * the first-write cost comes from the QD1 runs around the snapshot, the profile from the
 * runs before it only, and the runs are simulated in order.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { blocksimIn, repoRoot } from '../cli-runner.js';

const fx = (n: string): string => join(repoRoot, 'test/fixtures/snapshot', `${n}.json`);
const fio = (n: string): { write: { slat_ns: { mean: number }; clat_ns: { percentile: Record<string, number> }; total_ios: number } } => JSON.parse(readFileSync(fx(n), 'utf8')).jobs[0];
const work = mkdtempSync(join(tmpdir(), 'blocksim-snapcal-'));
const BEFORE = ['--before', fx('before-qd1'), fx('before-qd16')];
const AFTER = ['--after', fx('after-qd1'), fx('after-qd16'), fx('after-randread-qd16')];

describe('calibrate --before --after', () => {
  const r = blocksimIn(work, ['calibrate', ...BEFORE, ...AFTER, '--cores', '2', '-o', 'snap.yaml']);

  it('writes a profile with the snapshot block, its numbers from the QD1 runs around the snapshot', () => {
    expect(r.code, r.err).toBe(0);
    const doc = parse(readFileSync(join(work, 'snap.yaml'), 'utf8'));
    expect(doc.device.parallelism).toBeGreaterThan(0);
    expect(doc.host).toEqual({ cores: 2 });
    const fw = doc.snapshots.firstWrite;
    expect(doc.snapshots).toMatchObject({ chunk: 4096, mode: 'row' });
    // every write of the QD1 run after the snapshot is a first write: submit = Δ mean slat
    const submitUs = (fio('after-qd1').write.slat_ns.mean - fio('before-qd1').write.slat_ns.mean) / 1e3;
    expect(parseFloat(fw.submit)).toBeCloseTo(submitUs, 1);
    expect(parseFloat(fw.background)).toBeCloseTo(1.5 * submitUs, 1);
    const p50 = (n: string): number => fio(n).write.clat_ns.percentile['50.000000']! / 1e3;
    expect(parseFloat(fw.device)).toBeCloseTo(Math.max(0, p50('after-qd1') - p50('before-qd1')), 1);
  });

  it('prints the first-write shares from the runs\' order and the error of each run simulated in order', () => {
    const n1 = fio('after-qd1').write.total_ios;
    const n16 = fio('after-qd16').write.total_ios;
    // randrepeat and the random map: the QD16 run first rewrites what the QD1 run wrote
    expect(r.err).toContain(`after-qd16: ${n16 - n1} first writes of ${n16} writes`);
    const rows = r.err.split('\n').filter((l) => /^ {2}(before|after)-/.test(l));
    expect(rows.map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '))).toEqual(['before-qd1 profile', 'before-qd16 profile', 'after-qd1 first-write', 'after-qd16 predicted', 'after-randread-qd16 predicted']);
    const iopsError = (l: string): number => parseFloat(l.trim().split(/\s+/).at(-3)!);
    // the profile and the first-write cost reproduce the runs they came from
    for (const l of rows.slice(0, 3)) expect(Math.abs(iopsError(l)), l).toBeLessThan(10);
  });

  it('refuses a run given both before and after the snapshot, and a first run after it with no before run of its workload', () => {
    const both = blocksimIn(work, ['calibrate', ...BEFORE, '--after', fx('before-qd1'), fx('after-qd16')]);
    expect(both.code).toBe(2);
    expect(both.err).toContain('both before and after the snapshot: before-qd1');
    const noBase = blocksimIn(work, ['calibrate', '--before', fx('before-qd1'), '--after', fx('after-qd16')]);
    expect(noBase.code).toBe(2);
    expect(noBase.err).toContain('needs a run of the same workload before it');
  });

  it('refuses --before without --after, and runs given both ways', () => {
    const alone = blocksimIn(work, ['calibrate', ...BEFORE]);
    expect(alone.code).toBe(2);
    expect(alone.err).toContain('--before and --after go together');
    const mixed = blocksimIn(work, ['calibrate', fx('before-qd1'), ...BEFORE, ...AFTER]);
    expect(mixed.code).toBe(2);
    expect(mixed.err).toContain('not both');
  });

  it('without --before, runs before and after a snapshot of the same workload are refused, not pooled', () => {
    const pooled = blocksimIn(work, ['calibrate', fx('before-qd1'), fx('after-qd1')]);
    expect(pooled.code).toBe(2);
    expect(pooled.err).toContain('not named as repetitions');
  });
});

describe('calibrate --before --after with slat histograms (fio --slat_percentiles=1) and host figures', () => {
  const sx = (n: string): string => join(repoRoot, 'test/fixtures/snapshot-slat', `${n}.json`);
  const slat = (n: string): { bins: Record<string, number>; total: number } => {
    const w = JSON.parse(readFileSync(sx(n), 'utf8')).jobs[0].write;
    return { bins: w.slat_ns.bins, total: w.total_ios };
  };
  const tail = (n: string): { count: number; meanUs: number } => {
    let count = 0;
    let sum = 0;
    for (const [ns, c] of Object.entries(slat(n).bins)) if (Number(ns) > 300_000) {
      count += c;
      sum += Number(ns) * c;
    }
    return { count, meanUs: sum / count / 1e3 };
  };
  const r = blocksimIn(work, ['calibrate', '--before', sx('before-qd1'), sx('before-qd16'), '--after', sx('after-qd1'), sx('after-qd16'), '-o', 'stall.yaml']);

  it('fits the stall tail and the background work: submissions beyond 300 µs after the snapshot beyond the rate before it, their mean duration', () => {
    expect(r.code, r.err).toBe(0);
    const doc = parse(readFileSync(join(work, 'stall.yaml'), 'utf8'));
    const after = tail('after-qd1');
    const before = tail('before-qd1');
    const extra = after.count - (before.count / slat('before-qd1').total) * slat('after-qd1').total;
    expect(doc.snapshots.firstWrite.stall.every).toBe(Math.round(slat('after-qd1').total / extra)); // every write of the QD1 run is a first write
    expect(parseFloat(doc.snapshots.firstWrite.stall.duration)).toBeCloseTo(after.meanUs, 0);
    // cores from the runs' host figures; no run at a depth of 2 to 8, so the wake-affine wait is the assumed one
    expect(doc.host).toEqual({ cores: 2, balance: '20us' });
    expect(r.err).toContain('stall tail: one in');
    // the runs carry the host's CPU: the filesystem's background work comes from it, not from the 1.5 × slat default
    expect(r.err).toMatch(/background [\d.]+ µs per first write: the rise of the host's kernel CPU beyond fio's/);
  });
});
