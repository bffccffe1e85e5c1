/**
 * What a first write to a chunk shared with a snapshot costs, against hand-computed values
 * with fixed service times: submission time holds the issuing thread (so it caps a deep
 * queue, which a pure delay would not), device time holds the slot, stalls queue on the
 * volume's one flusher, and a chunk pays once.
 */
import { describe, expect, it } from 'vitest';
import { dir, relErr, run, scenarioFrom } from '../helpers.js';

const scenario = (firstWrite: Record<string, unknown>, job: Record<string, unknown>, parallelism = 1) =>
  scenarioFrom({
    name: 'fw', seed: 2, duration: '2s',
    devices: { d: { parallelism, read: { latency: { dist: 'fixed', value: '100us' } }, write: { latency: { dist: 'fixed', value: '50us' } } } },
    volumes: { v: { device: 'd', size: '1GiB', snapshots: { at: [0], chunk: '4k', mode: 'row', firstWrite } } }, // 262,144 chunks
    containers: { c: { volumes: ['v'], jobs: { w: { rw: 'randwrite', bs: '4k', ...job } } } },
  });

describe('first write after a snapshot', () => {
  it('submit time is slat and adds to each first write: QD1 IOPS = 1 / (50 + 30) µs', () => {
    const r = run(scenario({ submit: '30us' }, { iodepth: 1 }));
    const w = dir(r, 'c.w', 'write');
    expect(relErr(w.iops, 1e6 / 80)).toBeLessThan(0.001);
    expect(relErr(w.slat.meanNs / 1e3, 30)).toBeLessThan(0.001);
    expect(relErr(w.clat.meanNs / 1e3, 50)).toBeLessThan(0.001);
  });

  it('submit time holds the thread: at QD16 on 16 slots one job is capped at 1 / 30 µs, not 16 / 80 µs', () => {
    const r = run(scenario({ submit: '30us' }, { iodepth: 16 }, 16));
    expect(relErr(dir(r, 'c.w', 'write').iops, 1e6 / 30)).toBeLessThan(0.01);
  });

  it('device time holds the slot: QD1 IOPS = 1 / (50 + 20) µs', () => {
    const r = run(scenario({ device: '20us' }, { iodepth: 1 }));
    const w = dir(r, 'c.w', 'write');
    expect(relErr(w.iops, 1e6 / 70)).toBeLessThan(0.001);
    expect(relErr(w.clat.meanNs / 1e3, 70)).toBeLessThan(0.001);
  });

  it('a stall every 10 first writes of 1 ms: QD1 mean slat = 1000 / 10 µs', () => {
    const r = run(scenario({ stall: { every: 10, duration: '1ms' } }, { iodepth: 1 }));
    const w = dir(r, 'c.w', 'write');
    expect(relErr(w.slat.meanNs / 1e3, 100)).toBeLessThan(0.01);
    expect(relErr(w.iops, 1e6 / 150)).toBeLessThan(0.01);
  });

  it('stalls queue on the one flusher: it caps the volume at `every` first writes per stall duration', () => {
    // alone, two threads would write 2 / 150 µs = 13.3k first writes per second; the one
    // flusher stalls one in 10 for 1 ms and serves them in turn, so at most 10 per ms pass
    // (the two threads' random orders differ, so some writes land on chunks the other wrote: not first writes)
    const two = run(scenario({ stall: { every: 10, duration: '1ms' } }, { iodepth: 1, numjobs: 2 }, 2));
    const firstWritesPerSec = two.volumes![0]!.cowCopies / 2;
    expect(firstWritesPerSec).toBeLessThanOrEqual(10_000 * 1.01);
    expect(firstWritesPerSec).toBeGreaterThan(10_000 * 0.95);
  });

  it('a chunk pays once: a second pass over the same blocks (randrepeat) writes at the plain speed', () => {
    const s = scenarioFrom({
      name: 'fw2', seed: 2, duration: '1s',
      devices: { d: { parallelism: 1, write: { latency: { dist: 'fixed', value: '50us' } } } },
      volumes: { v: { device: 'd', size: '1GiB', snapshots: { chunk: '4k', mode: 'row', firstWrite: { submit: '30us' } } } },
      containers: { c: { volumes: ['v'], jobs: { w: { rw: 'randwrite', bs: '4k', iodepth: 1 } } } },
      phases: [{ snapshot: 'v' }, { name: 'first', duration: '1s' }, { name: 'again', duration: '500ms' }],
    });
    const r = run(s);
    expect(relErr(r.jobs.find((j) => j.name === 'c.w@first')!.write.iops, 1e6 / 80)).toBeLessThan(0.001);
    expect(relErr(r.jobs.find((j) => j.name === 'c.w@again')!.write.iops, 1e6 / 50)).toBeLessThan(0.001);
  });
});

describe('background work of first writes on the host cores', () => {
  // 16 slots of 50 µs: the device alone could do 320k IOPS. The job thread spends 5 µs
  // (cpu.submit) + 10 µs (firstWrite.submit) per write on a core; the filesystem's workers
  // 15 µs more per first write, on any core.
  const withHost = (cores: number | undefined, background = '15us') =>
    run(
      scenarioFrom({
        name: 'bg', seed: 3, duration: '1s', ramp: '50ms',
        ...(cores !== undefined ? { host: { cores } } : {}),
        devices: { d: { parallelism: 16, write: { latency: { dist: 'fixed', value: '50us' } }, cpu: { submit: '5us' } } },
        volumes: { v: { device: 'd', size: '4GiB', snapshots: { at: [0], chunk: '4k', mode: 'row', firstWrite: { submit: '10us', background } } } }, // 1M chunks: every write is a first write
        containers: { c: { volumes: ['v'], jobs: { w: { rw: 'randwrite', bs: '4k', iodepth: 16 } } } },
      }),
    );

  it('on 1 core it adds to the thread\'s work: IOPS = 1 / (5 + 10 + 15) µs', () => {
    expect(relErr(dir(withHost(1), 'c.w', 'write').iops, 1e6 / 30)).toBeLessThan(0.01);
  });

  it('on 2 cores it runs beside the thread: IOPS = 1 / (5 + 10) µs, as without it', () => {
    expect(relErr(dir(withHost(2), 'c.w', 'write').iops, 1e6 / 15)).toBeLessThan(0.01);
  });

  it('on 2 cores, 30 µs of it per first write makes the cores the limit: IOPS = 2 / (15 + 30) µs', () => {
    expect(relErr(dir(withHost(2, '30us'), 'c.w', 'write').iops, 2e6 / 45)).toBeLessThan(0.01);
  });

  it('without a host model it holds nothing: IOPS = 1 / (5 + 10) µs', () => {
    expect(relErr(dir(withHost(undefined), 'c.w', 'write').iops, 1e6 / 15)).toBeLessThan(0.01);
  });
});
