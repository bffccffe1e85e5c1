import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { V1ConfigMap, V1Job } from '@kubernetes/client-node';
import { parseScenarioText } from '../../src/scenario/normalize.js';
import { renderManifests, manifestProblems, type K8sObject, type RenderOptions } from '../../src/k8s/manifests.js';
import { renderSweepJob } from '../../src/k8s/sweep-job.js';
import { POD_SCRIPT } from '../../src/k8s/pod-script.js';
import { CONFIGMAP_KEY_RE, DNS_LABEL_RE, LABEL_VALUE_RE, dnsLabel } from '../../src/k8s/names.js';
import { NAME_RE } from '../../src/scenario/fields.js';
import { scenarioFrom } from '../helpers.js';
import { schemaProblems } from './schemas.js';
import { repoRoot } from '../cli-runner.js';

const base: RenderOptions = { runId: 'run1', image: 'ghcr.io/kastenhq/kubestr:latest', volumeMode: 'block', sharedAccess: 'same-node', startTimeoutS: 600 };
const LABEL_KEY_RE = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

function bundled(): { file: string; text: string }[] {
  const dir = join(repoRoot, 'scenarios');
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => ({ file: f, text: readFileSync(join(dir, f), 'utf8') }));
}

/** Every name, label, key and volume reference Kubernetes checks by its own rules. */
function nameProblems(objects: K8sObject[]): string[] {
  const out: string[] = [];
  const label = (where: string, labels: Record<string, string> | undefined): void => {
    for (const [k, v] of Object.entries(labels ?? {})) {
      if (!LABEL_KEY_RE.test(k) || k.split('/').pop()!.length > 63) out.push(`${where}: label key ${k}`);
      if (!LABEL_VALUE_RE.test(v) || v.length > 63) out.push(`${where}: label value ${v}`);
    }
  };
  for (const o of objects) {
    const name = o.metadata!.name!;
    const where = `${o.kind}/${name}`;
    if (!DNS_LABEL_RE.test(name) || name.length > (o.kind === 'Job' ? 50 : 63)) out.push(`${where}: name`);
    if (o.metadata!.namespace !== undefined && !DNS_LABEL_RE.test(o.metadata!.namespace)) out.push(`${where}: namespace`);
    label(where, o.metadata!.labels);
    if (o.kind === 'ConfigMap') for (const k of Object.keys((o as V1ConfigMap).data ?? {})) if (!CONFIGMAP_KEY_RE.test(k)) out.push(`${where}: key ${k}`);
    if (o.kind === 'Job') {
      const pod = (o as V1Job).spec!.template;
      label(`${where} pod`, pod.metadata?.labels);
      for (const v of pod.spec!.volumes ?? []) if (!DNS_LABEL_RE.test(v.name) || v.name.length > 63) out.push(`${where}: volume ${v.name}`);
    }
  }
  return out;
}

describe('k8s render: manifests', () => {
  it('every bundled scenario renders objects valid against the Kubernetes 1.36 schemas, in every mode', () => {
    let checked = 0;
    for (const { file, text } of bundled()) {
      const parsed = parseScenarioText(text);
      if (!parsed.ok) throw new Error(`${file} does not validate`);
      for (const volumeMode of ['block', 'filesystem'] as const) {
        for (const sharedAccess of ['same-node', 'rwx'] as const) {
          const objects = renderManifests(parsed.scenario, { ...base, volumeMode, sharedAccess, storageClass: 'fast-ssd', cpu: '2', memory: '1Gi' });
          expect(objects.flatMap(schemaProblems), file).toEqual([]);
          expect(nameProblems(objects), file).toEqual([]);
          expect(manifestProblems(objects), file).toEqual([]);
          checked += objects.length;
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('the schema check itself refuses a misspelt field and a bad quantity', () => {
    const s = scenarioFrom({ name: 'x', duration: '1s', devices: { d: { parallelism: 1, read: { latency: { dist: 'fixed', value: '10us' } } } }, volumes: { v: { device: 'd', size: '1GiB' } }, containers: { c: { volumes: ['v'], jobs: { j: { rw: 'randread', bs: '4k' } } } } });
    const job = renderManifests(s, base).find((o) => o.kind === 'Job') as V1Job;
    expect(schemaProblems(job)).toEqual([]);
    const typo = structuredClone(job) as unknown as { spec: Record<string, unknown> };
    typo.spec.completionsMode = 'Indexed';
    expect(schemaProblems(typo as never).join()).toMatch(/completionsMode/);
    const quantity = structuredClone(job);
    quantity.spec!.template.spec!.containers[0]!.resources!.requests!.cpu = 'lots';
    expect(schemaProblems(quantity).length).toBeGreaterThan(0);
  });

  it('a volume several pods use is ReadWriteOnce with a same-node affinity, or ReadWriteMany', () => {
    const s = scenarioFrom({
      name: 'share',
      duration: '1s',
      devices: { d: { parallelism: 1, read: { latency: { dist: 'fixed', value: '10us' } } } },
      volumes: { shared: { device: 'd', size: '1GiB' }, own: { device: 'd', size: '1GiB' } },
      containers: { db: { replicas: 3, volumes: ['shared'], jobs: { j: { rw: 'randread' } } }, solo: { volumes: ['own'], jobs: { j: { rw: 'randread' } } } },
    });
    const pvcMode = (objs: K8sObject[], name: string): string[] | undefined => (objs.find((o) => o.kind === 'PersistentVolumeClaim' && o.metadata!.name === `run1-${name}`) as { spec: { accessModes: string[] } }).spec.accessModes;
    const same = renderManifests(s, base);
    expect(pvcMode(same, 'shared')).toEqual(['ReadWriteOnce']);
    const db = same.find((o) => o.kind === 'Job' && o.metadata!.name === 'run1-db') as V1Job;
    const term = db.spec!.template.spec!.affinity!.podAffinity!.requiredDuringSchedulingIgnoredDuringExecution![0]!;
    expect(term.topologyKey).toBe('kubernetes.io/hostname');
    expect(Object.entries(term.labelSelector!.matchLabels!).every(([k, v]) => db.spec!.template.metadata!.labels![k] === v)).toBe(true);
    expect((same.find((o) => o.metadata!.name === 'run1-solo' && o.kind === 'Job') as V1Job).spec!.template.spec!.affinity).toBeUndefined();
    const rwx = renderManifests(s, { ...base, sharedAccess: 'rwx' });
    expect(pvcMode(rwx, 'shared')).toEqual(['ReadWriteMany']);
    expect(pvcMode(rwx, 'own')).toEqual(['ReadWriteOnce']);
    expect((rwx.find((o) => o.kind === 'Job') as V1Job).spec!.template.spec!.affinity).toBeUndefined();
    expect(db.spec).toMatchObject({ completionMode: 'Indexed', completions: 3, parallelism: 3, backoffLimit: 0 });
  });

  it('pods run unprivileged, the fixed script, and no text from the scenario in a command', () => {
    const s = scenarioFrom({ name: 'Rm_rf-X', description: "x'; rm -rf / #$(reboot)", duration: '1s', devices: { d: { parallelism: 1, read: { latency: { dist: 'fixed', value: '10us' } } } }, volumes: { v: { device: 'd', size: '1GiB' } }, containers: { c: { volumes: ['v'], jobs: { j: { rw: 'randread' } } } } });
    for (const volumeMode of ['block', 'filesystem'] as const) {
      const job = renderManifests(s, { ...base, volumeMode }).find((o) => o.kind === 'Job') as V1Job;
      const c = job.spec!.template.spec!.containers[0]!;
      expect(c.command).toEqual(['/bin/sh', '-c', POD_SCRIPT]);
      expect(c.args).toBeUndefined();
      expect(c.securityContext).toMatchObject({ privileged: false, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      expect(JSON.stringify(job)).not.toContain('rm -rf');
      expect(job.spec!.template.spec!.automountServiceAccountToken).toBe(false);
      expect(job.spec!.template.spec!.hostPID ?? job.spec!.template.spec!.hostNetwork).toBeUndefined();
      if (volumeMode === 'block') expect(c.volumeDevices).toEqual([{ name: 'v-v', devicePath: '/dev/blocksim/v' }]);
      else expect(c.volumeMounts!.map((m) => m.mountPath)).toContain('/data/v');
    }
  });

  it('names are DNS-1123 safe and distinct for any scenario and entity names the validator accepts', () => {
    const entity = fc.stringMatching(NAME_RE);
    fc.assert(
      fc.property(entity, fc.uniqueArray(entity, { minLength: 1, maxLength: 3 }), fc.uniqueArray(entity, { minLength: 1, maxLength: 2 }), entity, (name, containers, volumes, jobName) => {
        const s = scenarioFrom({
          name,
          duration: '1s',
          devices: { d: { parallelism: 1, read: { latency: { dist: 'fixed', value: '10us' } } } },
          volumes: Object.fromEntries(volumes.map((v) => [v, { device: 'd', size: '1GiB' }])),
          containers: Object.fromEntries(containers.map((c, i) => [c, { replicas: 1 + (i % 2), volumes: [volumes[i % volumes.length]!], jobs: { [jobName]: { rw: 'randread' } } }])),
        });
        const objects = renderManifests(s, { ...base, runId: dnsLabel(s.name, 24) });
        expect(nameProblems(objects)).toEqual([]);
        expect(objects.flatMap(schemaProblems)).toEqual([]);
        const folded = new Set(containers.map((c) => dnsLabel(c)));
        if (folded.size === containers.length) expect(manifestProblems(objects)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('dnsLabel keeps valid labels, folds others with a hash, and stays within its length', () => {
    expect(dnsLabel('pgdata')).toBe('pgdata');
    expect(dnsLabel('PGdata')).not.toBe(dnsLabel('pgdata'));
    expect(dnsLabel('a_b')).not.toBe(dnsLabel('a-b'));
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.integer({ min: 10, max: 63 }), (t, max) => {
      const l = dnsLabel(t, max);
      expect(l.length).toBeLessThanOrEqual(max);
      expect(l).toMatch(DNS_LABEL_RE);
    }));
  });

  it('render-sweep writes an Indexed Job that passes the sweep flags as arguments, and valid objects', () => {
    const [cm, job] = renderSweepJob({ runId: 'big-sweep', image: 'registry.example/blocksim:1', shards: 4, parallelism: 2, cpu: '2', memory: '2Gi', workers: 2, scenarioName: 'q', scenarioText: 'name: q\n', profiles: { 'profiles/disk.yaml': 'name: disk\n' }, sweepArgs: ['--vary', 'containers.db.replicas=1..8', '--repeat', '2'] });
    expect([cm, job].flatMap(schemaProblems)).toEqual([]);
    expect(nameProblems([cm, job])).toEqual([]);
    expect(job.spec).toMatchObject({ completionMode: 'Indexed', completions: 4, parallelism: 2 });
    const c = job.spec!.template.spec!.containers[0]!;
    expect(c.args).toEqual(['--vary', 'containers.db.replicas=1..8', '--repeat', '2']);
    expect(c.command![2]).toContain('JOB_COMPLETION_INDEX + 1');
    expect(job.spec!.template.spec!.volumes![0]!.configMap!.items).toEqual([{ key: 'scenario.yaml', path: 'scenario.yaml' }, { key: 'profile-0.yaml', path: 'profiles/disk.yaml' }]);
  });
});
