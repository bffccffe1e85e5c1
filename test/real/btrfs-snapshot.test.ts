/**
 * A real copy-on-write check: random 4 KiB writes with fio on a `chattr +C` file in
 * btrfs (on a loop device over /dev/shm), before and after `btrfs subvolume snapshot`,
 * against the simulator's snapshot model for the same workload. The model's one snapshot
 * parameter (the redirect-on-write metadata cost) is set from the measured slowdown; the
 * test reports both slowdowns and checks that the model reproduces the measured one.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Scratch, missingForRealDevices, sh } from './system.js';
import { scenarioFrom, run } from '../helpers.js';

const why = missingForRealDevices(['fio', 'mkfs.btrfs', 'btrfs', 'losetup', 'chattr']);
const scratch = new Scratch();
afterAll(() => scratch.cleanup());

const SPAN_MIB = 256;
const RUNTIME_S = 3;

interface FioPhase {
  iops: number;
  clatMeanUs: number;
  ios: number;
}

function fioRandwrite(file: string): FioPhase {
  const out = sh('fio', [
    '--name=w', `--filename=${file}`, '--rw=randwrite', '--bs=4k', '--iodepth=1', '--ioengine=libaio', '--direct=1',
    `--size=${SPAN_MIB}m`, `--runtime=${RUNTIME_S}`, '--time_based', '--norandommap', '--randrepeat=0', '--output-format=json',
  ]);
  const w = JSON.parse(out.slice(out.indexOf('{'))).jobs[0].write;
  return { iops: w.iops, clatMeanUs: w.clat_ns.mean / 1e3, ios: w.total_ios };
}

describe.skipIf(why !== undefined)(`btrfs snapshot copy-on-write, measured and simulated${why ? ` (skipped: ${why})` : ''}`, () => {
  it('the measured slowdown after a snapshot and the simulated one agree once the model is set', () => {
    const dev = scratch.loopDevice(1024);
    sh('mkfs.btrfs', ['-q', '-f', dev]);
    const mnt = scratch.tempDir('blocksim-btrfs-');
    scratch.mount(dev, mnt);
    sh('btrfs', ['subvolume', 'create', join(mnt, 'vol')]);
    const file = join(mnt, 'vol', 'data');
    sh('touch', [file]);
    sh('chattr', ['+C', file]);
    sh('dd', ['if=/dev/zero', `of=${file}`, 'bs=1M', `count=${SPAN_MIB}`, 'oflag=direct', 'status=none']);

    const before = fioRandwrite(file);
    sh('btrfs', ['subvolume', 'snapshot', join(mnt, 'vol'), join(mnt, 'snap')]);
    const after = fioRandwrite(file);
    const measured = before.iops / after.iops;

    // Set the model: writes cost what they cost before the snapshot (exponential service
    // with the measured mean); after it, the first write to each 4 KiB block pays a metadata
    // cost. The share of first writes among n uniform writes over N blocks is
    // N(1 - (1 - 1/N)^n) / n, so the cost that matches the measured time per write is:
    const blocks = (SPAN_MIB * 2 ** 20) / 4096;
    const firstShare = (blocks * (1 - (1 - 1 / blocks) ** after.ios)) / after.ios;
    const costUs = Math.max(0, (1e6 / after.iops - 1e6 / before.iops) / firstShare);
    // What fio spends per I/O outside the device (submission, reaping) is the issuing-side CPU.
    const cpuUs = Math.max(0, 1e6 / before.iops - before.clatMeanUs);
    const sim = run(
      scenarioFrom({
        name: 'btrfs-snapshot', seed: 1, duration: `${2 * RUNTIME_S}s`, timeline: `${RUNTIME_S}s`,
        devices: { loop: { parallelism: 1, read: { latency: { dist: 'exponential', mean: `${before.clatMeanUs}us` } }, write: { latency: { dist: 'exponential', mean: `${before.clatMeanUs}us` } }, cpu: { submit: `${cpuUs}us` } } },
        volumes: { vol: { device: 'loop', size: `${SPAN_MIB}MiB`, snapshots: { at: [`${RUNTIME_S}s`], chunk: '4k', mode: 'row', metadataCost: `${costUs}us` } } },
        containers: { c: { volumes: ['vol'], jobs: { w: { rw: 'randwrite', bs: '4k', iodepth: 1 } } } },
      }),
    );
    const phases = sim.timeline!.filter((t) => t.entity === 'job' && t.metric === 'iops').map((t) => t.value);
    const simulated = phases[0]! / phases[1]!;
    console.log(
      `btrfs nodatacow file, 4 KiB random writes QD1, ${RUNTIME_S} s each: measured ${before.iops.toFixed(0)} -> ${after.iops.toFixed(0)} IOPS ` +
        `(slowdown ${measured.toFixed(2)}x); simulated slowdown ${simulated.toFixed(2)}x with a first-write cost of ${costUs.toFixed(1)} µs`,
    );
    expect(Math.abs(simulated - measured) / measured).toBeLessThan(0.15);
    expect(sim.volumes![0]!.cowCopies).toBeGreaterThan(0);
  });
});
