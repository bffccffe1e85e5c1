/** `blocksim fio run` for real: a short run on a preallocated file, and the safety refusals. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blocksimIn } from '../cli-runner.js';
import { Scratch, missingForRealDevices, sh, which } from '../real/system.js';
import { parseFioJson } from '../../src/fio/parse.js';

const blocksim = (cwd: string, ...args: string[]) => blocksimIn(cwd, args);

const scratch = new Scratch();
afterAll(() => scratch.cleanup());


const TWO = `
name: fio-e2e
duration: 3s
devices:
  d: { parallelism: 4, read: { latency: { dist: exponential, mean: 50us } }, write: { latency: { dist: exponential, mean: 30us } } }
volumes:
  v: { device: d, size: 256MiB }
containers:
  reader: { volumes: [v], jobs: { r: { rw: randread, bs: 4k, iodepth: 4 } } }
  writer: { replicas: 2, volumes: [v], jobs: { w: { rw: randwrite, bs: 4k, iodepth: 2, size: 128MiB } } }
`;

describe.skipIf(!which('fio'))(`blocksim fio run${which('fio') ? '' : ' (skipped: fio is not installed)'}`, () => {
  it('runs two containers on a 256 MiB preallocated file for 3 s and reads every job back', () => {
    const dir = scratch.tempDir('blocksim-fio-run-');
    writeFileSync(join(dir, 's.yaml'), TWO);
    const target = join(dir, 'v.dat');
    sh('fallocate', ['-l', '256M', target]);
    writeFileSync(`${target}.blocksim`, 'test file\n'); // created for blocksim
    const r = blocksim(dir, 'fio', 'run', 's.yaml', '--target', `v=${target}`, '--out', 'res', '--quiet');
    expect(r.code, r.err).toBe(0);
    const results = parseFioJson(readFileSync(join(dir, 'res', 'fio.json'), 'utf8'));
    expect(results.jobs.map((j) => j.name).sort()).toEqual(['reader.r', 'writer.0.w', 'writer.1.w']);
    for (const j of results.jobs) {
      const d = j.name.startsWith('reader') ? j.read : j.write;
      expect(d.iops, j.name).toBeGreaterThan(0);
      expect(d.clat.percentiles!.find((p) => p.pct === 99)!.ns, j.name).toBeGreaterThan(0);
    }
    expect(existsSync(join(dir, 'res', 'job.fio'))).toBe(true);
  });

  it('refuses to overwrite a file blocksim did not create, and keeps earlier results', () => {
    const dir = scratch.tempDir('blocksim-fio-safe-');
    writeFileSync(join(dir, 's.yaml'), TWO);
    const precious = join(dir, 'precious.txt');
    writeFileSync(precious, 'keep me');
    const r = blocksim(dir, 'fio', 'run', 's.yaml', '--target', `v=${precious}`, '--out', 'res');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/was not created by blocksim/);
    expect(readFileSync(precious, 'utf8')).toBe('keep me');
  });

  const why = missingForRealDevices(['losetup', 'mkfs.ext4', 'blkid']);
  it.skipIf(why !== undefined)(`refuses a write workload on a loop device with a file system, and on a blank one without --allow-destructive${why ? ` (skipped: ${why})` : ''}`, () => {
    const dir = scratch.tempDir('blocksim-fio-dev-');
    writeFileSync(join(dir, 's.yaml'), TWO);
    const withFs = scratch.loopDevice(300);
    sh('mkfs.ext4', ['-q', '-F', withFs]);
    const a = blocksim(dir, 'fio', 'run', 's.yaml', '--target', `v=${withFs}`, '--allow-destructive');
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/holds data \(ext4\)/);
    const blank = scratch.loopDevice(300);
    const b = blocksim(dir, 'fio', 'run', 's.yaml', '--target', `v=${blank}`);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/--allow-destructive/);
  });

  it('a fio that is too old, or that is killed, is an outside failure: exit 3, earlier results kept', () => {
    const dir = scratch.tempDir('blocksim-fio-fake-');
    writeFileSync(join(dir, 's.yaml'), TWO);
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const fake = (body: string) => writeFileSync(join(bin, 'fio'), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
    fake('echo fio-3.1');
    const old = blocksimIn(dir, ['fio', 'run', 's.yaml', '--out', 'res'], env);
    expect(old.code).toBe(3);
    expect(old.err).toMatch(/fio 3\.1 is too old/);
    mkdirSync(join(dir, 'res'));
    writeFileSync(join(dir, 'res', 'fio.json'), 'earlier');
    fake('if [ "$1" = "--version" ]; then echo fio-3.33; exit 0; fi\nkill -9 $$');
    const killed = blocksimIn(dir, ['fio', 'run', 's.yaml', '--out', 'res'], env);
    expect(killed.code).toBe(3);
    expect(killed.err).toMatch(/fio was killed by SIGKILL/);
    expect(readFileSync(join(dir, 'res', 'fio.json'), 'utf8')).toBe('earlier');
  });

  it('a missing fio is an outside failure: exit 3', () => {
    const dir = scratch.tempDir('blocksim-fio-missing-');
    writeFileSync(join(dir, 's.yaml'), TWO);
    const r = blocksimIn(dir, ['fio', 'run', 's.yaml'], { ...process.env, PATH: '/nonexistent' });
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/fio is not installed/);
  });
});
