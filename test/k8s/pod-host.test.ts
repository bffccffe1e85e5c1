/**
 * The measuring pod's command run on this host exactly as a pod runs it (the same
 * script, job files and environment; only the folders differ), then `k8s collect` on
 * its output, against `fio run` of the same scenario.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { V1ConfigMap, V1Job } from '@kubernetes/client-node';
import { blocksimIn } from '../cli-runner.js';
import { Scratch, which } from '../real/system.js';
import { parseScenarioText } from '../../src/scenario/normalize.js';
import { renderManifests } from '../../src/k8s/manifests.js';
import { replicaJobFiles } from '../../src/k8s/jobfiles.js';
import { renderJobFile } from '../../src/fio/jobfile.js';
import { FIO_OUTPUT_MARK, START_ANNOTATION } from '../../src/k8s/pod-script.js';
import { extractJson } from '../../src/fio/parse.js';
import { collectPodLogs } from '../../src/k8s/collect.js';

const scratch = new Scratch();
afterAll(() => scratch.cleanup());

const SCENARIO = `
name: pods-on-host
seed: 7
duration: 2s
ramp: 0s
devices:
  d: { parallelism: 4, read: { latency: { dist: exponential, mean: 50us } }, write: { latency: { dist: exponential, mean: 30us } } }
volumes:
  v: { device: d, size: 64MiB }
  w: { device: d, size: 32MiB }
containers:
  db: { replicas: 2, volumes: [v], jobs: { r: { rw: randread, bs: 4k, iodepth: 4 }, wr: { rw: randwrite, bs: 4k, iodepth: 1, size: 16MiB } } }
  log: { volumes: [w], jobs: { seq: { rw: write, bs: 64k, iodepth: 2 } } }
`;
const scenario = (() => {
  const p = parseScenarioText(SCENARIO);
  if (!p.ok) throw new Error('bad test scenario');
  return p.scenario;
})();

/** Runs one pod's container command on the host; resolves with what `kubectl logs` would show (stdout and stderr). */
function runPod(job: V1Job, replica: number, dirs: { jobs: string; podinfo: string; volumes: string }): Promise<{ code: number | null; log: string }> {
  const c = job.spec!.template.spec!.containers[0]!;
  const here: Record<string, string> = { BLOCKSIM_JOBS: dirs.jobs, BLOCKSIM_PODINFO: dirs.podinfo, BLOCKSIM_VOLUMES: dirs.volumes };
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', JOB_COMPLETION_INDEX: String(replica), ...Object.fromEntries(c.env!.map((e) => [e.name, here[e.name] ?? e.value!])) };
  return new Promise((resolve) => {
    const child = spawn(c.command![0]!, c.command!.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    child.on('close', (code) => resolve({ code, log }));
  });
}

describe('k8s job files', () => {
  it('the replicas’ job files hold exactly the sections of the scenario’s job file; only randseed moves per replica', () => {
    const files = replicaJobFiles(scenario, 'block');
    expect(files.map((f) => `${f.container}.${f.replica}`)).toEqual(['db.0', 'db.1', 'log.0']);
    const sections = (t: string) => t.split(/\n(?=\[)/).filter((s) => s.startsWith('[') && !s.startsWith('[global]')).map((s) => s.trimEnd());
    const whole = renderJobFile(scenario, { v: '${BLOCKSIM_VOLUMES}/v', w: '${BLOCKSIM_VOLUMES}/w' });
    expect(files.flatMap((f) => sections(f.text))).toEqual(sections(whole));
    expect(files.map((f) => /randseed=(\d+)/.exec(f.text)![1])).toEqual(['7', '8', '9']);
    const globals = (t: string) => t.slice(0, t.indexOf('\n[', t.indexOf('[global]') + 1)).replace(/randseed=\d+/, '');
    for (const f of files) expect(globals(f.text)).toBe(globals(whole));
  });
});

describe.skipIf(!which('fio'))(`the pod command on the host${which('fio') ? '' : ' (skipped: fio is not installed)'}`, () => {
  it('runs every replica through the start barrier, and k8s collect gives the results folder fio run gives', async () => {
    const dir = scratch.tempDir('blocksim-pods-');
    writeFileSync(join(dir, 's.yaml'), SCENARIO);
    const objects = renderManifests(scenario, { runId: 'host', image: 'unused', volumeMode: 'filesystem', sharedAccess: 'same-node', startTimeoutS: 60 });
    const volumes = join('/dev/shm', `blocksim-pods-${process.pid}`);
    mkdirSync(join(volumes, 'v'), { recursive: true });
    mkdirSync(join(volumes, 'w'), { recursive: true });
    scratch.onCleanup(() => spawn('rm', ['-rf', volumes]));
    const podinfo = join(dir, 'podinfo');
    mkdirSync(podinfo);
    writeFileSync(join(podinfo, 'annotations'), 'kubernetes.io/config.seen="2026-01-01T00:00:00Z"\n');
    const runs: Promise<{ key: string; code: number | null; log: string }>[] = [];
    for (const job of objects.filter((o): o is V1Job => o.kind === 'Job')) {
      const container = job.metadata!.annotations!['blocksim.dev/container-name']!;
      const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata!.name === job.spec!.template.spec!.volumes![0]!.configMap!.name) as V1ConfigMap;
      const jobs = join(dir, `jobs-${container}`);
      mkdirSync(jobs);
      for (const [k, v] of Object.entries(cm.data!)) writeFileSync(join(jobs, k), v);
      for (let r = 0; r < job.spec!.completions!; r++) runs.push(runPod(job, r, { jobs, podinfo, volumes }).then((x) => ({ key: `${container}.${r}`, ...x })));
    }
    await new Promise((r) => setTimeout(r, 1500)); // the pods wait at the barrier meanwhile
    const startS = Math.floor(Date.now() / 1000) + 1;
    writeFileSync(join(podinfo, 'annotations'), `${START_ANNOTATION}="${startS}"\nkubernetes.io/config.seen="2026-01-01T00:00:00Z"\n`);
    const done = await Promise.all(runs);
    const logs = join(dir, 'logs');
    mkdirSync(logs);
    for (const d of done) {
      expect(d.code, d.log).toBe(0);
      expect(d.log).toContain('waiting for blocksim.dev/start-at');
      expect(d.log).toContain(FIO_OUTPUT_MARK);
      const started = Number(/starting fio at (\d+)/.exec(d.log)![1]);
      expect(started - startS).toBeGreaterThanOrEqual(0);
      expect(started - startS).toBeLessThanOrEqual(1);
      expect(extractJson(d.log).jobs).toBeDefined();
      writeFileSync(join(logs, `${d.key}.log`), d.log);
    }
    const c = blocksimIn(dir, ['k8s', 'collect', 's.yaml', 'logs', '--volume-mode', 'filesystem', '--out', 'k8s', '--quiet']);
    expect(c.code, c.err).toBe(0);
    const f = blocksimIn(dir, ['fio', 'run', 's.yaml', '--target', `v=${join(dir, 'v.dat')}`, '--target', `w=${join(dir, 'w.dat')}`, '--out', 'fio', '--quiet']);
    expect(f.code, f.err).toBe(0);
    const list = (d: string) => readdirSync(join(dir, d), { recursive: true }).map(String).sort();
    expect(list('k8s')).toEqual(list('fio'));
    const k8sResults = JSON.parse(readFileSync(join(dir, 'k8s', 'results.json'), 'utf8'));
    const fioResults = JSON.parse(readFileSync(join(dir, 'fio', 'results.json'), 'utf8'));
    expect(k8sResults.jobs.map((j: { name: string }) => j.name)).toEqual(fioResults.jobs.map((j: { name: string }) => j.name));
    expect(k8sResults.jobs.map((j: { name: string }) => j.name)).toEqual(['db.0.r', 'db.0.wr', 'db.1.r', 'db.1.wr', 'log.seq']);
    for (const j of k8sResults.jobs) expect(j.read.iops + j.write.iops, j.name).toBeGreaterThan(0);
    const header = (d: string) => readFileSync(join(dir, d, 'summary.csv'), 'utf8').split('\n')[0];
    expect(header('k8s')).toBe(header('fio'));
    // compare and regress read the folder unchanged
    const g = blocksimIn(dir, ['regress', '--baseline', 'fio', '--current', 'k8s', '--tolerance', 'iops=10000%,p99=10000%']);
    expect(g.code, g.err + g.out).toBe(0);
    const m = blocksimIn(dir, ['compare', '--measured', 'k8s/fio.json', '--scenario', 's.yaml', '--json']);
    expect([0, 1], m.err).toContain(m.code); // 1: outside the default tolerance, which a host file need not meet
    const rows: { job: string }[] = JSON.parse(m.out).rows;
    expect([...new Set(rows.map((r) => r.job))].sort()).toEqual(['db.0.r', 'db.0.wr', 'db.1.r', 'db.1.wr', 'log.seq']);
  });

  it('fio run output cut into pod logs collects back to the same results.json and summary.csv, byte for byte', () => {
    const dir = scratch.tempDir('blocksim-pods-split-');
    writeFileSync(join(dir, 's.yaml'), SCENARIO);
    const f = blocksimIn(dir, ['fio', 'run', 's.yaml', '--target', `v=${join(dir, 'v.dat')}`, '--target', `w=${join(dir, 'w.dat')}`, '--out', 'fio', '--quiet']);
    expect(f.code, f.err).toBe(0);
    const doc = JSON.parse(readFileSync(join(dir, 'fio', 'fio.json'), 'utf8'));
    mkdirSync(join(dir, 'logs'));
    for (const pod of ['db.0', 'db.1', 'log.0']) {
      const [c, r] = pod.split('.');
      const jobs = doc.jobs.filter((j: { jobname: string }) => j.jobname.startsWith(c === 'log' ? 'log.' : `${c}.${r}.`));
      writeFileSync(join(dir, 'logs', `${pod}.log`), `blocksim: replica ${r} waiting\n${FIO_OUTPUT_MARK}\n${JSON.stringify({ ...doc, jobs }, null, 2)}\n`);
    }
    const c = blocksimIn(dir, ['k8s', 'collect', 's.yaml', 'logs', '--out', 'k8s', '--quiet']);
    expect(c.code, c.err).toBe(0);
    for (const file of ['results.json', 'summary.csv']) expect(readFileSync(join(dir, 'k8s', file), 'utf8'), file).toBe(readFileSync(join(dir, 'fio', file), 'utf8'));
    // a replica whose fio failed is named, with the end of its log
    const logs = ['db.0', 'db.1', 'log.0'].map((source) => ({ source, text: readFileSync(join(dir, 'logs', `${source}.log`), 'utf8') }));
    logs[1]!.text = 'blocksim: replica 1 waiting\nfio: pid=12, err=5/file:io_u.c:1889, func=io_u error, error=Input/output error\n';
    const bad = collectPodLogs(scenario, logs);
    expect(bad.ok).toBe(false);
    expect(JSON.stringify(bad)).toMatch(/db\.1.*no fio JSON found.*Input\/output error/);
    expect(collectPodLogs(scenario, [logs[0]!, logs[2]!])).toMatchObject({ ok: false, issues: [{ message: 'no fio output for db.1.r, db.1.wr' }] });
  });
});
