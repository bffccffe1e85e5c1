/**
 * An output place that cannot be written (under /proc or /sys, a file in the way) is
 * refused before the command works: exit 3 at once, never a spin, fio never started.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blocksimIn, repoRoot } from '../cli-runner.js';

const work = mkdtempSync(join(tmpdir(), 'blocksim-unwritable-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const fixture = join(repoRoot, 'test/fixtures/fio/randrw-qd4-jsonplus.json');
const fioLog = join(work, 'fio-called.log');
const env = { ...process.env, PATH: `${join(work, 'bin')}:${process.env.PATH}` };

const SMALL = `
name: unwritable
duration: 50ms
devices:
  d0: { parallelism: 2, read: { latency: { dist: fixed, value: 50us } }, write: { latency: { dist: fixed, value: 20us } } }
volumes:
  v0: { device: d0, size: 1GiB }
containers:
  app: { volumes: [v0], jobs: { rand: { rw: randread, iodepth: 4 } } }
`;

beforeAll(() => {
  writeFileSync(join(work, 'small.yaml'), SMALL);
  writeFileSync(join(work, 'other.yaml'), SMALL.replace('name: unwritable', 'name: other'));
  writeFileSync(join(work, 'profile.yaml'), 'device:\n  parallelism: 4\n  read: { latency: { dist: fixed, value: 60us } }\n  write: { latency: { dist: fixed, value: 60us } }\n');
  mkdirSync(join(work, 'bin'));
  writeFileSync(join(work, 'bin', 'fio'), `#!/bin/sh\necho "$@" >> ${fioLog}\nif [ "$1" = "--version" ]; then echo fio-3.33; exit 0; fi\nexit 1\n`, { mode: 0o755 });
});

const P = '/proc/blocksim-test';
const CASES: [string, string[], RegExp][] = [
  ['run --out', ['run', 'small.yaml', '--out', `${P}/out`], /--out \/proc\/blocksim-test\/out: cannot write in \/proc/],
  ['run --out under /sys', ['run', 'small.yaml', '--out', '/sys/blocksim-test'], /--out \/sys\/blocksim-test: cannot write in \/sys/],
  ['run --out through a file', ['run', 'small.yaml', '--out', 'small.yaml/out'], /small\.yaml is not a folder/],
  ['sweep --out', ['sweep', 'small.yaml', '--vary', 'containers.app.replicas=1,2', '--workers', '1', '--out', `${P}/sw`], /cannot write in \/proc/],
  ['compare-layouts --out', ['compare-layouts', 'small.yaml', 'other.yaml', '--out', `${P}/lay`], /cannot write in \/proc/],
  ['fio jobfile -o', ['fio', 'jobfile', 'small.yaml', '-o', `${P}/job.fio`], /cannot write in \/proc/],
  ['fio run --out', ['fio', 'run', 'small.yaml', '--target', 'v0=x.dat', '--out', `${P}/fr`], /cannot write in \/proc/],
  ['fio sweep --out', ['fio', 'sweep', '--target', 'x.dat', '--out', `${P}/fs`], /cannot write in \/proc/],
  ['calibrate -o', ['calibrate', fixture, '-o', `${P}/p.yaml`], /cannot write in \/proc/],
  ['compare --out', ['compare', '--measured', fixture, '--profile', 'profile.yaml', '--out', `${P}/cmp`], /cannot write in \/proc/],
  ['regress --junit', ['regress', '--baseline', fixture, '--current', fixture, '--junit', `${P}/junit.xml`], /--junit \/proc\/blocksim-test\/junit\.xml: cannot write in \/proc/],
];

describe('unwritable output places exit 3 up front', () => {
  for (const [name, args, message] of CASES) {
    it(name, () => {
      const t0 = Date.now();
      const r = blocksimIn(work, args, env);
      expect(r.code, r.err).toBe(3);
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/internal error/);
      expect(Date.now() - t0).toBeLessThan(30_000);
      expect(existsSync(fioLog) ? readFileSync(fioLog, 'utf8') : '').toBe('');
    });
  }
});
