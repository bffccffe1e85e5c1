/** The k8s commands' inputs and outputs through the command line. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { blocksimIn, repoRoot } from '../cli-runner.js';
import { Scratch } from '../real/system.js';
import { schemaProblems } from './schemas.js';

const scratch = new Scratch();
afterAll(() => scratch.cleanup());
const quickstart = join(repoRoot, 'scenarios', 'quickstart.yaml');

describe('blocksim k8s (command line)', () => {
  it('render writes the same manifests every time, to stdout or -o, and refuses bad flags with exit 2', () => {
    const dir = scratch.tempDir('blocksim-k8s-cli-');
    const a = blocksimIn(dir, ['k8s', 'render', quickstart, '--storage-class', 'fast-ssd', '-o', 'm.yaml']);
    expect(a.code, a.err).toBe(0);
    const b = blocksimIn(dir, ['k8s', 'render', quickstart, '--storage-class', 'fast-ssd']);
    expect(b.out).toBe(readFileSync(join(dir, 'm.yaml'), 'utf8'));
    const docs = parseAllDocuments(b.out).map((d) => d.toJS());
    expect(docs.map((d) => d.kind)).toEqual(['Namespace', 'PersistentVolumeClaim', 'PersistentVolumeClaim', 'ConfigMap', 'Job', 'ConfigMap', 'Job']);
    expect(docs.flatMap(schemaProblems)).toEqual([]);
    const bad = blocksimIn(dir, ['k8s', 'render', quickstart, '--image', 'fio; rm -rf /', '--storage-class', 'Fast_SSD', '--cpu', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--image: expected an image reference/);
    expect(bad.err).not.toMatch(/at .*\.ts:\d+/); // no stack
  });

  it('render-sweep carries the scenario and its profile files, and refuses a profile outside the scenario folder', () => {
    const dir = scratch.tempDir('blocksim-k8s-sweep-cli-');
    mkdirSync(join(dir, 'profiles'));
    writeFileSync(join(dir, 'profiles', 'disk.yaml'), 'parallelism: 4\nread: { latency: { dist: fixed, value: 100us } }\n');
    const scenario = readFileSync(quickstart, 'utf8').replace('    parallelism: 8                 # I/Os the SSD services at once', '    profile: ./profiles/disk.yaml');
    writeFileSync(join(dir, 's.yaml'), scenario);
    const r = blocksimIn(dir, ['k8s', 'render-sweep', 's.yaml', '--vary', 'containers.db.replicas=1..4', '--shards', '3', '--image', 'registry.example/blocksim:0.1', '--cpu', '2']);
    expect(r.code, r.err).toBe(0);
    const [cm, job] = parseAllDocuments(r.out).map((d) => d.toJS());
    expect([cm, job].flatMap(schemaProblems)).toEqual([]);
    expect(cm.data['scenario.yaml']).toBe(scenario);
    expect(cm.data['profile-0.yaml']).toContain('parallelism: 4');
    expect(job.spec.template.spec.volumes[0].configMap.items).toContainEqual({ key: 'profile-0.yaml', path: 'profiles/disk.yaml' });
    expect(job.spec.template.spec.containers[0].args).toEqual(['--vary', 'containers.db.replicas=1..4', '--repeat', '1']);
    expect(job.spec.template.spec.containers[0].env).toContainEqual({ name: 'BLOCKSIM_WORKERS', value: '2' });
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'up.yaml'), scenario.replace('./profiles/disk.yaml', '../profiles/disk.yaml'));
    const up = blocksimIn(dir, ['k8s', 'render-sweep', 'sub/up.yaml', '--vary', 'containers.db.replicas=1..4', '--shards', '2', '--image', 'x/y:1']);
    expect(up.code).toBe(2);
    expect(up.err).toMatch(/below its folder only/);
  });
});
