/** compare and regress as CI gates: their exit codes and files. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blocksimIn, repoRoot } from '../cli-runner.js';

const work = mkdtempSync(join(tmpdir(), 'blocksim-gates-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const fixture = join(repoRoot, 'test/fixtures/fio/randrw-qd4-jsonplus.json');

const PROFILE = `name: guess
device:
  parallelism: 4
  read: { latency: { dist: lognormal, p50: 60us, p99: 300us } }
  write: { latency: { dist: lognormal, p50: 60us, p99: 300us } }
`;

describe('blocksim compare', () => {
  it('exits 0 inside a loose tolerance and 1 outside a tight one, and writes compare.csv', () => {
    writeFileSync(join(work, 'guess.yaml'), PROFILE);
    const loose = blocksimIn(work, ['compare', '--measured', fixture, '--profile', 'guess.yaml', '--tolerance', 'iops=1000%', '--out', 'cmp']);
    expect(loose.code, loose.err).toBe(0);
    expect(loose.out).toMatch(/randrw-qd4\s+read/);
    expect(readFileSync(join(work, 'cmp', 'compare.csv'), 'utf8')).toMatch(/^source,job,direction,measured_iops/);
    const tight = blocksimIn(work, ['compare', '--measured', fixture, '--profile', 'guess.yaml', '--tolerance', 'iops=0.001%,p50=0.001%', '--json']);
    expect(tight.code).toBe(1);
    expect(JSON.parse(tight.out).ok).toBe(false);
  });

  it('bad input exits 2: no profile or scenario, a bad tolerance', () => {
    expect(blocksimIn(work, ['compare', '--measured', fixture]).code).toBe(2);
    expect(blocksimIn(work, ['compare', '--measured', fixture, '--profile', 'guess.yaml', '--tolerance', 'speed=1%']).code).toBe(2);
  });
});

describe('blocksim regress', () => {
  const base = JSON.parse(readFileSync(fixture, 'utf8'));

  function variant(dir: string, iopsScale: number, latScale: number): void {
    mkdirSync(join(work, dir), { recursive: true });
    const doc = structuredClone(base);
    for (const d of ['read', 'write']) {
      doc.jobs[0][d].iops *= iopsScale;
      for (const k of Object.keys(doc.jobs[0][d].clat_ns.percentile)) doc.jobs[0][d].clat_ns.percentile[k] *= latScale;
    }
    writeFileSync(join(work, dir, 'run.json'), JSON.stringify(doc));
  }

  it('no change exits 0; lower IOPS and higher p99 beyond tolerance exit 1 with a JUnit failure', () => {
    mkdirSync(join(work, 'baseline'), { recursive: true });
    copyFileSync(fixture, join(work, 'baseline', 'run.json'));
    variant('same', 1.02, 1.01);
    variant('worse', 0.7, 1.6);
    variant('better', 1.5, 0.5);
    expect(blocksimIn(work, ['regress', '--baseline', 'baseline', '--current', 'same']).code).toBe(0);
    const bad = blocksimIn(work, ['regress', '--baseline', 'baseline', '--current', 'worse', '--junit', 'out/junit.xml']);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/REGRESSION {3}randrw-qd4 read p99: \d+ µs -> \d+ µs \(\+60\.0 %\)/);
    expect(bad.out).toMatch(/REGRESSION {3}randrw-qd4 read iops: [\d.]+ k IOPS -> [\d.]+ k IOPS \(-30\.0 %\)/);
    const xml = readFileSync(join(work, 'out', 'junit.xml'), 'utf8');
    expect(xml).toMatch(/<testsuite name="blocksim regress" tests="2" failures="2">/);
    const good = blocksimIn(work, ['regress', '--baseline', 'baseline', '--current', 'better']);
    expect(good.code).toBe(0);
    expect(good.out).toMatch(/improvement/);
  });

  it('is noise-aware: a change inside the spread of the baseline repetitions is not a regression', () => {
    variant('rep1', 1.0, 1.0);
    variant('rep2', 0.75, 1.0);
    mkdirSync(join(work, 'reps'), { recursive: true });
    copyFileSync(join(work, 'rep1', 'run.json'), join(work, 'reps', 'a.json'));
    copyFileSync(join(work, 'rep2', 'run.json'), join(work, 'reps', 'b.json'));
    variant('slightly', 0.8, 1.0); // 20 % lower than the median of the reps, inside their 28 % spread
    expect(blocksimIn(work, ['regress', '--baseline', 'reps', '--current', 'slightly', '--tolerance', 'iops=10%']).code).toBe(0);
    expect(blocksimIn(work, ['regress', '--baseline', 'rep1', '--current', 'slightly', '--tolerance', 'iops=10%']).code).toBe(1);
  });
});
