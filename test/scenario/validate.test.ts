import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../src/scenario/normalize.js';
import { formatIssue } from '../../src/scenario/issues.js';

const GOOD = `
name: t
duration: 5s
devices:
  d0:
    parallelism: 4
    read: { latency: { dist: fixed, value: 100us } }
    write: { latency: { dist: exponential, mean: 50us } }
volumes:
  v0: { device: d0, size: 1GiB }
containers:
  db:
    volumes: [v0]
    jobs:
      oltp: { rw: randrw, bs: 8k, iodepth: 4 }
`;

function problems(text: string): string[] {
  const r = parseScenarioText(text);
  if (r.ok) return [];
  return r.issues.map(formatIssue);
}

describe('scenario validation', () => {
  it('accepts a good scenario and applies defaults', () => {
    const r = parseScenarioText(GOOD);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const job = r.scenario.containers[0]!.jobs[0]!;
    expect(job.readRatio).toBe(0.5);
    expect(job.bs.read.sizesBytes).toEqual([8192]);
    expect(job.spanSizeBytes).toBe(2 ** 30);
    expect(r.scenario.seed).toBe(1);
    expect(r.scenario.containers[0]!.replicas).toBe(1);
  });

  it('accepts the same scenario as JSON', () => {
    const json = JSON.stringify({
      name: 't', duration: '5s',
      devices: { d0: { read: { latency: { dist: 'fixed', value: '100us' } } } },
      volumes: { v0: { device: 'd0', size: '1GiB' } },
      containers: { c: { volumes: ['v0'], jobs: { r: { rw: 'randread' } } } },
    });
    expect(parseScenarioText(json).ok).toBe(true);
  });

  it("bare numbers in times mean fio's unit for the option (runtime, ramp_time, startdelay: s; thinktime: µs) and need a unit elsewhere", () => {
    const text = (over: string) => `name: t
duration: 5
ramp: 0.5
devices:
  d0: { read: { latency: { dist: fixed, value: ${over} } } }
volumes:
  v0: { device: d0, size: 1GiB }
containers:
  c: { volumes: [v0], jobs: { r: { rw: randread, thinktime: 100, startdelay: 2 } } }
`;
    const r = parseScenarioText(text('100us'));
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.scenario.durationUs).toBe(5e6);
    expect(r.scenario.rampUs).toBe(0.5e6);
    expect(r.scenario.containers[0]!.jobs[0]!.thinktimeUs).toBe(100);
    expect(r.scenario.containers[0]!.jobs[0]!.startdelayUs).toBe(2e6);
    expect(problems(text('100'))).toEqual(['devices.d0.read.latency.value: expected a time with a unit, like 100us, 100ms or 100s, got 100 (a bare number has no agreed unit here)']);
  });

  it('empirical latencies take a unit for bare values, or a unit on each value', () => {
    const base = (latency: string) => `name: t\nduration: 1s\ndevices:\n  d0: { read: { latency: ${latency} } }\nvolumes:\n  v0: { device: d0, size: 1GiB }\ncontainers:\n  c: { volumes: [v0], jobs: { r: { rw: randread } } }\n`;
    const ok = parseScenarioText(base('{ dist: empirical, unit: us, values: [10, 20.5], weights: [1, 1] }'));
    if (!ok.ok) throw new Error(JSON.stringify(ok.issues));
    expect(ok.scenario.devices[0]!.read!.latency).toEqual({ dist: 'empirical', valuesUs: [10, 20.5], weights: [1, 1] });
    const ms = parseScenarioText(base('{ dist: empirical, values: [1ms, 2ms], weights: [1, 3] }'));
    expect(ms.ok && ms.scenario.devices[0]!.read!.latency).toEqual({ dist: 'empirical', valuesUs: [1000, 2000], weights: [1, 3] });
    expect(problems(base('{ dist: empirical, values: [10, 20us], weights: [1, 1] }'))).toEqual([
      'devices.d0.read.latency.values[0]: expected a time with a unit, like 10us, 10ms or 10s, got 10 (a bare number has no agreed unit here)',
    ]);
  });

  it('reports an empty file', () => {
    expect(problems('')).toEqual(['the file is empty: expected a scenario with name, duration, devices, volumes and containers']);
    expect(problems('   \n# only a comment\n')[0]).toMatch(/expected a map/);
  });

  it('reports a YAML syntax error without a stack', () => {
    const p = problems('name: t\ndevices: { d0: [\n');
    expect(p.length).toBeGreaterThan(0);
    expect(p[0]).toMatch(/^not valid YAML or JSON: /);
  });

  it('reports every problem at once, each with its path', () => {
    const bad = GOOD.replace('parallelism: 4', 'parallelism: four')
      .replace('size: 1GiB', 'size: -5GiB')
      .replace('iodepth: 4', 'iodepth: 0')
      .replace('bs: 8k', 'bs: 8q');
    const p = problems(bad);
    expect(p).toContain('devices.d0.parallelism: expected a positive integer, got "four"');
    expect(p).toContain('containers.db.jobs.oltp.iodepth: expected a positive integer, got 0');
    expect(p.some((x) => x.startsWith('volumes.v0.size: expected a size'))).toBe(true);
  });

  it('refuses a 10 EiB volume and iodepth 1e9', () => {
    const p = problems(GOOD.replace('size: 1GiB', 'size: 10EiB').replace('iodepth: 4', 'iodepth: 1e9'));
    expect(p).toContain('volumes.v0.size: expected a size of at most 8 PiB, got "10EiB"');
    expect(p).toContain('containers.db.jobs.oltp.iodepth: expected a positive integer of at most 65536, got 1000000000');
  });

  it('unknown keys are errors, with a suggestion for typos', () => {
    const p = problems(GOOD.replace('parallelism: 4', 'paralelism: 4').replace('iodepth: 4', 'iodepht: 4'));
    expect(p).toContain('devices.d0.paralelism: unknown key (did you mean "parallelism"?)');
    expect(p).toContain('containers.db.jobs.oltp.iodepht: unknown key (did you mean "iodepth"?)');
  });

  it('fio options the simulator does not model are refused by name', () => {
    const p = problems(GOOD.replace('iodepth: 4', 'iodepth: 4, fsync: 1'));
    expect(p[0]).toMatch(/^containers\.db\.jobs\.oltp\.fsync: the fio option "fsync" is not modeled/);
  });

  it('references to undefined devices and volumes are errors', () => {
    const p = problems(GOOD.replace('device: d0', 'device: d9').replace('volumes: [v0]', 'volumes: [v0, v7]'));
    expect(p).toContain('volumes.v0.device: no device named "d9" (devices: d0)');
    expect(p).toContain('containers.db.volumes[1]: no volume named "v7" (volumes: v0)');
  });

  it('wrong types and bad enum values', () => {
    const p = problems(GOOD.replace('rw: randrw', 'rw: sideways').replace('dist: fixed, value: 100us', 'dist: weibull, value: 100us'));
    expect(p).toContain('containers.db.jobs.oltp.rw: expected one of read, write, randread, randwrite, rw, readwrite, randrw, got "sideways"');
    expect(p).toContain('devices.d0.read.latency.dist: expected one of fixed, exponential, lognormal, empirical, got "weibull"');
    expect(problems(GOOD.replace('containers:', 'containers: 7\nx:')).length).toBeGreaterThan(0);
  });

  it('a job whose device lacks the direction it uses is an error', () => {
    const p = problems(GOOD.replace("    write: { latency: { dist: exponential, mean: 50us } }\n", ''));
    expect(p).toContain('devices.d0.write: missing: job db.oltp writes to this device');
  });

  it('checks lognormal parameters, bssplit shares and spans', () => {
    const p = problems(
      GOOD.replace('dist: fixed, value: 100us', 'dist: lognormal, p50: 100us, p99: 50us')
        .replace('bs: 8k', 'bssplit: 4k/50:64k/40'),
    );
    expect(p).toContain('devices.d0.read.latency.p99: p99 must be above p50 (100 µs), got 50 µs');
    expect(p).toContain('containers.db.jobs.oltp.bssplit: shares must add up to 100, got 90');
    const span = problems(GOOD.replace('iodepth: 4', 'iodepth: 4, offset: 1GiB, size: 4k'));
    expect(span).toContain('containers.db.jobs.oltp.size: offset + size (1073745920 bytes) exceeds volume v0 (1073741824 bytes)');
    expect(span).toContain('containers.db.jobs.oltp.bs: block size 8192 exceeds the 4096 bytes the job addresses');
  });

  it('names must be usable as fio job names', () => {
    expect(problems(GOOD.replace('  db:', '  "d b":'))).toContain('containers.d b: a name must be letters, digits, "-" and "_", starting with a letter or digit, at most 63 characters');
  });

  it('fio semantics: rate_iops applies per direction; readwrite means rw; sync engines run at depth 1', () => {
    const r = parseScenarioText(GOOD.replace('rw: randrw, bs: 8k, iodepth: 4', 'rw: readwrite, rate_iops: 300, ioengine: psync, iodepth: 8, rwmixwrite: 20'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const job = r.scenario.containers[0]!.jobs[0]!;
    expect(job.rw).toBe('rw');
    expect(job.rateIops).toEqual({ read: 300, write: 300 });
    expect(job.iodepth).toBe(1);
    expect(job.readRatio).toBeCloseTo(0.8);
  });
});

describe('storage layout validation', () => {
  const layout = (volume: string, extra = '') => `
name: t
duration: 5s
devices:
  d0: { read: { latency: { dist: fixed, value: 100us } }, write: { latency: { dist: fixed, value: 50us } } }
  d1: { read: { latency: { dist: fixed, value: 100us } }, write: { latency: { dist: fixed, value: 50us } } }
${extra}
volumes:
  v0: ${volume}
containers:
  db: { volumes: [v0], jobs: { w: { rw: randwrite } } }
`;

  it('accepts each placement', () => {
    expect(problems(layout('{ device: d0, size: 1GiB, snapshots: { every: 1s, keep: 2 } }'))).toEqual([]);
    expect(problems(layout('{ pool: p0, size: 1GiB }', 'pools:\n  p0: { devices: [d0, d1], capacity: 10GiB }'))).toEqual([]);
    expect(problems(layout('{ size: 1GiB, replicated: { devices: [d0, d1], writeAck: quorum, network: { latency: 100us, bandwidth: 10Gbit/s } } }'))).toEqual([]);
  });

  it('reports layout mistakes with their paths', () => {
    expect(problems(layout('{ device: d0, pool: p0, size: 1GiB }', 'pools:\n  p0: { devices: [d0], capacity: 10GiB }'))).toContain('volumes.v0: give exactly one of device, pool or replicated');
    expect(problems(layout('{ size: 1GiB, replicated: { devices: [d0, d1], writeAck: 3, network: { latency: 1ms, bandwidth: 1GB/s } } }'))).toContain('volumes.v0.replicated.writeAck: expected at most 2 (the number of replicas), got 3');
    expect(problems(layout('{ device: d0, size: 1GiB, snapshots: { keep: 2 } }'))).toContain('volumes.v0.snapshots: give every (a period), at (a list of times), or take them in phases (- snapshot: NAME)');
    expect(problems(layout('{ device: d0, size: 1GiB, thin: true }'))).toContain('volumes.v0.thin: thin provisioning needs a pool');
    expect(problems(layout('{ device: d0, size: 1GiB, limits: { credits: { baseline: 100, balance: 1000 } } }'))).toContain('volumes.v0.limits.iops: credits need iops: the burst rate the credits are spent at');
    expect(problems(layout('{ pool: p9, size: 1GiB }'))).toContain('volumes.v0.pool: no pool named "p9" (pools: none)');
    expect(problems(layout('{ device: d0, size: 1GiB, snapshots: { every: 1s, mode: cow, redirectedReadCost: 5us } }'))).toContain('volumes.v0.snapshots.mode: redirectedReadCost applies to mode: row');
  });
});
