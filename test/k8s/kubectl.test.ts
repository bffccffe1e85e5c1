/**
 * `kubectl apply --dry-run=client` on the rendered manifests: kubectl parses them, maps
 * their kinds, and validates them against the Kubernetes 1.36 OpenAPI document (served by
 * a small local API server, since a dry run still asks one for discovery and schemas).
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../src/scenario/normalize.js';
import { renderManifests } from '../../src/k8s/manifests.js';
import { renderSweepJob } from '../../src/k8s/sweep-job.js';
import { toYaml } from '../../src/cli/commands/k8s.js';
import { Scratch, which } from '../real/system.js';
import { repoRoot } from '../cli-runner.js';
import { startKubectlApi } from './kubectl-api.js';

const scratch = new Scratch();
let api: Awaited<ReturnType<typeof startKubectlApi>> | undefined;
afterAll(async () => {
  await api?.stop();
  scratch.cleanup();
});

const kubectl = (args: string[]): Promise<{ code: number; out: string; err: string }> =>
  new Promise((resolve) => execFile('kubectl', ['--server', api!.url, ...args], { env: { ...process.env, KUBECONFIG: '/dev/null' } }, (e, out, err) => resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, out, err })));

describe.skipIf(!which('kubectl'))(`kubectl apply --dry-run=client${which('kubectl') ? '' : ' (skipped: kubectl is not installed; Debian package kubernetes-client)'}`, () => {
  beforeAll(async () => {
    api = await startKubectlApi();
  });

  it('accepts the manifests of every bundled scenario, block and filesystem, and a sweep Job', async () => {
    const dir = scratch.tempDir('blocksim-kubectl-');
    const files: string[] = [];
    for (const f of readdirSync(join(repoRoot, 'scenarios')).filter((x) => x.endsWith('.yaml'))) {
      const p = parseScenarioText(readFileSync(join(repoRoot, 'scenarios', f), 'utf8'));
      if (!p.ok) throw new Error(f);
      for (const volumeMode of ['block', 'filesystem'] as const) {
        const file = join(dir, `${f}-${volumeMode}.yaml`);
        writeFileSync(file, toYaml(renderManifests(p.scenario, { runId: 'ci', image: 'ghcr.io/kastenhq/kubestr:latest', volumeMode, sharedAccess: volumeMode === 'block' ? 'same-node' : 'rwx', storageClass: 'standard', startTimeoutS: 600 })));
        files.push(file);
      }
    }
    const sweep = join(dir, 'sweep.yaml');
    writeFileSync(sweep, toYaml(renderSweepJob({ runId: 'sw', namespace: 'default', image: 'registry.example/blocksim:1', shards: 3, parallelism: 3, cpu: '1', memory: '1Gi', workers: 1, resultsClaim: 'results', scenarioName: 'q', scenarioText: 'name: q\n', profiles: {}, sweepArgs: ['--vary', 'containers.db.replicas=1..4'] })));
    files.push(sweep);
    for (const file of files) {
      const r = await kubectl(['apply', '--dry-run=client', '-f', file]);
      expect(r.code, `${file}: ${r.err}`).toBe(0);
      expect(r.out).toMatch(/job\.batch\/\S+ created \(dry run\)/);
    }
    expect(api!.paths).toContain('GET /openapi/v2'); // it validated against the schemas
  });

  it('refuses a manifest with a misspelt field (the check can fail)', async () => {
    const dir = scratch.tempDir('blocksim-kubectl-bad-');
    const p = parseScenarioText(readFileSync(join(repoRoot, 'scenarios', 'quickstart.yaml'), 'utf8'));
    if (!p.ok) throw new Error('quickstart');
    const text = toYaml(renderManifests(p.scenario, { runId: 'ci', image: 'x', volumeMode: 'block', sharedAccess: 'same-node', startTimeoutS: 60 })).replace('completionMode:', 'completionsMode:');
    writeFileSync(join(dir, 'bad.yaml'), text);
    const r = await kubectl(['apply', '--dry-run=client', '-f', join(dir, 'bad.yaml')]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/unknown field "completionsMode"/);
  });
});
