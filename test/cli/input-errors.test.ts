/** Bad input found deep in a command is exit 2 with what is wrong and how to fix it, never a stack. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blocksimIn, repoRoot } from '../cli-runner.js';

const work = mkdtempSync(join(tmpdir(), 'blocksim-input-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('input errors', () => {
  it('calibrate without a QD1 run: exit 2, the runs given, the run missing and how to take it', () => {
    const r = blocksimIn(work, ['calibrate', join(repoRoot, 'test/fixtures/fio/randrw-qd4-jsonplus.json')]);
    expect(r.code, r.err).toBe(2);
    expect(r.err).not.toMatch(/internal error|at .*\.ts:\d+/);
    expect(r.err).toMatch(/QD1 run: missing: .*iodepth=1 and numjobs=1/);
    expect(r.err).toMatch(/given: randrw-qd4-jsonplus: randrw-qd4: rw=randrw bs=4096 iodepth=4 numjobs=1/);
    expect(r.err).toMatch(/take it with: blocksim fio sweep --target PATH --rw randread --bs 4k --iodepth 1/);
  });

  it('validate reports a dangling reference together with field problems', () => {
    writeFileSync(join(work, 'bad.yaml'), `
name: bad
duration: 1s
devices:
  d0: { parallelism: 0, read: { latency: { dist: fixed, value: 50us } } }
volumes:
  v: { device: nosuch, size: 1GiB }
containers:
  app: { volumes: [v], jobs: { r: { rw: randread } } }
`);
    const r = blocksimIn(work, ['validate', 'bad.yaml']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('devices.d0.parallelism: expected a positive integer, got 0');
    expect(r.err).toContain('volumes.v.device: no device named "nosuch" (devices: d0)');
  });

  it('number flags quote what was typed (never "got NaN") and are checked while parsing', () => {
    writeFileSync(join(work, 'ok.yaml'), OK);
    const r = blocksimIn(work, ['run', 'ok.yaml', '--seed', 'abc', '--out', 'never']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--seed: expected a whole number, got "abc"');
    expect(r.err).not.toMatch(/NaN/);
    const s = blocksimIn(work, ['sweep', 'ok.yaml', '--vary', 'containers.app.replicas=1,2', '--repeat', '0', '--out', 'never']);
    expect(s.code).toBe(2);
    expect(s.err).toContain('--repeat: expected a whole number from 1 to 1000, got 0');
  });

  it('a results folder is printed with one trailing slash', () => {
    const r = blocksimIn(work, ['run', 'ok.yaml', '--out', 'base1/']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^results: base1\/$/m);
  });
});

const OK = `
name: ok
duration: 20ms
devices:
  d0: { parallelism: 2, read: { latency: { dist: fixed, value: 50us } } }
volumes:
  v: { device: d0, size: 1GiB }
containers:
  app: { volumes: [v], jobs: { r: { rw: randread } } }
`;
