/** `blocksim k8s run` against a fake API server that records every request. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blocksimAsync } from '../cli-runner.js';
import { Scratch } from '../real/system.js';
import { FakeKubeApi } from './fake-kube-api.js';

const scratch = new Scratch();
afterAll(() => scratch.cleanup());

const SCENARIO = `
name: k8s-fake
seed: 3
duration: 1s
devices:
  d: { parallelism: 4, read: { latency: { dist: exponential, mean: 50us } }, write: { latency: { dist: exponential, mean: 30us } } }
volumes:
  v: { device: d, size: 1GiB }
  w: { device: d, size: 1GiB }
containers:
  db: { replicas: 2, volumes: [v], jobs: { r: { rw: randrw, bs: 4k, iodepth: 4 } } }
  log: { volumes: [w], jobs: { seq: { rw: randrw, bs: 4k, iodepth: 4 } } }
`;

async function runAgainst(api: FakeKubeApi, extra: string[] = [], onStart?: (child: import('node:child_process').ChildProcess) => void) {
  const url = await api.start();
  const dir = scratch.tempDir('blocksim-k8s-run-');
  writeFileSync(join(dir, 's.yaml'), SCENARIO);
  writeFileSync(join(dir, 'kubeconfig'), api.kubeconfig(url));
  const env = { ...process.env, KUBECONFIG: join(dir, 'kubeconfig') };
  try {
    const { child, done } = blocksimAsync(dir, ['k8s', 'run', 's.yaml', '--run-id', 'r1', '--start-margin', '0s', '--poll-interval', '50ms', '--out', 'res', ...extra], env);
    onStart?.(child);
    return { dir, ...(await done) };
  } finally {
    await api.stop();
  }
}

describe('blocksim k8s run (fake API server)', () => {
  it('creates the objects, waits for every pod, starts them together, reads the logs, deletes the namespace and writes results', async () => {
    const api = new FakeKubeApi({ pendingPolls: 3 });
    const r = await runAgainst(api);
    expect(r.code, r.err).toBe(0);
    const calls = api.calls();
    const posts = calls.filter((c) => c.startsWith('POST'));
    expect(posts).toEqual([
      'POST /api/v1/namespaces',
      'POST /api/v1/namespaces/blocksim-r1/persistentvolumeclaims',
      'POST /api/v1/namespaces/blocksim-r1/persistentvolumeclaims',
      'POST /api/v1/namespaces/blocksim-r1/configmaps',
      'POST /apis/batch/v1/namespaces/blocksim-r1/jobs',
      'POST /api/v1/namespaces/blocksim-r1/configmaps',
      'POST /apis/batch/v1/namespaces/blocksim-r1/jobs',
    ]);
    const patches = api.requests.filter((q) => q.method === 'PATCH');
    expect(patches.map((q) => q.path).sort()).toEqual(['/api/v1/namespaces/blocksim-r1/pods/r1-db-0-fake0', '/api/v1/namespaces/blocksim-r1/pods/r1-db-1-fake1', '/api/v1/namespaces/blocksim-r1/pods/r1-log-0-fake0']);
    const starts = new Set(patches.map((q) => q.body.metadata.annotations['blocksim.dev/start-at']));
    expect(starts.size).toBe(1); // one start time for every pod
    const firstPatch = calls.findIndex((c) => c.startsWith('PATCH'));
    const lastList = calls.slice(0, firstPatch).filter((c) => c.endsWith('/pods')).length;
    expect(lastList).toBeGreaterThanOrEqual(3); // it waited while pods were pending
    expect(calls.filter((c) => c.endsWith('/log')).length).toBe(3);
    expect(calls.at(-1)).toBe('DELETE /api/v1/namespaces/blocksim-r1');
    expect(api.objects.size).toBe(0);
    const results = JSON.parse(readFileSync(join(r.dir, 'res', 'results.json'), 'utf8'));
    expect(results.jobs.map((j: { name: string }) => j.name)).toEqual(['db.0.r', 'db.1.r', 'log.seq']);
    expect(readFileSync(join(r.dir, 'res', 'pods', 'db.1.log'), 'utf8')).toContain('fio output follows');
    expect(r.err).toMatch(/starting: 0\/3 pods running \(Unschedulable: waiting for volumes\)/);
  });

  it('a failed pod: exit 3 naming the pod and its log, everything deleted, no results', async () => {
    const api = new FakeKubeApi({ failPods: ['db.1'] });
    const r = await runAgainst(api);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/pod r1-db-1-fake1 \(db\.1\) failed \(Error\).*Input\/output error/s);
    expect(api.calls().at(-1)).toBe('DELETE /api/v1/namespaces/blocksim-r1');
    expect(api.objects.size).toBe(0);
    expect(existsSync(join(r.dir, 'res'))).toBe(false);
  });

  it('in an existing namespace it creates no Namespace and deletes each object it made', async () => {
    const api = new FakeKubeApi();
    const r = await runAgainst(api, ['--namespace', 'team-a']);
    expect(r.code, r.err).toBe(0);
    const calls = api.calls();
    expect(calls.filter((c) => c.startsWith('POST')).every((c) => c.includes('/namespaces/team-a/'))).toBe(true);
    expect(calls.filter((c) => c.startsWith('DELETE')).sort()).toEqual(
      ['/api/v1/namespaces/team-a/configmaps/r1-db', '/api/v1/namespaces/team-a/configmaps/r1-log', '/api/v1/namespaces/team-a/persistentvolumeclaims/r1-v', '/api/v1/namespaces/team-a/persistentvolumeclaims/r1-w', '/apis/batch/v1/namespaces/team-a/jobs/r1-db', '/apis/batch/v1/namespaces/team-a/jobs/r1-log'].map((p) => `DELETE ${p}`),
    );
    expect(api.requests.filter((q) => q.path.includes('/jobs/') && q.method === 'DELETE').every((q) => q.query.propagationPolicy === 'Background')).toBe(true);
    expect(api.objects.size).toBe(0);
  });

  it('Ctrl-C while pods wait: deletes everything and exits 3', async () => {
    const api = new FakeKubeApi({ pendingPolls: 1e9 });
    const r = await runAgainst(api, [], (child) => {
      const timer = setInterval(() => {
        if (api.calls().filter((c) => c.endsWith('/pods')).length >= 2) {
          clearInterval(timer);
          child.kill('SIGINT');
        }
      }, 50);
    });
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/interrupted/);
    expect(api.calls().at(-1)).toBe('DELETE /api/v1/namespaces/blocksim-r1');
    expect(api.objects.size).toBe(0);
  });
});
