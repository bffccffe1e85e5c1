/**
 * compare pairs measured runs with predicted jobs of other names (--map), averages
 * repetitions (runs named <name>-rN) and scores their mean, and never averages runs that
 * are predicted by different jobs (phases) or marked --apart. The measured runs are real
 * fio runs around a btrfs snapshot (test/fixtures/snapshot), all with the job name of the
 * fio command line; the scenario has one job in phases.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blocksimIn, repoRoot } from '../cli-runner.js';

const fx = (n: string): string => join(repoRoot, 'test/fixtures/snapshot', `${n}.json`);
const work = mkdtempSync(join(tmpdir(), 'blocksim-cmpmap-'));
writeFileSync(
  join(work, 's.yaml'),
  `name: seq
seed: 1
duration: 300ms
devices:
  d: { parallelism: 16, write: { latency: { dist: exponential, mean: 60us } }, read: { latency: { dist: exponential, mean: 60us } }, cpu: { submit: 10us } }
volumes:
  v: { device: d, size: 1GiB, snapshots: { chunk: 4k, mode: row, firstWrite: { submit: 10us } } }
containers:
  c: { volumes: [v], jobs: { w: { rw: randwrite, bs: 4k, size: 512MiB } } }
phases:
  - { name: before-qd1, jobs: { c.w: { iodepth: 1 } } }
  - { name: before-qd16, jobs: { c.w: { iodepth: 16 } } }
  - snapshot: v
  - { name: after-qd1, jobs: { c.w: { iodepth: 1 } } }
  - { name: after-qd16, jobs: { c.w: { iodepth: 16 } } }
`,
);
/** A repetition of a fixture with its write IOPS scaled. */
function repetition(from: string, to: string, scale: number): string {
  const doc = JSON.parse(readFileSync(fx(from), 'utf8'));
  doc.jobs[0].write.iops *= scale;
  const file = join(work, `${to}.json`);
  writeFileSync(file, JSON.stringify(doc));
  return file;
}
const r1 = repetition('after-qd16', 'after-qd16-r1', 1);
const r2 = repetition('after-qd16', 'after-qd16-r2', 0.8);
const measuredIops = JSON.parse(readFileSync(fx('after-qd16'), 'utf8')).jobs[0].write.iops as number;

interface Row { source: string; job: string; measuredIops: number; predictedIops: number; repetitions: number; measuredSpread: number; errors: { iops: number } }
const compare = (...args: string[]): { code: number; rows: Row[]; notes: string[]; err: string } => {
  const r = blocksimIn(work, ['compare', '--scenario', 's.yaml', '--json', ...args]);
  const doc = r.out.trim() ? JSON.parse(r.out) : { rows: [], notes: [] };
  return { code: r.code, rows: doc.rows, notes: doc.notes, err: r.err };
};

describe('compare --map, repetitions and --apart', () => {
  it('plain fio job names pair with nothing, and the note says how to pair them', () => {
    const r = compare('--measured', fx('before-qd1'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('no measured job could be paired');
    expect(r.err).toContain('no simulated job named before-qd1 (pair it with --map before-qd1=JOB; simulated jobs: c.w@before-qd1, c.w@before-qd16, c.w@after-qd1, c.w@after-qd16)');
  });

  it('--map pairs each run with its phase, by run name or run:job', () => {
    const r = compare('--measured', fx('before-qd1'), fx('after-qd1'), '--map', 'before-qd1=c.w@before-qd1', '--map', 'after-qd1:after-qd1=c.w@after-qd1', '--tolerance', 'iops=1000%');
    expect(r.rows.map((x) => [x.source, x.job])).toEqual([['before-qd1', 'before-qd1'], ['after-qd1', 'after-qd1']]);
    // the run after the snapshot is paired with the phase after it (first writes: slower)
    expect(r.rows[1]!.predictedIops).toBeLessThan(r.rows[0]!.predictedIops);
  });

  it('repetitions named -rN are averaged and the mean is scored, once', () => {
    const r = compare('--measured', r1, r2, '--map', 'after-qd16=c.w@after-qd16', '--tolerance', 'iops=1000%');
    expect(r.rows).toHaveLength(1);
    const row = r.rows[0]!;
    expect(row.source).toBe('after-qd16 (mean of 2)');
    expect(row.repetitions).toBe(2);
    expect(row.measuredIops).toBeCloseTo(measuredIops * 0.9, 6);
    expect(row.errors.iops).toBeCloseTo(row.predictedIops / (measuredIops * 0.9) - 1, 9);
    expect(row.measuredSpread).toBeCloseTo(0.2 / 0.9, 9);
  });

  it('runs marked apart, or predicted by different phases, are never averaged', () => {
    const apart = compare('--measured', r1, r2, '--map', 'after-qd16=c.w@after-qd16', '--apart', 'after-qd16-r2', '--tolerance', 'iops=1000%');
    expect(apart.rows.map((x) => [x.source, x.repetitions, x.measuredSpread])).toEqual([['after-qd16-r1', 1, 0], ['after-qd16-r2', 1, 0]]);
    const phases = compare('--measured', r1, r2, '--map', 'after-qd16-r1=c.w@before-qd16', '--map', 'after-qd16-r2=c.w@after-qd16', '--tolerance', 'iops=1000%');
    expect(phases.rows).toHaveLength(2);
    expect(phases.rows[0]!.measuredIops).toBeCloseTo(measuredIops, 6);
    expect(phases.rows[1]!.measuredIops).toBeCloseTo(measuredIops * 0.8, 6);
  });

  it('runs with equal options that are not named as repetitions are scored one by one', () => {
    const r = compare('--measured', fx('before-qd16'), fx('after-qd16'), '--map', 'before-qd16=c.w@after-qd16', '--map', 'after-qd16=c.w@after-qd16', '--tolerance', 'iops=1000%');
    expect(r.rows.map((x) => [x.source, x.repetitions])).toEqual([['before-qd16', 1], ['after-qd16', 1]]);
  });

  it('a malformed --map is bad input', () => {
    const r = compare('--measured', fx('before-qd1'), '--map', 'before-qd1');
    expect(r.code).toBe(2);
    expect(r.err).toContain('expected MEASURED=PREDICTED');
  });
});
