/**
 * The answer in a form Kubernetes applies:
 *
 *   node-labels.sh          labels each planned node (blocksim.io/node=n1) on a real node
 *   <workload>-patch.yaml   a strategic-merge patch of the workload's pod template: node
 *                           affinity to the nodes it was given, pod anti-affinity if asked
 *   storage-class.yaml      the class of those volumes (no provisioner, bound at first consumer)
 *   <workload>-pvs.yaml     a local PersistentVolume per replica and local volume, bound
 *                           (claimRef) to the claim its StatefulSet makes for that replica
 *                           (<volume>-<workload>-<replica>), with node affinity to its
 *                           node: this is what puts replica r on its node and device
 *
 * Kubernetes names are lower case with "-": other characters are replaced. Pure.
 */
import { stringify } from 'yaml';
import type { Cluster } from './types.js';
import type { Placement } from './state.js';

export const NODE_LABEL = 'blocksim.io/node';
const TYPE_LABEL = 'blocksim.io/node-type';

const k8sName = (s: string): string => s.toLowerCase().replace(/[^a-z0-9-]/g, '-');

const onNodes = (nodes: string[]) => ({ nodeSelectorTerms: [{ matchExpressions: [{ key: NODE_LABEL, operator: 'In', values: nodes }] }] });

function labelScript(c: Cluster, p: Placement, labels: Map<number, string>): string {
  const lines = p.openNodes().map((n) => {
    const l = labels.get(n.id)!;
    return `kubectl label node "\${NODE_${l}:-${l}}" ${NODE_LABEL}=${l} ${TYPE_LABEL}=${k8sName(c.nodeTypes[n.type]!.name)} --overwrite`;
  });
  return [
    '#!/bin/sh',
    `# Node label plan from blocksim place (${c.name}): one real node of the right type per planned node.`,
    '# Set NODE_n1=<real node name> (and so on) before running, or name the nodes n1, n2, ...',
    'set -eu',
    ...lines,
    '',
  ].join('\n');
}

function patch(c: Cluster, w: number, nodes: string[]): string {
  const wl = c.workloads[w]!;
  const affinity: Record<string, unknown> = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: onNodes(nodes) } };
  if (wl.antiAffinity) {
    affinity.podAntiAffinity = { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: k8sName(wl.name) } }, topologyKey: 'kubernetes.io/hostname' }] };
  }
  const head = `# kubectl patch statefulset ${k8sName(wl.name)} --type strategic --patch-file ${k8sName(wl.name)}-patch.yaml\n# (anti-affinity assumes the pods carry app: ${k8sName(wl.name)})\n`;
  return head + stringify({ spec: { template: { spec: { affinity } } } });
}

function localVolumes(c: Cluster, p: Placement, w: number, labels: Map<number, string>): string | undefined {
  const wl = c.workloads[w]!;
  const docs: string[] = [];
  for (let r = 0; r < wl.replicas; r++) {
    const at = p.nodeOf({ kind: 'pod', w, r });
    const pod = p.itemOf({ kind: 'pod', w, r });
    if (at === undefined || !pod || pod.device < 0) continue;
    const device = c.nodeTypes[p.nodes[at]!.type]!.devices[pod.device]!.name;
    for (const v of wl.volumes.filter((x) => !x.replication)) {
      const name = k8sName(`${wl.name}-${r}-${v.name}`);
      docs.push(stringify({
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name, labels: { 'blocksim.io/workload': k8sName(wl.name) } },
        spec: {
          capacity: { storage: String(v.sizeBytes) },
          accessModes: ['ReadWriteOnce'],
          persistentVolumeReclaimPolicy: 'Retain',
          storageClassName: 'blocksim-local',
          claimRef: { namespace: 'default', name: k8sName(`${v.name}-${wl.name}-${r}`) },
          local: { path: `/mnt/blocksim/${k8sName(device)}/${name}` },
          nodeAffinity: { required: onNodes([labels.get(at)!]) },
        },
      }));
    }
  }
  if (docs.length === 0) return undefined;
  return `# Local volumes of ${wl.name}, one per replica, each bound to the claim its StatefulSet makes and to its node.\n# Adjust namespace and paths (one directory or partition per device), then: kubectl apply -f ${k8sName(wl.name)}-pvs.yaml\n${docs.join('---\n')}`;
}

export function kubernetesFiles(c: Cluster, p: Placement, labels: Map<number, string>): Record<string, string> {
  const files: Record<string, string> = { 'k8s/node-labels.sh': labelScript(c, p, labels) };
  const anyLocal = c.workloads.some((w) => w.volumes.some((v) => !v.replication));
  if (anyLocal) {
    files['k8s/storage-class.yaml'] = `# The class the local PersistentVolumes belong to: bound when a pod is scheduled, never provisioned.\n${stringify({
      apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'blocksim-local' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer',
    })}`;
  }
  for (const w of c.workloads) {
    const nodes = [...new Set(p.openNodes().filter((n) => n.items.some((i) => i.kind === 'pod' && i.w === w.index)).map((n) => labels.get(n.id)!))];
    if (nodes.length === 0) continue;
    files[`k8s/${k8sName(w.name)}-patch.yaml`] = patch(c, w.index, nodes);
    const pvs = localVolumes(c, p, w.index, labels);
    if (pvs) files[`k8s/${k8sName(w.name)}-pvs.yaml`] = pvs;
  }
  return files;
}
