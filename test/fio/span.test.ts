import { describe, expect, it } from 'vitest';
import { limitSpan, spanEnds } from '../../src/fio/span.js';
import { renderJobFile } from '../../src/fio/jobfile.js';
import { suggestedSpan } from '../../src/adapters/target-space.js';
import { scenarioFrom } from '../helpers.js';

const GiB = 2 ** 30;

const big = () => scenarioFrom({
  name: 'big', duration: '1s',
  devices: { d: { parallelism: 4, read: { latency: { dist: 'fixed', value: '50us' } }, write: { latency: { dist: 'fixed', value: '50us' } } } },
  volumes: { pg: { device: 'd', size: '2TiB', blockSize: '4k' }, small: { device: 'd', size: '1GiB' } },
  containers: {
    db: { replicas: 2, volumes: ['pg'], jobs: { all: { rw: 'randrw', bs: '8k' }, tail: { rw: 'write', bs: '64k', offset: '1TiB', size: '512GiB' } } },
    app: { volumes: ['small'], jobs: { r: { rw: 'randread' } } },
  },
});

describe('measured span', () => {
  it('spanEnds is the end of the furthest job on each volume', () => {
    expect(spanEnds(big())).toEqual(new Map([['pg', 2048 * GiB], ['small', GiB]]));
  });

  it('limitSpan scales every job of a volume that does not fit, keeping their places; a volume that fits is left alone', () => {
    const { scenario, notes } = limitSpan(big(), 8 * GiB);
    const jobs = Object.fromEntries(scenario.containers.flatMap((c) => c.jobs.map((j) => [`${c.name}.${j.name}`, [j.spanOffsetBytes, j.spanSizeBytes]])));
    expect(jobs).toEqual({ 'db.all': [0, 8 * GiB], 'db.tail': [4 * GiB, 2 * GiB], 'app.r': [0, GiB] });
    expect(spanEnds(scenario).get('pg')).toBe(8 * GiB);
    expect(notes).toEqual(['volume pg: measured over its first 8 GiB instead of 2 TiB (--size): each job\'s offset and size scaled by 0.00391']);
    expect(renderJobFile(scenario)).toContain(`offset=${4 * GiB}\nsize=${2 * GiB}`);
  });

  it('aligns to the block size and never goes below a job\'s largest block', () => {
    const { scenario } = limitSpan(big(), 100_000);
    for (const c of scenario.containers) for (const j of c.jobs) {
      expect(j.spanOffsetBytes % 4096).toBe(0);
      expect(j.spanSizeBytes % 4096).toBe(0);
      expect(j.spanSizeBytes).toBeGreaterThanOrEqual(Math.max(...j.bs.write.sizesBytes, ...j.bs.read.sizesBytes));
      expect(j.spanOffsetBytes + j.spanSizeBytes).toBeLessThanOrEqual(100_000);
    }
  });

  it('suggests a power-of-two span that leaves a fifth of the free space', () => {
    expect(suggestedSpan(61.3 * GiB, 1)).toBe(32 * GiB);
    expect(suggestedSpan(61.3 * GiB, 2)).toBe(16 * GiB);
    expect(suggestedSpan(10 * 2 ** 20, 1)).toBe(8 * 2 ** 20);
  });
});
