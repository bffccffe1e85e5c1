/** The command line end to end, as a user runs it (through tsx, so no build is needed). */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blocksimIn, repoRoot } from '../cli-runner.js';

const root = repoRoot;
const blocksim = (...args: string[]) => blocksimIn(work, args);
const work = mkdtempSync(join(tmpdir(), 'blocksim-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));


const SMALL = `
name: cli-small
seed: 5
duration: 300ms
devices:
  d0: { parallelism: 2, read: { latency: { dist: fixed, value: 50us } }, write: { latency: { dist: fixed, value: 20us } } }
volumes:
  v0: { device: d0, size: 1GiB }
containers:
  app: { volumes: [v0], jobs: { rand: { rw: randrw, iodepth: 4 } } }
`;

describe('blocksim run', () => {
  it('prints a summary and writes the results folder', () => {
    writeFileSync(join(work, 'small.yaml'), SMALL);
    const r = blocksim('run', 'small.yaml', '--out', 'res');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/app\.rand\s+read/);
    expect(r.out).toMatch(/d0\s+100\.0%/);
    expect(readdirSync(join(work, 'res')).sort()).toEqual(['charts', 'devices.csv', 'fio.json', 'report.html', 'resources.csv', 'results.json', 'scenario.yaml', 'summary.csv', 'timeline.csv', 'volumes.csv']);
    const json = JSON.parse(readFileSync(join(work, 'res', 'fio.json'), 'utf8'));
    expect(json.jobs[0].jobname).toBe('app.rand');
    expect(json.jobs[0].read.clat_ns.percentile['99.000000']).toBeGreaterThan(0);
    expect(json.blocksim.devices[0].name).toBe('d0');
  });

  it('--json prints fio-compatible JSON, identical for the same seed, and --seed changes it', () => {
    const a = blocksim('run', 'small.yaml', '--out', 'a', '--json');
    const b = blocksim('run', 'small.yaml', '--out', 'b', '--json');
    const c = blocksim('run', 'small.yaml', '--out', 'c', '--json', '--seed', '6');
    expect(a.code).toBe(0);
    expect(JSON.parse(a.out).jobs[0].jobname).toBe('app.rand');
    expect(a.out).toBe(b.out);
    expect(c.out).not.toBe(a.out);
    expect(a.out).toBe(readFileSync(join(work, 'a', 'fio.json'), 'utf8'));
  });

  it('--duration overrides the scenario; a bad value exits 2', () => {
    const r = blocksim('run', 'small.yaml', '--out', 'd', '--json', '--duration', '100ms');
    expect(JSON.parse(r.out).jobs[0].read.runtime).toBe(100);
    const bad = blocksim('run', 'small.yaml', '--duration', 'soon');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--duration: expected a time/);
  });

  it("--duration 1 means one second (fio's runtime), --project needs a unit", () => {
    const r = blocksim('run', 'small.yaml', '--out', 'd', '--json', '--duration', '1');
    expect(JSON.parse(r.out).jobs[0].read.runtime).toBe(1000);
    const bad = blocksim('run', 'small.yaml', '--out', 'd', '--project', '24');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--project: expected a time with a unit, like 24us, 24ms or 24s/);
  });
});

describe('bad input', () => {
  it('validate lists every problem with its path, exit 2, no stack trace', () => {
    writeFileSync(join(work, 'bad.yaml'), SMALL.replace('parallelism: 2', 'parallelism: 0').replace('iodepth: 4', 'iodepth: 4, bs: -4k').replace('size: 1GiB', 'size: 10EiB'));
    const r = blocksim('validate', 'bad.yaml');
    expect(r.code).toBe(2);
    expect(r.err).toContain('devices.d0.parallelism: expected a positive integer, got 0');
    expect(r.err).toContain('volumes.v0.size: expected a size of at most 8 PiB');
    expect(r.err).toContain('containers.app.jobs.rand.bs');
    expect(r.err).not.toMatch(/at .*\.ts:\d+/);
  });

  it('run refuses a broken file and leaves earlier results in place', () => {
    writeFileSync(join(work, 'empty.yaml'), '');
    const r = blocksim('run', 'empty.yaml', '--out', 'res');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/the file is empty/);
    expect(existsSync(join(work, 'res', 'fio.json'))).toBe(true);
  });

  it('a missing file, an unknown command and an unknown flag exit 2', () => {
    expect(blocksim('validate', 'nope.yaml').code).toBe(2);
    expect(blocksim('frobnicate').code).toBe(2);
    const r = blocksim('run', 'small.yaml', '--colour');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Unknown argument/i);
  });

  it('validate accepts the bundled scenarios', () => {
    const dir = join(root, 'scenarios');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => join(dir, f));
    const r = blocksim('validate', ...files);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  it('--help explains the commands', () => {
    const r = blocksim('--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/run <scenario\.\.>/);
    expect(r.out).toMatch(/validate <scenario\.\.>/);
  });
});
