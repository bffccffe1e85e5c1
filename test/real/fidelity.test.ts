/**
 * Fidelity on the devices this machine has (issue 12's protocol, short runs): a file on
 * the root disk, a loop device over /dev/shm, zram, and btrfs on a loop device. For each,
 * every point is measured twice (so the spread of the measurement itself is known), a
 * profile is calibrated from the 5 calibration runs and the 6 others are predicted.
 *
 * The bounds scale with the measured spread: an error within a few times what two runs
 * of the same job differ by cannot be told from noise, while a broken model or fit (no
 * host CPU, the wrong saturation point) is off by far more than that at depth. On a quiet
 * machine the spread is a few %, so the floors apply; `npm run bench:fidelity` measures
 * the same protocol with 5-second runs for the README's table.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Scratch, btrfsFile, missingForRealDevices, prefill } from './system.js';
import { measurePoint } from '../../src/adapters/fio-measure.js';
import { waitForQuiet } from '../../src/adapters/host-load.js';
import { pointNamed, type SweepGrid } from '../../src/fio/sweep.js';
import { CALIBRATION_POINTS, PREDICTED_POINTS, fidelity, formatFidelity, type FidelitySummary, type ProtocolPoint } from '../../src/compare/fidelity.js';
import type { MeasuredInput } from '../../src/compare/measured-points.js';

const why = missingForRealDevices(['fio', 'losetup', 'dd', 'mkfs.btrfs']);
const scratch = new Scratch();
afterAll(() => scratch.cleanup());

const RUNTIME_US = Number(process.env.FIDELITY_RUNTIME_S ?? 1.5) * 1e6;
const SPAN_MIB = 256;

async function protocol(target: string): Promise<FidelitySummary> {
  const work = mkdtempSync(join(tmpdir(), 'blocksim-fidelity-'));
  const grid: SweepGrid = { rw: [], bs: [], iodepth: [], numjobs: [], repeat: 2, runtimeUs: RUNTIME_US, rampUs: 500_000, sizeBytes: SPAN_MIB * 2 ** 20, ioengine: 'libaio' };
  const measure = async (points: ProtocolPoint[]): Promise<MeasuredInput[]> => {
    const out: MeasuredInput[] = [];
    for (let rep = 1; rep <= 2; rep++) {
      for (const p of points) {
        await waitForQuiet({ idleShare: 0.5, sampleMs: 1000, timeoutMs: 20_000 });
        const point = pointNamed({ ...p, repetition: rep }, 2);
        const run = await measurePoint(point, grid, target, work);
        out.push({ file: point.name, results: run.results, ...(run.host.cpu ? { host: { cores: run.host.cores, cpu: run.host.cpu } } : {}) });
      }
    }
    return out;
  };
  try {
    return fidelity(await measure(CALIBRATION_POINTS), await measure(PREDICTED_POINTS));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function check(device: string, s: FidelitySummary, floor: { iops: number; p99: number }): void {
  console.log(formatFidelity(device, s));
  const iopsBound = Math.max(floor.iops, 3 * s.spread.iops);
  const p99Bound = Math.max(floor.p99, 3 * s.spread.p99);
  expect(s.errors.length).toBe(7); // 6 points, the mixed one in both directions
  expect(s.median.iops).toBeLessThan(iopsBound);
  expect(s.median.p99).toBeLessThan(p99Bound);
}

describe.skipIf(why !== undefined)(`fidelity on real devices${why ? ` (skipped: ${why})` : ''}`, () => {
  it('loop device over /dev/shm', async () => {
    const dev = scratch.loopDevice(SPAN_MIB + 16);
    prefill(dev, SPAN_MIB);
    check('loop over /dev/shm', await protocol(dev), { iops: 0.3, p99: 1 });
  }, 600_000);

  it('zram', async () => {
    const dev = scratch.zramDevice(SPAN_MIB + 16);
    prefill(dev, SPAN_MIB);
    check('zram', await protocol(dev), { iops: 0.3, p99: 1 });
  }, 600_000);

  it('file on the root disk', async () => {
    check('file on the root disk', await protocol(scratch.diskFile(scratch.tempDir('blocksim-disk-'), SPAN_MIB)), { iops: 0.3, p99: 1 });
  }, 600_000);

  it('btrfs on a loop device over /dev/shm', async () => {
    // btrfs drifts between the calibration runs and the predicted ones (measured after
    // them): one clean-clone run predicted all but one point 17-49 % too fast, repetitions
    // 9.5 % apart (median IOPS error 34 %), another 14 %; the floor allows that drift
    check('btrfs on a loop device', await protocol(btrfsFile(scratch, SPAN_MIB)), { iops: 0.5, p99: 1 });
  }, 600_000);
});
