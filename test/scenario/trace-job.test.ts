/** The `trace` job option: forms, defaults, refusals with paths (scenario/trace-job.ts). */
import { describe, expect, it } from 'vitest';
import { normalizeScenario } from '../../src/scenario/normalize.js';
import { applyPoint } from '../../src/sweep/grid.js';

const DIR = { latency: { dist: 'fixed', value: '10us' } };
const scenario = (job: Record<string, unknown>, device: Record<string, unknown> = { read: DIR, write: DIR }) => ({
  name: 't',
  duration: '1s',
  devices: { d: device },
  volumes: { v: { device: 'd', size: '1GiB' } },
  containers: { c: { volumes: ['v'], jobs: { j: job } } },
});

function issues(job: Record<string, unknown>, device?: Record<string, unknown>): string[] {
  const r = normalizeScenario(scenario(job, device));
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
}

function job(input: Record<string, unknown>) {
  const r = normalizeScenario(scenario(input));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.scenario.containers[0]!.jobs[0]!;
}

describe('trace: the forms', () => {
  it('a path alone: open loop at speed 1, offsets wrapped, bad records stop', () => {
    const j = job({ trace: './app.iolog', iodepth: 8 });
    expect(j.trace).toEqual({ file: './app.iolog', mode: 'open', speed: 1, remap: 'wrap', skipBad: false });
    expect(j.iodepth).toBe(8);
    expect(j.options).toEqual({ trace: './app.iolog', iodepth: '8' });
  });

  it('a map with every key, and the job keeps its span, depth and window', () => {
    const j = job({ trace: { file: 'x.txt', format: 'blkparse', mode: 'closed', speed: 0.5, remap: 'scale', traceSize: '2TiB', device: '8,16', skipBad: true }, offset: '256m', size: '512m', numjobs: 2, runtime: 3, startdelay: 1 });
    expect(j.trace).toEqual({ file: 'x.txt', format: 'blkparse', mode: 'closed', speed: 0.5, remap: 'scale', traceSizeBytes: 2 ** 41, device: '8,16', skipBad: true });
    expect([j.spanOffsetBytes, j.spanSizeBytes, j.numjobs, j.runtimeUs, j.startdelayUs]).toEqual([2 ** 28, 2 ** 29, 2, 3e6, 1e6]);
    expect(j.options['trace.mode']).toBe('closed');
  });
});

describe('trace: refusals', () => {
  it('refuses the options of a synthetic pattern beside it, each at its path', () => {
    expect(issues({ trace: 'a', rw: 'randread', bssplit: '4k/50:8k/50', rate_iops: 100, random_distribution: 'zipf:1.1' })).toEqual([
      'containers.c.jobs.j.rw: not with trace: the trace gives each I/O its direction',
      'containers.c.jobs.j.bssplit: not with trace: the trace gives each I/O its size',
      'containers.c.jobs.j.rate_iops: not with trace: the trace gives the times; use trace.speed to scale them',
      'containers.c.jobs.j.random_distribution: not with trace: the trace gives the offsets',
    ]);
  });

  it('checks its keys and values', () => {
    expect(issues({ trace: { file: 'a', sped: 2 } })).toEqual(['containers.c.jobs.j.trace.sped: unknown key (did you mean "speed"?)']);
    expect(issues({ trace: { file: 'a', mode: 'fast', speed: 0, format: 'binary' } })).toEqual([
      'containers.c.jobs.j.trace.format: expected iolog2, iolog3, blkparse or csv, got "binary"',
      'containers.c.jobs.j.trace.mode: expected open (recorded times) or closed (as fast as iodepth allows), got "fast"',
      'containers.c.jobs.j.trace.speed: expected a number of at least 0.001, got 0',
    ]);
    expect(issues({ trace: { file: 'a', traceSize: '1g' } })).toEqual(['containers.c.jobs.j.trace.traceSize: traceSize is used by remap: scale only']);
    expect(issues({ trace: 42 })[0]).toMatch(/^containers\.c\.jobs\.j\.trace: expected the path of a trace file, or a map with file/);
    expect(issues({ trace: { mode: 'open' } })[0]).toMatch(/^containers\.c\.jobs\.j\.trace\.file: missing/);
  });

  it("points fio's replay options to trace", () => {
    expect(issues({ read_iolog: 'app.iolog' })).toEqual(["containers.c.jobs.j.read_iolog: fio's read_iolog: replay a trace with trace: FILE (blocksim writes the read_iolog fio replays)"]);
    expect(issues({ trace: 'a', replay_no_stall: 1 })).toEqual(["containers.c.jobs.j.replay_no_stall: fio's replay_no_stall: say trace: { file, mode: closed }"]);
  });

  it('needs a device that can both read and write, since a trace may do both', () => {
    expect(issues({ trace: 'a' }, { read: DIR })).toEqual(['devices.d.write: missing: job c.j writes to this device']);
  });
});

describe('trace in sweeps', () => {
  it('a varied key of the short form turns it into its map, the file kept', () => {
    const raw = scenario({ trace: './app.iolog', iodepth: 4 });
    const varied = applyPoint(raw, { index: 0, values: { 'containers.c.jobs.j.trace.speed': 2 }, repetition: 1, seed: 5 });
    const r = normalizeScenario(varied);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.scenario.containers[0]!.jobs[0]!.trace).toMatchObject({ file: './app.iolog', speed: 2 });
  });
});
