/** blocksim place from the command line: files, determinism across workers, exit codes. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blocksimIn } from '../cli-runner.js';

const work = mkdtempSync(join(tmpdir(), 'blocksim-place-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const run = (...args: string[]) => blocksimIn(work, args);

const cluster = (extra = '') => `
name: blind
seed: 5
duration: 1s
ramp: 100ms
nodeTypes:
  node:
    count: 4
    cpu: 16
    memory: 64GiB
    devices:
      d: { parallelism: 1, read: { latency: { dist: exponential, mean: 100us } }, capacity: 4TiB }
workloads:
  web:
    cpu: 10
    memory: 4GiB
    slo: ['p99<=20ms']
    volumes: { v: { size: 10GiB } }
    jobs: { j: { rw: randread, rate_iops: 50, rate_process: poisson } }
  db:
    replicas: 2
    cpu: 1
    memory: 4GiB
    slo: ['p99<=2ms']
    volumes: { v: { size: 100GiB } }
    jobs: { j: { rw: randread, rate_iops: 6000, rate_process: poisson, iodepth: 4096 } }
${extra}`;

describe('blocksim place', () => {
  writeFileSync(join(work, 'c.yaml'), cluster());

  it('writes the placement, figures, report and Kubernetes files, the same on 1 and 2 workers', () => {
    const one = run('place', 'c.yaml', '--workers', '1', '--out', 'o1', '--confirm', '1');
    expect(one.code, one.err).toBe(0);
    expect(one.out).toMatch(/blind: 2 nodes \(node × 2\)/);
    expect(one.out).toMatch(/on the same 2 nodes: 2 of 3 replicas miss an SLO \(db: 2\)/);
    expect(one.out).toMatch(/confirmation: 2 of 2 nodes met their SLOs under 1 other seed/);
    const two = run('place', 'c.yaml', '--workers', '2', '--out', 'o2', '--confirm', '1', '--quiet');
    expect(two.code, two.err).toBe(0);
    expect(two.out).toBe('');
    for (const f of ['placement.csv', 'predicted.csv', 'slo.csv', 'devices.csv', 'baseline-placement.csv', 'plan.json', 'report.html', 'k8s/node-labels.sh', 'k8s/db-patch.yaml', 'k8s/db-pvs.yaml', 'charts/node-n1.vl.json']) {
      expect(existsSync(join(work, 'o1', f)), f).toBe(true);
      expect(readFileSync(join(work, 'o2', f), 'utf8'), f).toBe(readFileSync(join(work, 'o1', f), 'utf8'));
    }
    const rows = readFileSync(join(work, 'o1', 'placement.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('workload,replica,node,node_type,volume,role,device_node,device');
    const dbNodes = rows.filter((r) => r.startsWith('db,')).map((r) => r.split(',')[2]);
    expect(new Set(dbNodes).size).toBe(2);
    expect(readFileSync(join(work, 'o1', 'k8s', 'db-pvs.yaml'), 'utf8')).toContain('name: v-db-1');
  }, 240_000);

  it('prints JSON with --json', () => {
    const r = run('place', 'c.yaml', '--workers', '1', '--out', 'oj', '--confirm', '0', '--json');
    expect(r.code, r.err).toBe(0);
    const plan = JSON.parse(r.out) as { met: boolean; nodes: number; lowerBound: { nodes: number }; baseline: { podsMissing: number } };
    expect(plan).toMatchObject({ met: true, nodes: 2, lowerBound: { nodes: 2 }, baseline: { podsMissing: 2 } });
  }, 120_000);

  it('exits 1 naming the workloads that cannot be placed and why', () => {
    writeFileSync(join(work, 'bad.yaml'), cluster(`  batch:
    replicas: 2
    cpu: 40
    memory: 1GiB
    volumes: { v: { size: 1GiB } }
    jobs: { j: { rw: randread, rate_iops: 10 } }
  spread:
    replicas: 6
    cpu: 1
    antiAffinity: true
    volumes: { v: { size: 1GiB } }
    jobs: { j: { rw: randread, rate_iops: 10 } }
`));
    const r = run('place', 'bad.yaml', '--workers', '1', '--out', 'ob', '--confirm', '0');
    expect(r.code, r.err).toBe(1);
    expect(r.out).toContain('no placement meets the SLOs with the nodes allowed:');
    expect(r.out).toContain('batch: 2 replicas cannot be placed: each replica requests 40 CPU; the largest node type (node) has 16');
    expect(r.out).toContain('spread: 2 replicas cannot be placed: anti-affinity needs 6 nodes (one per replica); 4 are allowed');
  }, 120_000);

  it('exits 2 on a bad cluster file, with every problem at its path', () => {
    writeFileSync(join(work, 'typo.yaml'), cluster().replace('cpu: 16', 'cpus: 16').replace("'p99<=2ms'", "'p99<2ms'"));
    const r = run('place', 'typo.yaml');
    expect(r.code).toBe(2);
    expect(r.err).toContain('typo.yaml: 3 problems');
    expect(r.err).toContain('nodeTypes.node.cpus: unknown key (did you mean "cpu"?)');
    expect(r.err).toContain('nodeTypes.node.cpu: missing');
    expect(r.err).toContain('workloads.db.slo[0]: expected METRIC<=VALUE');
    expect(r.err).not.toContain('    at ');
  }, 60_000);
});
