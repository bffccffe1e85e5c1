/**
 * Fidelity on the devices this machine has: a file on the root disk, a loop device over
 * /dev/shm and a zram device. For each: measure 13 short fio runs, calibrate a profile
 * from 4 of them, predict the other 9 and report the median errors (README states them as
 * the tool's measured accuracy). The bounds asserted are loose on purpose: 2-second runs
 * on a shared 2-core machine vary a lot (a run of this suite beside other work saw the
 * root-disk file's p99 error go from 24 % to 260 %), so they catch a broken model or
 * calibration, not noise.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { median } from 'simple-statistics';
import { Scratch, missingForRealDevices } from './system.js';
import { runFio } from '../../src/adapters/fio-runner.js';
import { parseFioJson } from '../../src/fio/parse.js';
import { renderSweepJob, type SweepGrid, type SweepPoint } from '../../src/fio/sweep.js';
import { calibrate } from '../../src/compare/calibrate.js';
import { predictFromProfile } from '../../src/compare/predict.js';
import { errorFigures } from '../../src/compare/error-figures.js';
import type { Results } from '../../src/results/types.js';

const why = missingForRealDevices(['fio', 'losetup', 'dd']);
const scratch = new Scratch();
afterAll(() => scratch.cleanup());

const RUNTIME_US = Number(process.env.FIDELITY_RUNTIME_S ?? 2) * 1e6;
type Point = Pick<SweepPoint, 'rw' | 'bs' | 'iodepth' | 'numjobs'> & { mix?: number };
const CALIBRATE: Point[] = [
  { rw: 'randread', bs: 4096, iodepth: 1, numjobs: 1 },
  { rw: 'randwrite', bs: 4096, iodepth: 1, numjobs: 1 },
  { rw: 'randread', bs: 4096, iodepth: 16, numjobs: 1 },
  { rw: 'read', bs: 1048576, iodepth: 4, numjobs: 1 },
];
const PREDICT: Point[] = [
  { rw: 'randread', bs: 4096, iodepth: 4, numjobs: 1 },
  { rw: 'randread', bs: 4096, iodepth: 64, numjobs: 1 },
  { rw: 'randwrite', bs: 4096, iodepth: 4, numjobs: 1 },
  { rw: 'randwrite', bs: 4096, iodepth: 16, numjobs: 1 },
  { rw: 'read', bs: 65536, iodepth: 4, numjobs: 1 },
  { rw: 'write', bs: 65536, iodepth: 4, numjobs: 1 },
  { rw: 'write', bs: 1048576, iodepth: 4, numjobs: 1 },
  { rw: 'randrw', bs: 4096, iodepth: 8, numjobs: 1 },
  { rw: 'randread', bs: 4096, iodepth: 8, numjobs: 2 },
];

async function measure(target: string, p: Point, work: string): Promise<{ file: string; results: Results }> {
  const name = `${p.rw}-${p.bs}-qd${p.iodepth}-nj${p.numjobs}`;
  const grid: SweepGrid = { rw: [p.rw], bs: [p.bs], iodepth: [p.iodepth], numjobs: [p.numjobs], repeat: 1, runtimeUs: RUNTIME_US, sizeBytes: 256 * 2 ** 20, ioengine: 'libaio' };
  const job = join(work, `${name}.fio`);
  const out = join(work, `${name}.json`);
  writeFileSync(job, renderSweepJob({ ...p, name, repetition: 1 }, grid, target));
  await runFio({ jobFile: job, outputFile: out, expectedSeconds: RUNTIME_US / 1e6 });
  return { file: name, results: parseFioJson(readFileSync(out, 'utf8')) };
}

interface Accuracy {
  iops: number;
  p50: number;
  p99: number;
  demerit: number;
  n: number;
}

async function fidelity(target: string): Promise<Accuracy> {
  const work = mkdtempSync(join(tmpdir(), 'blocksim-fidelity-'));
  try {
    const cal = [];
    for (const p of CALIBRATE) cal.push(await measure(target, p, work));
    const fit = calibrate(cal);
    const errs = { iops: [] as number[], p50: [] as number[], p99: [] as number[], demerit: [] as number[] };
    for (const p of PREDICT) {
      const m = await measure(target, p, work);
      for (const pair of predictFromProfile(m.results, fit.device).pairs) {
        const e = errorFigures(pair.predicted, pair.measured);
        errs.iops.push(Math.abs(e.iops));
        errs.p50.push(Math.abs(e.p50));
        errs.p99.push(Math.abs(e.p99));
        errs.demerit.push(e.demeritPct);
      }
    }
    return { iops: median(errs.iops), p50: median(errs.p50), p99: median(errs.p99), demerit: median(errs.demerit), n: errs.iops.length };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const report = (device: string, a: Accuracy): void =>
  console.log(`fidelity ${device}: calibrated from 4 runs, ${a.n} predictions: median |error| IOPS ${(a.iops * 100).toFixed(1)} %, p50 ${(a.p50 * 100).toFixed(1)} %, p99 ${(a.p99 * 100).toFixed(1)} %, demerit ${(a.demerit * 100).toFixed(1)} % of mean`);

describe.skipIf(why !== undefined)(`fidelity on real devices${why ? ` (skipped: ${why})` : ''}`, () => {
  it('loop device over /dev/shm', async () => {
    const a = await fidelity(scratch.loopDevice(300));
    report('loop over /dev/shm', a);
    expect(a.iops).toBeLessThan(0.75);
    expect(a.p99).toBeLessThan(1.5);
  }, 300_000);

  it('zram', async () => {
    const a = await fidelity(scratch.zramDevice(300));
    report('zram', a);
    expect(a.iops).toBeLessThan(0.75);
    expect(a.p99).toBeLessThan(1.5);
  }, 300_000);

  it('file on the root disk', async () => {
    const a = await fidelity(scratch.diskFile(scratch.tempDir('blocksim-disk-'), 256));
    report('file on the root disk', a);
    expect(a.iops).toBeLessThan(0.9);
    expect(a.p99).toBeLessThan(4);
  }, 300_000);
});
