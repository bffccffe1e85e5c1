import { describe, expect, it } from 'vitest';
import { normalizeScenario } from '../../src/scenario/normalize.js';
import { referenceIssues } from '../../src/scenario/references.js';

const base = {
  name: 'refs',
  duration: '1s',
  devices: { d0: { parallelism: 2, read: { latency: { dist: 'fixed', value: 50 } }, write: { latency: { dist: 'fixed', value: 50 } } } },
  pools: { p: { devices: ['d0', 'gone'], capacity: '1TiB' } },
  volumes: { v: { device: 'nosuch', size: '1GiB' }, t: { pool: 'nopool', size: '1GiB' } },
  containers: { app: { volumes: ['v', 'w'], jobs: { r: { rw: 'randread', volume: 'x' } } } },
};

describe('dangling references', () => {
  it('are listed beside field problems in one pass', () => {
    const r = normalizeScenario({ ...base, devices: { d0: { ...base.devices.d0, parallelism: 0 } } });
    expect(r.ok).toBe(false);
    const paths = r.ok ? [] : r.issues.map((i) => i.path);
    expect(paths).toContain('devices.d0.parallelism');
    expect(paths).toEqual(expect.arrayContaining(['volumes.v.device', 'volumes.t.pool', 'pools.p.devices[1]', 'containers.app.volumes[1]', 'containers.app.jobs.r.volume']));
  });

  it('name what exists, as the typed check does', () => {
    expect(referenceIssues(base)).toEqual([
      { path: 'pools.p.devices[1]', message: 'no device named "gone"' },
      { path: 'volumes.v.device', message: 'no device named "nosuch" (devices: d0)' },
      { path: 'volumes.t.pool', message: 'no pool named "nopool" (pools: p)' },
      { path: 'containers.app.volumes[1]', message: 'no volume named "w" (volumes: v, t)' },
      { path: 'containers.app.jobs.r.volume', message: 'no volume named "x" (volumes: v, t)' },
    ]);
  });

  it('leave values that are not names to the schema, and find nothing in a sound scenario', () => {
    expect(referenceIssues({ volumes: { v: { device: 5 } }, containers: 'x' })).toEqual([]);
    expect(referenceIssues({ devices: { d: {} }, volumes: { v: { device: 'd' } }, containers: { c: { volumes: ['v'], jobs: { j: {} } } } })).toEqual([]);
  });
});
