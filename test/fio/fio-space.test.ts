/**
 * fio lays out a target file up to the end of its furthest job; on a file system without
 * that much room blocksim refuses with the figures before fio starts, and `--size` measures
 * over a smaller span, which the results state. On a 48 MiB ext4 file system.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blocksimIn } from '../cli-runner.js';
import { Scratch, missingForRealDevices, sh } from '../real/system.js';

const scratch = new Scratch();
afterAll(() => scratch.cleanup());

const BIG = `
name: big-volume
duration: 1s
devices:
  d: { parallelism: 4, read: { latency: { dist: exponential, mean: 50us } }, write: { latency: { dist: exponential, mean: 30us } } }
volumes:
  v: { device: d, size: 1GiB }
containers:
  app: { volumes: [v], jobs: { rw: { rw: randrw, bs: 4k, iodepth: 2 } } }
`;

const why = missingForRealDevices(['fio', 'losetup', 'mkfs.ext4', 'mount']);
describe.skipIf(why !== undefined)(`fio run and the target's free space${why ? ` (skipped: ${why})` : ''}`, () => {
  const dir = scratch.tempDir('blocksim-fio-space-');
  const mnt = join(dir, 'mnt');
  const ready = (): void => {
    if (existsSync(join(mnt, 'lost+found'))) return;
    mkdirSync(mnt, { recursive: true });
    const dev = scratch.loopDevice(48);
    sh('mkfs.ext4', ['-q', '-F', dev]);
    scratch.mount(dev, mnt);
    writeFileSync(join(dir, 's.yaml'), BIG);
  };

  it('refuses a 1 GiB layout on a 48 MiB file system with the figures, before fio starts', () => {
    ready();
    const target = join(mnt, 'v.dat');
    const r = blocksimIn(dir, ['fio', 'run', 's.yaml', '--target', `v=${target}`, '--out', 'res']);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/--target v: fio would lay out 1 GiB in .*v\.dat, but its file system has [\d.]+ MiB free: measure over a smaller span with --size 16 MiB, or give a target with more room/);
    expect(existsSync(target)).toBe(false);
    expect(existsSync(join(dir, 'res'))).toBe(false);
  });

  it('--size measures over a smaller span, and the results and report say so', () => {
    ready();
    const target = join(mnt, 'v.dat');
    const r = blocksimIn(dir, ['fio', 'run', 's.yaml', '--target', `v=${target}`, '--out', 'res', '--size', '16MiB']);
    expect(r.code, r.err).toBe(0);
    const note = 'volume v: measured over its first 16 MiB instead of 1 GiB (--size)';
    expect(r.out).toContain(`note: ${note}`);
    expect(readFileSync(join(dir, 'res', 'job.fio'), 'utf8')).toMatch(/^size=16777216$/m);
    expect(JSON.parse(readFileSync(join(dir, 'res', 'results.json'), 'utf8')).notes[0]).toContain(note);
    expect(readFileSync(join(dir, 'res', 'report.html'), 'utf8')).toContain(note);
    expect(readdirSync(mnt).sort()).toEqual(['lost+found', 'v.dat', 'v.dat.blocksim']);
  });
});
