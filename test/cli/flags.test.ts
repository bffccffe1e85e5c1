/**
 * A mistyped or unknown flag is refused before the command does anything: exit 2, the
 * flag named, no file written, fio never started. One case per command family with
 * arguments that would otherwise succeed (so the handler would have side effects); every
 * other command that `--help` lists gets the generic check.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blocksimIn, repoRoot } from '../cli-runner.js';

const work = mkdtempSync(join(tmpdir(), 'blocksim-flags-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const fixture = join(repoRoot, 'test/fixtures/fio/randrw-qd4-jsonplus.json');
const fioLog = join(work, 'fio-called.log');
/** A fio that records every call: the tests check it was never started. */
const env = { ...process.env, PATH: `${join(work, 'bin')}:${process.env.PATH}` };
const blocksim = (...args: string[]) => blocksimIn(work, args, env);

const SMALL = `
name: flags
seed: 5
duration: 50ms
devices:
  d0: { parallelism: 2, read: { latency: { dist: fixed, value: 50us } }, write: { latency: { dist: fixed, value: 20us } } }
volumes:
  v0: { device: d0, size: 1GiB }
containers:
  app: { volumes: [v0], jobs: { rand: { rw: randrw, iodepth: 4 } } }
`;

/** Every file under the work folder with its size and modification time. */
function snapshot(dir = work): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .sort()
    .map((f) => {
      const st = statSync(join(dir, f));
      return `${f} ${st.size} ${st.mtimeMs}`;
    });
}

beforeAll(() => {
  writeFileSync(join(work, 'small.yaml'), SMALL);
  writeFileSync(join(work, 'other.yaml'), SMALL.replace('name: flags', 'name: other').replace('parallelism: 2', 'parallelism: 4'));
  writeFileSync(join(work, 'profile.yaml'), 'name: p\ndevice:\n  parallelism: 4\n  read: { latency: { dist: fixed, value: 60us } }\n  write: { latency: { dist: fixed, value: 60us } }\n');
  mkdirSync(join(work, 'bin'));
  writeFileSync(join(work, 'bin', 'fio'), `#!/bin/sh\necho "$@" >> ${fioLog}\nif [ "$1" = "--version" ]; then echo fio-3.33; exit 0; fi\nexit 1\n`, { mode: 0o755 });
  const r = blocksim('run', 'small.yaml', '--out', 'res', '--quiet');
  expect(r.code, r.err).toBe(0);
});

/** Family → arguments that succeed, plus a mistyped flag. */
const CASES: Record<string, string[]> = {
  run: ['run', 'small.yaml', '--out', 'res', '--sed', '3'],
  validate: ['validate', 'small.yaml', '--strict-mode'],
  sweep: ['sweep', 'small.yaml', '--vary', 'containers.app.replicas=1,2', '--workers', '1', '--out', 'sw', '--repeats', '2'],
  capacity: ['capacity', 'small.yaml', '--vary', 'containers.app.replicas=1..4', '--slo', 'p99<=1ms', '--repeat', '1', '--jobs', 'app'],
  'compare-layouts': ['compare-layouts', 'small.yaml', 'other.yaml', '--out', 'lay', '--sloo', 'p99<=1ms'],
  'fio jobfile': ['fio', 'jobfile', 'small.yaml', '-o', 'job.fio', '--taget', 'v0=x.dat'],
  'fio run': ['fio', 'run', 'small.yaml', '--out', 'fr', '--taget', 'v0=new.dat'],
  'fio sweep': ['fio', 'sweep', '--target', 'sweep.dat', '--out', 'fs', '--runtim', '1s'],
  calibrate: ['calibrate', fixture, '-o', 'prof.yaml', '--nme', 'x'],
  compare: ['compare', '--measured', fixture, '--profile', 'profile.yaml', '--out', 'cmp', '--tolerence', 'iops=1000%'],
  regress: ['regress', '--baseline', fixture, '--current', fixture, '--junit', 'junit.xml', '--tolerence', 'iops=1%'],
  report: ['report', 'res', '--bogus'],
  profiles: ['profiles', '--bogus'],
};

function expectRefused(args: string[], why = /Unknown argument/): void {
  const before = snapshot();
  const r = blocksim(...args);
  expect(r.code, r.err).toBe(2);
  expect(r.err).toMatch(why);
  expect(r.err).not.toMatch(/internal error/);
  expect(r.out).toBe('');
  expect(snapshot()).toEqual(before);
  expect(existsSync(fioLog) ? readFileSync(fioLog, 'utf8') : '').toBe('');
}

describe('an unknown flag is refused before any side effect', () => {
  for (const [family, args] of Object.entries(CASES)) {
    it(family, () => expectRefused(args));
  }

  it('the arguments above without the mistyped flag do run (so the refusal is the flag)', () => {
    const r = blocksim('run', 'small.yaml', '--out', 'res2', '--seed', '3', '--quiet');
    expect(r.code, r.err).toBe(0);
    expect(existsSync(join(work, 'res2', 'fio.json'))).toBe(true);
    rmSync(join(work, 'res2'), { recursive: true });
  });

  it('every other command and subcommand listed by --help refuses an unknown flag too', () => {
    // the "Commands:" section of a help text, up to the first blank line
    const commandsOf = (help: string, prefix: string): string[] => {
      const section = help.split('\nCommands:\n')[1]?.split('\n\n')[0] ?? '';
      return [...section.matchAll(new RegExp(`^\\s+blocksim ${prefix}([a-z][a-z0-9-]*)`, 'gm'))].map((m) => `${prefix}${m[1]}`);
    };
    const top = commandsOf(blocksim('--help').out, '');
    expect(top).toContain('run');
    const all = top.flatMap((c) => {
      const sub = commandsOf(blocksim(c, '--help').out, `${c} `);
      return sub.length > 0 ? sub : [c];
    });
    expect(all.sort()).toEqual(expect.arrayContaining(Object.keys(CASES).sort()));
    for (const c of all.filter((x) => !(x in CASES))) {
      // without its required arguments a command may name those first; either way nothing runs
      expectRefused([...c.split(' '), '--surely-not-a-flag'], /Unknown argument|Missing required argument|Not enough non-option arguments/);
    }
  });

  it('bad flag values are refused before fio starts: a client list that cannot be read, an ioengine with a newline', () => {
    const a = blocksim('fio', 'run', 'small.yaml', '--client', '@nohosts.txt', '--out', 'fr');
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/--client @nohosts.txt: cannot read the list of hosts \(ENOENT\)/);
    const b = blocksim('fio', 'sweep', '--target', 'sweep.dat', '--ioengine', 'libaio\nexec_prerun=touch pwned', '--out', 'fs');
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/--ioengine: expected the name of a fio ioengine/);
    const c = blocksim('fio', 'sweep', '--target', 'sweep.dat', '--max-disturbed', '1.5', '--out', 'fs');
    expect(c.code).toBe(2);
    expect(c.err).toMatch(/--max-disturbed: expected a share of the cores from 0 to 1, got 1.5/);
    const d = blocksim('fio', 'sweep', '--target', 'sweep.dat', '--attempts', '0', '--out', 'fs');
    expect(d.code).toBe(2);
    expect(d.err).toMatch(/--attempts: expected a whole number from 1 to 20, got 0/);
    expect(existsSync(fioLog) ? readFileSync(fioLog, 'utf8') : '').toBe('');
  });
});
