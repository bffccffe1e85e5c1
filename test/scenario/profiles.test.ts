import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILTIN_PROFILES } from '../../src/scenario/profiles.js';
import { normalizeScenario } from '../../src/scenario/normalize.js';
import { loadScenario } from '../../src/adapters/load-scenario.js';
import { InputError } from '../../src/scenario/issues.js';

const base = (device: Record<string, unknown>) => ({
  name: 't', duration: '1s',
  devices: { d: device },
  volumes: { v: { device: 'd', size: '1GiB' } },
  containers: { c: { volumes: ['v'], jobs: { j: { rw: 'randrw' } } } },
});

describe('device profiles', () => {
  it('every built-in profile is a valid device and cites a source', () => {
    for (const [name, p] of Object.entries(BUILTIN_PROFILES)) {
      const r = normalizeScenario(base({ profile: name }));
      expect(r.ok, `${name}: ${JSON.stringify(!r.ok && r.issues)}`).toBe(true);
      expect(p.source.length).toBeGreaterThan(40);
    }
  });

  it('fields given in the scenario override the profile; limits merge key by key', () => {
    const r = normalizeScenario(base({ profile: 'gp3', parallelism: 4, limits: { iops: 6000 } }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const d = r.scenario.devices[0]!;
    expect(d.parallelism).toBe(4);
    expect(d.limits.iops?.rateIops).toBe(6000);
    expect(d.limits.bandwidth?.bytesPerSec).toBe(125 * 2 ** 20); // kept from the profile
  });

  it('an unknown profile is an error with its path', () => {
    const r = normalizeScenario(base({ profile: 'floppy' }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]!.path).toBe('devices.d.profile');
  });

  const dir = mkdtempSync(join(tmpdir(), 'blocksim-profile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('profile: ./file.yaml reads a profile file next to the scenario', async () => {
    writeFileSync(join(dir, 'mine.yaml'), 'name: mine\ndevice:\n  parallelism: 3\n  read: { latency: { dist: fixed, value: 70us } }\n  write: { latency: { dist: fixed, value: 20us } }\n');
    writeFileSync(join(dir, 's.yaml'), JSON.stringify(base({ profile: './mine.yaml' })));
    const { scenario } = await loadScenario(join(dir, 's.yaml'));
    expect(scenario.devices[0]!.parallelism).toBe(3);
    writeFileSync(join(dir, 'bad.yaml'), JSON.stringify(base({ profile: './missing.yaml' })));
    await expect(loadScenario(join(dir, 'bad.yaml'))).rejects.toBeInstanceOf(InputError);
  });
});
