/**
 * Phases run one after another on the same volume state, with snapshots between them;
 * fio's random map and randrepeat decide which blocks each run writes, so the number of
 * first writes after a snapshot is known exactly.
 */
import { describe, expect, it } from 'vitest';
import { relErr, run, scenarioFrom } from '../helpers.js';
import { parseScenarioText } from '../../src/scenario/normalize.js';
import { renderJobFile } from '../../src/fio/jobfile.js';

const base = (phases: unknown[], job: Record<string, unknown> = {}, snapshots: Record<string, unknown> = { chunk: '4k', mode: 'cow' }) => ({
  name: 'phased', seed: 5, duration: '2s',
  devices: { d: { parallelism: 8, read: { latency: { dist: 'fixed', value: '100us' } }, write: { latency: { dist: 'fixed', value: '50us' } } } },
  volumes: { v: { device: 'd', size: '40MiB', snapshots } }, // 10,240 blocks
  containers: { c: { volumes: ['v'], jobs: { w: { rw: 'randwrite', bs: '4k', rate_iops: 2000, iodepth: 64, ...job } } } },
  phases,
});

describe('phases', () => {
  it('run one after another: each phase starts when the previous one ends, jobs named <job>@<phase>', () => {
    const s = scenarioFrom(base([{ name: 'a', duration: '1s' }, { name: 'b', duration: '2s', jobs: { 'c.w': { rate_iops: 1000 } } }], {}, { chunk: '4k', at: ['1h'] }));
    const jobs = s.containers[0]!.jobs;
    expect(jobs.map((j) => [j.phase, j.startdelayUs, j.runtimeUs])).toEqual([['a', 0, 1e6], ['b', 1e6, 2e6]]);
    const r = run(s);
    expect(r.jobs.map((j) => j.name)).toEqual(['c.w@a', 'c.w@b']);
    expect(r.jobs[0]!.write.totalIos).toBe(2000);
    expect(r.jobs[1]!.write.totalIos).toBe(2000);
    expect(r.jobs[1]!.write.runtimeMs).toBe(2000);
  });

  it('a snapshot between phases: the run after it pays a first write for every block (random map), a repeat run none (randrepeat)', () => {
    const s = scenarioFrom(
      base([
        { name: 'fill', duration: '4s' }, // blocks P[0..8000) of the job's permutation
        { snapshot: 'v' },
        { name: 'after', duration: '2s' }, // P[0..4000) again: all shared with the snapshot
        { name: 'again', duration: '2s' }, // P[0..4000) a third time: already copied
      ]),
    );
    const r = run(s);
    const copies = r.volumes![0]!.cowCopies;
    expect(r.volumes![0]!.snapshotsTaken).toBe(1);
    expect(copies).toBe(4000);
    const phaseIops = (name: string) => r.jobs.find((j) => j.name === `c.w@${name}`)!.write;
    // cow: chunk read + chunk write + data write at fixed service, so latency shows it
    expect(phaseIops('after').clat.meanNs).toBeGreaterThan(phaseIops('again').clat.meanNs * 2);
  });

  it('randrepeat off: the next run draws a new order, and the expected first writes follow the hypergeometric law', () => {
    const s = scenarioFrom(
      base([
        { name: 'fill', duration: '4s' },
        { snapshot: 'v' },
        { name: 'after', duration: '2s' },
        { name: 'fresh', duration: '2s', jobs: { 'c.w': { randrepeat: 0 } } },
      ]),
    );
    const r = run(s);
    // 4000 blocks copied by 'after'; 'fresh' writes 4000 of 10,240 blocks in a new order:
    // each is new with probability 6240/10240.
    const fresh = r.volumes![0]!.cowCopies - 4000;
    expect(relErr(fresh, 4000 * (6240 / 10240))).toBeLessThan(0.03);
  });

  it('norandommap: draws with replacement, so a repeat run still finds chunks it has not written', () => {
    const s = scenarioFrom(base([{ name: 'after', duration: '2s' }, { name: 'again', duration: '2s' }], { norandommap: 1 }, { chunk: '4k', mode: 'cow', at: [0] }));
    const r = run(s);
    const N = 10240;
    const n = 8000; // both runs draw the same 4000 offsets (randrepeat), with replacement
    expect(relErr(r.volumes![0]!.cowCopies, N * (1 - (1 - 1 / N) ** (n / 2)))).toBeLessThan(0.02);
  });

  it('the job file runs phases in order (stonewall) and says where the snapshot goes', () => {
    const s = scenarioFrom(base([{ name: 'fill', duration: '4s' }, { snapshot: 'v' }, { name: 'after', duration: '2s' }]));
    const text = renderJobFile(s, { v: '/tmp/x' });
    expect(text).toMatch(/\[c\.w@fill\]\nfilename/);
    expect(text).toMatch(/; before phase after: take a snapshot of v[^\n]*\n\[c\.w@after\]\nstonewall\n/);
    expect(text).toMatch(/runtime=4000000us/);
  });

  it('reports phase mistakes with their paths', () => {
    const text = `name: t
duration: 1s
devices: { d: { read: { latency: { dist: fixed, value: 1us } }, write: { latency: { dist: fixed, value: 1us } } } }
volumes: { v: { device: d, size: 1GiB }, u: { device: d, size: 1GiB, snapshots: { chunk: 4k } } }
containers: { c: { volumes: [v], jobs: { w: { rw: randwrite } } } }
phases:
  - { name: a }
  - { name: a, jobs: { c.x: {} } }
  - { snapshot: [v, nope] }
`;
    const r = parseScenarioText(text);
    expect(r.ok).toBe(false);
    const msgs = r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
    expect(msgs).toContain('phases[1].name: another phase is named "a"');
    expect(msgs.some((m) => m.startsWith('phases[1].jobs.c.x: no job "c.x"'))).toBe(true);
    expect(msgs.some((m) => m.startsWith('phases[2].snapshot: no volume named "nope"'))).toBe(true);
    expect(msgs).toContain('phases[2].snapshot: volume v has no snapshots settings: give volumes.v.snapshots (chunk, mode)');
    expect(msgs).toContain('volumes.u.snapshots: give every (a period), at (a list of times), or take them in phases (- snapshot: NAME)');
  });
});
