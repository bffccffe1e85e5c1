/**
 * Trace replay against theory. Traces come from generating sources (records made as the
 * replay reads them, a batch at a time), so millions of records never sit in memory.
 *
 * - Poisson arrivals, exponential service, one slot: the M/M/1 mean 1/(μ-λ) and p99
 *   ln(100)/(μ-λ), with the tolerances of theory.test.ts (2 % and 3 % at ρ = 0.5 over
 *   200 s, 4 % and 6 % at ρ = 0.9 over 600 s).
 * - I/Os that never overlap: each completion latency is exactly one service time.
 * - Closed loop: IOPS = min(N, c)/S with a fixed service time, exactly.
 * - fio's rule for stalls: an I/O due while iodepth are in flight waits for a completion,
 *   and the gaps after it count from its issue.
 */
import { describe, expect, it } from 'vitest';
import { dir, p, relErr, singleDevice } from '../helpers.js';
import { simulate } from '../../src/model/simulate.js';
import { Rng } from '../../src/random/rng.js';
import type { TraceRecord } from '../../src/trace/record.js';
import { memorySources, type TraceSource, type TraceSources } from '../../src/model/trace-source.js';
import type { TraceReplaySpec } from '../../src/scenario/types.js';

const S_US = 100;
/** A traced job may write, so its device needs write settings even when the trace only reads. */
const WRITE = { latency: { dist: 'fixed', value: '10us' } };
const MU = 1e6 / S_US;

/** Poisson arrivals at `rate` per second until `spanUs`, 4 KiB reads at uniform offsets over 1 GiB. */
function poissonSource(rate: number, spanUs: number, seed: number): TraceSource {
  const rng = Rng.fromSeed(seed);
  let t = 0;
  let line = 0;
  return {
    name: 'poisson',
    badRecords: () => 0,
    next: () => {
      const out: TraceRecord[] = [];
      while (out.length < 4096) {
        t += (-1e6 / rate) * Math.log(1 - rng.next());
        if (t > spanUs) break;
        out.push({ timeUs: t, offsetBytes: Math.floor(rng.next() * 262144) * 4096, sizeBytes: 4096, direction: 'read', file: 'sda', completeUs: undefined, line: ++line });
      }
      return out;
    },
  };
}

const generated = (open: (spec: TraceReplaySpec) => TraceSource): TraceSources => ({ open, traceSizeBytes: () => 2 ** 30 });

function replayScenario(device: Record<string, unknown>, job: Record<string, unknown>, duration: string, ramp = '0s') {
  return singleDevice(device, { j: { trace: 'gen', iodepth: 65536, ...job } }, { duration, ramp });
}

describe('replay of a Poisson trace on an M/M/1 device', () => {
  for (const rho of [0.5, 0.9]) {
    it(`at utilization ${rho}: mean = 1/(μ-λ), p99 = ln(100)/(μ-λ)`, () => {
      const lambda = rho * MU;
      const seconds = rho > 0.8 ? 600 : 200;
      const s = replayScenario({ parallelism: 1, read: { latency: { dist: 'exponential', mean: `${S_US}us` } }, write: WRITE }, {}, `${seconds + 2}s`, '2s');
      const r = simulate(s, { traces: generated(() => poissonSource(lambda, (seconds + 2) * 1e6, 7)) });
      const d = dir(r, 'c.j');
      const meanUs = 1e6 / (MU - lambda);
      const p99Us = (Math.log(100) * 1e6) / (MU - lambda);
      expect(relErr(d.clat.meanNs / 1e3, meanUs)).toBeLessThan(rho > 0.8 ? 0.04 : 0.02);
      expect(relErr(p(d, 99) / 1e3, p99Us)).toBeLessThan(rho > 0.8 ? 0.06 : 0.03);
      expect(relErr(d.iops, lambda)).toBeLessThan(0.01);
      expect(relErr(r.devices[0]!.utilization, rho)).toBeLessThan(0.02);
      // every arrival found room: none waited, so the replay kept the trace's own times
      expect(r.jobs[0]!.replay!.stalls).toBe(0);
    }, 60_000);
  }
});

describe('replay of I/Os that never overlap', () => {
  // gaps of 150-1000 µs, longer than any service time, so no I/O ever waits
  function sparse(n: number, seed: number): TraceRecord[] {
    const rng = Rng.fromSeed(seed);
    let t = 0;
    return Array.from({ length: n }, (_, i) => {
      t += 150 + rng.next() * 850;
      return { timeUs: t, offsetBytes: Math.floor(rng.next() * 1000) * 4096, sizeBytes: 4096, direction: rng.next() < 0.7 ? 'read' : 'write', file: 'sda', completeUs: undefined, line: i + 2 };
    });
  }

  it('a fixed service time gives exactly that latency to every I/O', () => {
    const s = singleDevice({ parallelism: 1, read: { latency: { dist: 'fixed', value: '100us' } }, write: { latency: { dist: 'fixed', value: '40us' } } }, { j: { trace: 't', iodepth: 1 } }, { duration: '20s', ramp: '0s' });
    const records = sparse(20_000, 3);
    const r = simulate(s, { traces: memorySources({ t: records }) });
    const read = dir(r, 'c.j', 'read');
    const write = dir(r, 'c.j', 'write');
    expect(read.totalIos + write.totalIos).toBe(20_000);
    expect([read.clat.minNs, read.clat.maxNs]).toEqual([100_000, 100_000]);
    expect([write.clat.minNs, write.clat.maxNs]).toEqual([40_000, 40_000]);
    // the job ran from its start to its last completion, as fio's runtime does
    const lastUs = records[records.length - 1]!.timeUs - records[0]!.timeUs + 40;
    expect(r.jobs[0]!.replay!.endedUs).toBeCloseTo(records[records.length - 1]!.direction === 'read' ? lastUs + 60 : lastUs, 6);
    expect(read.runtimeMs).toBe(Math.round(r.jobs[0]!.replay!.endedUs! / 1000));
  });

  it('an empirical service time gives its own distribution, value for value', () => {
    const values = [50, 80, 120];
    const weights = [0.5, 0.3, 0.2];
    const s = singleDevice({ parallelism: 1, read: { latency: { dist: 'empirical', unit: 'us', values, weights } }, write: { latency: { dist: 'fixed', value: '10us' } } }, { j: { trace: 't' } }, { duration: '100s', ramp: '0s' });
    const r = simulate(s, { traces: memorySources({ t: sparse(50_000, 5) }) });
    const read = dir(r, 'c.j');
    // exactly three latencies; json+ bins key each by its histogram bucket (within 1/128 of the value)
    expect(read.clat.minNs).toBe(50_000);
    expect(read.clat.maxNs).toBe(120_000);
    const bins = read.clat.bins!;
    expect(bins).toHaveLength(3);
    bins.forEach(([ns], i) => expect(relErr(ns, values[i]! * 1000)).toBeLessThan(1 / 128));
    bins.forEach(([, count], i) => expect(Math.abs(count / read.totalIos - weights[i]!)).toBeLessThan(4 * Math.sqrt((weights[i]! * (1 - weights[i]!)) / read.totalIos)));
  });
});

describe('closed-loop replay (replay_no_stall)', () => {
  for (const n of [4, 32]) {
    it(`iodepth ${n} on 8 slots with fixed service S: IOPS = min(N, 8)/S`, () => {
      const s = singleDevice({ parallelism: 8, read: { latency: { dist: 'fixed', value: `${S_US}us` } }, write: WRITE }, { j: { trace: { file: 'gen', mode: 'closed' }, iodepth: n } }, { duration: '5s', ramp: '1s' });
      // the trace's own times (a slow Poisson stream) play no part
      const r = simulate(s, { traces: generated(() => poissonSource(10, 1e12, 9)) });
      expect(relErr(dir(r, 'c.j').iops, (Math.min(n, 8) * 1e6) / S_US)).toBeLessThan(0.001);
    });
  }
});

describe("stalls follow fio's read_iolog", () => {
  it('an I/O due with iodepth in flight waits for a completion; later gaps count from its issue', () => {
    const rec = (timeUs: number, i: number): TraceRecord => ({ timeUs, offsetBytes: i * 4096, sizeBytes: 4096, direction: 'read', file: 'sda', completeUs: undefined, line: i + 1 });
    // gaps of 10 µs against a 100 µs service at iodepth 1: each I/O waits for the one before
    const s = singleDevice({ parallelism: 4, read: { latency: { dist: 'fixed', value: '100us' } }, write: WRITE }, { j: { trace: 't', iodepth: 1 } }, { duration: '1s', ramp: '0s' });
    const r = simulate(s, { traces: memorySources({ t: [rec(1000, 0), rec(1010, 1), rec(1020, 2), rec(5020, 3)] }) });
    const replay = r.jobs[0]!.replay!;
    // issued at 0, 100 (due 10), 200 (due 110); the fourth 4000 µs after the third: 4200
    expect(replay.stalls).toBe(2);
    expect(replay.stallUs).toBeCloseTo(90 + 90, 9);
    expect(replay.endedUs).toBeCloseTo(4300, 9);
    expect(dir(r, 'c.j').clat.maxNs).toBe(100_000);
  });
});

describe('traced and synthetic jobs in one scenario', () => {
  it("each replays its own trace (every clone all of it), Little's law holds for every job, and the device serves them all", () => {
    const s = singleDevice(
      { parallelism: 4, read: { latency: { dist: 'exponential', mean: '50us' } }, write: { latency: { dist: 'exponential', mean: '20us' } }, cpu: { submit: '2us', complete: '2us' } },
      {
        poisson: { trace: 'poisson', iodepth: 32, numjobs: 2 },
        scaled: { trace: { file: 'poisson', speed: 2, remap: 'scale', traceSize: '1GiB' }, iodepth: 32, size: '16MiB' },
        closed: { trace: { file: 'poisson', mode: 'closed' }, iodepth: 2, runtime: '100ms' },
        synth: { rw: 'randrw', bs: '8k', iodepth: 4 },
      },
      { duration: '10s', ramp: '0s' },
    );
    const r = simulate(s, { traces: generated(() => poissonSource(2000, 8e6, 21)) });
    const job = (n: string) => r.jobs.find((j) => j.name === `c.${n}`)!;
    const records = job('scaled').replay!.records;
    expect(records).toBeGreaterThan(15_000);
    expect(job('poisson').read.totalIos).toBe(2 * records);
    // speed 2: the same trace in half the time, so one clone's IOPS are two clones' at speed 1
    expect(job('scaled').read.totalIos).toBe(records);
    expect(relErr(job('scaled').read.iops, job('poisson').read.iops)).toBeLessThan(0.02);
    // scale: 1 GiB of offsets onto 16 MiB moves nearly every one
    expect(job('scaled').replay!.remapped).toBeGreaterThan(records * 0.9);
    expect(job('scaled').replay!.endedUs).toBeLessThan(4.1e6);
    // closed loop within its 1 s runtime: the window ends the replay before the trace does
    expect(job('closed').replay!.endedUs).toBeUndefined();
    for (const j of r.jobs) {
      const ios = j.read.totalIos + j.write.totalIos;
      const iops = j.read.iops + j.write.iops;
      const latUs = (j.read.lat.meanNs * j.read.totalIos + j.write.lat.meanNs * j.write.totalIos) / ios / 1e3;
      expect(relErr(j.meanInflight!, (iops * latUs) / 1e6), j.name).toBeLessThan(0.01);
    }
    // the device counts every completion; the closed job's window ends with its 2 I/Os in flight, which complete after it
    const counted = r.jobs.reduce((n, j) => n + j.read.totalIos + j.write.totalIos, 0);
    expect(r.devices[0]!.completedIos - counted).toBeGreaterThanOrEqual(0);
    expect(r.devices[0]!.completedIos - counted).toBeLessThanOrEqual(2);
  });
});
