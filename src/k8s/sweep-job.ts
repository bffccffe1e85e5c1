/**
 * A sweep across a cluster's nodes as one Indexed Job: pod k runs
 * `blocksim sweep ... --shard k+1/N` (JOB_COMPLETION_INDEX → shard) on the scenario from
 * a ConfigMap, and prints its shard file (or writes it to a shared claim);
 * `blocksim merge` puts the shards together. The sweep's flags reach blocksim as
 * arguments of a fixed script ("$@"), never as shell text. Pure.
 */
import type { V1ConfigMap, V1Job, V1KeyToPath } from '@kubernetes/client-node';
import { objectName, jobObjectName, LABEL_RUN } from './manifests.js';

export interface SweepJobOptions {
  runId: string;
  /** Without one, kubectl puts the objects in its current namespace. */
  namespace?: string;
  image: string;
  shards: number;
  parallelism: number;
  cpu: string;
  memory: string;
  /** Worker threads per pod. */
  workers: number;
  /** A ReadWriteMany claim to write shard files to; without it pods print them. */
  resultsClaim?: string;
  scenarioName: string;
  scenarioText: string;
  /** Profile files by the relative path the scenario names them with. */
  profiles: Record<string, string>;
  /** The sweep's own flags: --vary ..., --repeat N, --slo ... */
  sweepArgs: string[];
}

const SWEEP_DIR = '/etc/blocksim/sweep';

export const SWEEP_SCRIPT = `set -eu
shard="$((JOB_COMPLETION_INDEX + 1))/$BLOCKSIM_SHARDS"
blocksim sweep "$BLOCKSIM_SCENARIO" "$@" --shard "$shard" --workers "$BLOCKSIM_WORKERS" --out "$BLOCKSIM_OUT" --quiet
if [ "$BLOCKSIM_OUT" = /tmp/shard ]; then cat /tmp/shard/sweep-shard-*.json; fi
`;

export function renderSweepJob(o: SweepJobOptions): [V1ConfigMap, V1Job] {
  const labels = { 'app.kubernetes.io/name': 'blocksim', 'app.kubernetes.io/managed-by': 'blocksim', [LABEL_RUN]: o.runId };
  const profileEntries = Object.entries(o.profiles).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const items: V1KeyToPath[] = [{ key: 'scenario.yaml', path: 'scenario.yaml' }, ...profileEntries.map(([path], i) => ({ key: `profile-${i}.yaml`, path }))];
  const ns = o.namespace ? { namespace: o.namespace } : {};
  const cm: V1ConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: objectName(o.runId, 'sweep'), ...ns, labels, annotations: { 'blocksim.dev/scenario-name': o.scenarioName } },
    data: { 'scenario.yaml': o.scenarioText, ...Object.fromEntries(profileEntries.map(([, text], i) => [`profile-${i}.yaml`, text])) },
  };
  const out = o.resultsClaim ? '/results' : '/tmp/shard';
  const job: V1Job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: jobObjectName(o.runId, 'sweep'), ...ns, labels, annotations: { 'blocksim.dev/scenario-name': o.scenarioName } },
    spec: {
      completionMode: 'Indexed',
      completions: o.shards,
      parallelism: o.parallelism,
      backoffLimitPerIndex: 2,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          containers: [
            {
              name: 'sweep',
              image: o.image,
              command: ['/bin/sh', '-c', SWEEP_SCRIPT, 'blocksim-sweep'],
              args: o.sweepArgs,
              env: [
                { name: 'BLOCKSIM_SCENARIO', value: `${SWEEP_DIR}/scenario.yaml` },
                { name: 'BLOCKSIM_SHARDS', value: String(o.shards) },
                { name: 'BLOCKSIM_WORKERS', value: String(o.workers) },
                { name: 'BLOCKSIM_OUT', value: out },
              ],
              resources: { requests: { cpu: o.cpu, memory: o.memory }, limits: { memory: o.memory } },
              securityContext: { privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
              volumeMounts: [
                { name: 'sweep', mountPath: SWEEP_DIR, readOnly: true },
                { name: 'tmp', mountPath: '/tmp' },
                ...(o.resultsClaim ? [{ name: 'results', mountPath: '/results' }] : []),
              ],
            },
          ],
          volumes: [
            { name: 'sweep', configMap: { name: objectName(o.runId, 'sweep'), items } },
            { name: 'tmp', emptyDir: {} },
            ...(o.resultsClaim ? [{ name: 'results', persistentVolumeClaim: { claimName: o.resultsClaim } }] : []),
          ],
        },
      },
    },
  };
  return [cm, job];
}
