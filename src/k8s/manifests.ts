/**
 * The Kubernetes objects that measure a scenario in a cluster. Pure.
 *
 *   Namespace blocksim-<run>            (unless an existing namespace is given)
 *   PersistentVolumeClaim <run>-<vol>   per volume a job uses; Block mode by default
 *   ConfigMap <run>-<container>         one job file per replica: <replica>.fio
 *   Job <run>-<container>               Indexed, one pod per replica, fio on the volumes
 *
 * A volume that several pods use (a container's replicas share its listed volumes, as in
 * the simulation) is either ReadWriteMany, or ReadWriteOnce with those pods placed on one
 * node by a required pod affinity. Pods run unprivileged: no privilege escalation, every
 * capability dropped, a read-only root file system, no service-account token.
 */
import type { V1ConfigMap, V1Container, V1Job, V1Namespace, V1PersistentVolumeClaim, V1PodAffinityTerm } from '@kubernetes/client-node';
import type { ContainerSpec, Scenario } from '../scenario/types.js';
import type { Issue } from '../scenario/issues.js';
import { dnsLabel, labelValue } from './names.js';
import { replicaJobFiles, VOLUMES_VAR, type VolumeMode } from './jobfiles.js';
import { POD_SCRIPT } from './pod-script.js';

export type SharedAccess = 'same-node' | 'rwx';
export type K8sObject = V1Namespace | V1PersistentVolumeClaim | V1ConfigMap | V1Job;

export interface RenderOptions {
  runId: string;
  /** An existing namespace to use; without it the manifests create blocksim-<run>. */
  namespace?: string;
  image: string;
  storageClass?: string;
  volumeMode: VolumeMode;
  sharedAccess: SharedAccess;
  /** Requests per pod that replace the computed ones (Kubernetes quantities). */
  cpu?: string;
  memory?: string;
  /** How long a pod may wait for its start time before the Job gives up. */
  startTimeoutS: number;
}

export const LABEL_RUN = 'blocksim.dev/run';
export const LABEL_CONTAINER = 'blocksim.dev/container';
const SHARE_PREFIX = 'share.blocksim.dev/';
const JOBS_DIR = '/etc/blocksim/jobs';
const PODINFO_DIR = '/etc/blocksim/podinfo';
const MiB = 1024 * 1024;

export function namespaceOf(opts: Pick<RenderOptions, 'namespace' | 'runId'>): string {
  return opts.namespace ?? `blocksim-${opts.runId}`;
}

/** `<run>-<name>` within `max` characters, a DNS-1123 label. */
export function objectName(runId: string, name: string, max = 63): string {
  return `${runId}-${dnsLabel(name, max - runId.length - 1)}`;
}

/** Job names leave room for the pod name suffixes Kubernetes adds. */
export const jobObjectName = (runId: string, container: string): string => objectName(runId, container, 50);

/** fio threads of one replica. */
const threadsOf = (c: ContainerSpec): number => c.jobs.reduce((n, j) => n + j.numjobs, 0);

/** fio's buffers (iodepth × the largest block per thread, twice for slack) plus 128 MiB for fio itself, in MiB. */
function memoryOf(c: ContainerSpec): string {
  const buffers = c.jobs.reduce((n, j) => n + j.numjobs * j.iodepth * Math.max(...j.bs.read.sizesBytes, ...j.bs.write.sizesBytes) * 2, 0);
  return `${128 + Math.ceil(buffers / MiB)}Mi`;
}

/** Pods that use each volume, and the volumes more than one pod uses. */
function sharedVolumes(scenario: Scenario): Set<string> {
  const pods = new Map<string, number>();
  for (const c of scenario.containers) for (const v of usedVolumes(c)) pods.set(v, (pods.get(v) ?? 0) + c.replicas);
  return new Set([...pods].filter(([, n]) => n > 1).map(([v]) => v));
}

export function usedVolumes(c: ContainerSpec): string[] {
  return [...new Set([...c.volumes, ...c.jobs.map((j) => j.volume)])].sort();
}

function commonLabels(scenario: Scenario, opts: RenderOptions): Record<string, string> {
  return { 'app.kubernetes.io/name': 'blocksim', 'app.kubernetes.io/managed-by': 'blocksim', [LABEL_RUN]: opts.runId, 'blocksim.dev/scenario': labelValue(scenario.name) };
}

function pvc(scenario: Scenario, volume: string, shared: boolean, opts: RenderOptions, ns: string): V1PersistentVolumeClaim {
  const v = scenario.volumes.find((x) => x.name === volume)!;
  // a file system needs room beside fio's file: 10 % and 256 MiB more than the volume
  const bytes = opts.volumeMode === 'block' ? v.sizeBytes : Math.ceil((v.sizeBytes * 1.1 + 256 * MiB) / MiB) * MiB;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: objectName(opts.runId, volume), namespace: ns, labels: { ...commonLabels(scenario, opts), 'blocksim.dev/volume': labelValue(volume) } },
    spec: {
      accessModes: [shared && opts.sharedAccess === 'rwx' ? 'ReadWriteMany' : 'ReadWriteOnce'],
      volumeMode: opts.volumeMode === 'block' ? 'Block' : 'Filesystem',
      resources: { requests: { storage: String(bytes) } },
      ...(opts.storageClass ? { storageClassName: opts.storageClass } : {}),
    },
  };
}

function configMap(scenario: Scenario, c: ContainerSpec, files: Record<string, string>, opts: RenderOptions, ns: string): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: objectName(opts.runId, c.name), namespace: ns, labels: { ...commonLabels(scenario, opts), [LABEL_CONTAINER]: labelValue(c.name) } },
    data: files,
  };
}

export function renderManifests(scenario: Scenario, opts: RenderOptions): K8sObject[] {
  const ns = namespaceOf(opts);
  const shared = sharedVolumes(scenario);
  const objects: K8sObject[] = [];
  if (!opts.namespace) objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: commonLabels(scenario, opts), annotations: { 'blocksim.dev/scenario-name': scenario.name } } });
  const volumes = [...new Set(scenario.containers.flatMap(usedVolumes))].sort();
  for (const v of volumes) objects.push(pvc(scenario, v, shared.has(v), opts, ns));
  const files = replicaJobFiles(scenario, opts.volumeMode);
  for (const c of scenario.containers) {
    const mine = Object.fromEntries(files.filter((f) => f.container === c.name).map((f) => [`${f.replica}.fio`, f.text]));
    objects.push(configMap(scenario, c, mine, opts, ns));
    objects.push(job(scenario, c, shared, opts, ns));
  }
  return objects;
}

function affinity(c: ContainerSpec, shared: Set<string>, opts: RenderOptions): { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: V1PodAffinityTerm[] } } | undefined {
  if (opts.sharedAccess !== 'same-node') return undefined;
  const terms = usedVolumes(c)
    .filter((v) => shared.has(v))
    .map((v) => ({ labelSelector: { matchLabels: { [LABEL_RUN]: opts.runId, [`${SHARE_PREFIX}${dnsLabel(v)}`]: 'true' } }, topologyKey: 'kubernetes.io/hostname' }));
  return terms.length ? { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } } : undefined;
}

function fioContainer(c: ContainerSpec, opts: RenderOptions): V1Container {
  const block = opts.volumeMode === 'block';
  const volumes = usedVolumes(c);
  const memory = opts.memory ?? memoryOf(c);
  return {
    name: 'fio',
    image: opts.image,
    command: ['/bin/sh', '-c', POD_SCRIPT],
    env: [
      { name: 'BLOCKSIM_JOBS', value: JOBS_DIR },
      { name: 'BLOCKSIM_PODINFO', value: PODINFO_DIR },
      { name: VOLUMES_VAR, value: block ? '/dev/blocksim' : '/data' },
      { name: 'BLOCKSIM_LAYOUT', value: block ? '0' : '1' },
    ],
    resources: { requests: { cpu: opts.cpu ?? `${Math.max(1, threadsOf(c)) * 250}m`, memory }, limits: { memory } },
    securityContext: { privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
    volumeMounts: [
      { name: 'jobs', mountPath: JOBS_DIR, readOnly: true },
      { name: 'podinfo', mountPath: PODINFO_DIR, readOnly: true },
      ...(block ? [] : volumes.map((v) => ({ name: podVolume(v), mountPath: `/data/${v}` }))),
    ],
    ...(block ? { volumeDevices: volumes.map((v) => ({ name: podVolume(v), devicePath: `/dev/blocksim/${v}` })) } : {}),
  };
}

const podVolume = (volume: string): string => `v-${dnsLabel(volume, 61)}`;

function job(scenario: Scenario, c: ContainerSpec, shared: Set<string>, opts: RenderOptions, ns: string): V1Job {
  const labels = { ...commonLabels(scenario, opts), [LABEL_CONTAINER]: labelValue(c.name) };
  const shareLabels = Object.fromEntries(usedVolumes(c).filter((v) => shared.has(v)).map((v) => [`${SHARE_PREFIX}${dnsLabel(v)}`, 'true']));
  const runS = (scenario.rampUs + scenario.durationUs + Math.max(0, ...c.jobs.map((j) => j.startdelayUs))) / 1e6;
  const aff = affinity(c, shared, opts);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: jobObjectName(opts.runId, c.name), namespace: ns, labels, annotations: { 'blocksim.dev/scenario-name': scenario.name, 'blocksim.dev/container-name': c.name } },
    spec: {
      completionMode: 'Indexed',
      completions: c.replicas,
      parallelism: c.replicas,
      backoffLimit: 0,
      activeDeadlineSeconds: Math.ceil(opts.startTimeoutS + runS + 300),
      template: {
        metadata: { labels: { ...labels, ...shareLabels } },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          ...(aff ? { affinity: aff } : {}),
          containers: [fioContainer(c, opts)],
          volumes: [
            { name: 'jobs', configMap: { name: objectName(opts.runId, c.name) } },
            { name: 'podinfo', downwardAPI: { items: [{ path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } }] } },
            ...usedVolumes(c).map((v) => ({ name: podVolume(v), persistentVolumeClaim: { claimName: objectName(opts.runId, v) } })),
          ],
        },
      },
    },
  };
}

/** ConfigMaps hold at most 1 MiB (etcd's object limit), keys and values together. */
const CONFIGMAP_MAX_BYTES = 1024 * 1024;
const utf8 = new TextEncoder();

/** Problems Kubernetes would refuse: two objects of a kind with one name, an oversized ConfigMap. */
export function manifestProblems(objects: K8sObject[]): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (const o of objects) {
    const key = `${o.kind}/${o.metadata?.name}`;
    if (seen.has(key)) issues.push({ path: key, message: 'two scenario names fold to the same Kubernetes name; rename one' });
    seen.add(key);
    if (o.kind === 'ConfigMap') {
      const bytes = Object.entries((o as V1ConfigMap).data ?? {}).reduce((n, [k, v]) => n + k.length + utf8.encode(v).length, 0);
      if (bytes > CONFIGMAP_MAX_BYTES) issues.push({ path: key, message: `the job files of this container take ${bytes} bytes, more than a ConfigMap holds (1 MiB): fewer replicas or jobs` });
    }
  }
  return issues;
}
