/** Cluster files: every problem reported with its path, through the scenario's own checks. */
import { describe, expect, it } from 'vitest';
import { normalizeCluster, parseClusterText } from '../../src/place/cluster.js';

const good = (): Record<string, any> => ({
  name: 'c', duration: '1s',
  network: { latency: '200us' },
  nodeTypes: { big: { cpu: 8, memory: '32GiB', network: '10Gbit/s', devices: { d0: { profile: 'sata-ssd', capacity: '1TiB' } } } },
  workloads: {
    pg: {
      replicas: 2, cpu: '500m', memory: '2GiB', slo: ['p99<=2ms'],
      volumes: { data: { size: '10GiB' }, wal: { size: '1GiB', replicated: { copies: 2 } } },
      jobs: { oltp: { rw: 'randrw', bs: '8k', volume: 'data' }, log: { rw: 'write', volume: 'wal' } },
    },
  },
});

function issues(input: Record<string, unknown>): string[] {
  const r = normalizeCluster(input);
  if (r.ok) return [];
  return r.issues.map((i) => `${i.path}: ${i.message}`);
}

describe('cluster files', () => {
  it('accepts a good file: profiles applied, units converted, defaults set', () => {
    const r = normalizeCluster(good());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const c = r.cluster;
    expect(c.nodeTypes[0]!.cpuMillis).toBe(8000);
    expect(c.nodeTypes[0]!.count).toBe(Infinity);
    expect(c.nodeTypes[0]!.devices[0]!.spec.parallelism).toBe(10); // from the sata-ssd profile
    expect(c.nodeTypes[0]!.devices[0]!.raw.profile).toBeUndefined();
    expect(c.workloads[0]!.cpuMillis).toBe(500);
    expect(c.workloads[0]!.volumes[1]!.replication).toEqual({ copies: 2, writeAck: 'all', read: 'primary' });
    expect(c.workloads[0]!.jobs.map((j) => j.volume)).toEqual(['data', 'wal']);
    expect(c.durationUs).toBe(1e6);
    expect(c.objective).toBe('nodes');
  });

  it('reports problems in devices, volumes, jobs and SLOs at their paths', () => {
    const x = good();
    x.nodeTypes.big.devices.d0.paralelism = 4;
    x.nodeTypes.big.cpu = 'lots';
    x.workloads.pg.volumes.data.size = '10 parsecs';
    x.workloads.pg.slo = ['p98<=2ms'];
    x.workloads.pg.jobs.oltp.fsync = 1;
    const found = issues(x);
    expect(found).toContain('nodeTypes.big.devices.d0.paralelism: unknown key (did you mean "parallelism"?)');
    expect(found.some((i) => i.startsWith('nodeTypes.big.cpu: expected CPU as cores'))).toBe(true);
    expect(found.some((i) => i.startsWith('workloads.pg.volumes.data.size: expected a size'))).toBe(true);
    expect(found.some((i) => i.startsWith('workloads.pg.slo[0]: expected METRIC<=VALUE'))).toBe(true);
    expect(found.some((i) => i.startsWith('workloads.pg.jobs.oltp.fsync: the fio option "fsync" is not modeled'))).toBe(true);
  });

  it('reports what the scenario normalizer finds, at the cluster path', () => {
    const x = good();
    x.workloads.pg.jobs.oltp.volume = 'nope';
    x.workloads.pg.jobs.log.size = '2GiB';
    x.nodeTypes.big.devices.d0.limits = { burstIops: 100 };
    const found = issues(x);
    expect(found.some((i) => i.startsWith('workloads.pg.jobs.oltp.volume: no volume named "nope"'))).toBe(true);
    expect(found.some((i) => i.startsWith('workloads.pg.jobs.log.size: offset + size'))).toBe(true);
    expect(found).toContain('nodeTypes.big.devices.d0.limits.burstIops: a burst needs iops');
    const y = good();
    y.nodeTypes.big.devices.d1 = { profile: 'no-such-disk', capacity: '1TiB' };
    expect(issues(y).some((i) => i.startsWith('nodeTypes.big.devices.d1.profile: no built-in profile named "no-such-disk"'))).toBe(true);
  });

  it('asks for the network when volumes are replicated, and for counts when spreading for headroom', () => {
    const x = good();
    delete x.network;
    delete x.nodeTypes.big.network;
    x.objective = 'headroom';
    const found = issues(x);
    expect(found.some((i) => i.startsWith('network: missing'))).toBe(true);
    expect(found.some((i) => i.startsWith('nodeTypes.big.network: missing'))).toBe(true);
    expect(found.some((i) => i.startsWith('nodeTypes.big.count: missing'))).toBe(true);
  });

  it('refuses bad names, empty files and broken YAML', () => {
    const x = good();
    x.workloads['bad name'] = x.workloads.pg;
    expect(issues(x).some((i) => i.startsWith('workloads.bad name'))).toBe(true);
    expect(parseClusterText('').ok).toBe(false);
    const broken = parseClusterText('name: [');
    expect(!broken.ok && broken.issues[0]!.message.startsWith('not valid YAML')).toBe(true);
  });
});
