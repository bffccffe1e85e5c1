/**
 * A measurement in a cluster through the official client library: create the objects,
 * wait until every pod runs, give them one start time (the barrier annotation), wait
 * until they finish, read their logs, and delete everything created, also when a pod
 * fails, the wait times out or the caller aborts (Ctrl-C).
 *
 *   create ──▶ pods Running ──annotate start-at──▶ pods Succeeded ──▶ logs ──▶ delete
 *                   │ a pod Failed / timeout / abort ──────────────────────────▶ delete
 */
import { ApiException, BatchV1Api, CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions, type V1Pod } from '@kubernetes/client-node';
import type { V1ConfigMap, V1Job, V1Namespace, V1PersistentVolumeClaim } from '@kubernetes/client-node';
import type { K8sObject } from '../k8s/manifests.js';
import { LABEL_RUN } from '../k8s/manifests.js';
import type { PodLog } from '../k8s/collect.js';
import { OutsideError } from './errors.js';

export interface ClusterRun {
  objects: K8sObject[];
  namespace: string;
  runId: string;
  /** Job object name → scenario container and its replicas. */
  jobs: Map<string, { container: string; replicas: number }>;
  startMarginS: number;
  startTimeoutS: number;
  /** Ramp + duration + start delay: how long fio should run. */
  runS: number;
  pollMs?: number;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

export interface PodOutcome {
  logs: PodLog[];
  /** pod name → node it ran on */
  nodes: Record<string, string>;
}

export function loadKubeConfig(file?: string, context?: string): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (file) kc.loadFromFile(file);
    else kc.loadFromDefault();
    if (context) kc.setCurrentContext(context);
  } catch (err) {
    throw new OutsideError(`cannot load the kubeconfig${file ? ` ${file}` : ''}: ${(err as Error).message}`, { cause: err });
  }
  if (!kc.getCurrentCluster()) throw new OutsideError('no cluster in the kubeconfig (set KUBECONFIG, --kubeconfig or --context)');
  return kc;
}

/** An API failure as an OutsideError naming what was being done. */
function apiError(what: string, err: unknown): OutsideError {
  if (err instanceof OutsideError) return err;
  if (err instanceof ApiException) {
    let reason: string;
    try {
      const body = typeof err.body === 'string' ? JSON.parse(err.body) : err.body;
      reason = body?.message ? `: ${body.message}` : '';
    } catch {
      reason = typeof err.body === 'string' ? `: ${err.body.slice(0, 200)}` : '';
    }
    return new OutsideError(`${what}: the API server answered ${err.code}${reason}`, { cause: err });
  }
  return new OutsideError(`${what}: ${(err as Error).message}`, { cause: err });
}

class Cluster {
  readonly core: CoreV1Api;
  readonly batch: BatchV1Api;
  constructor(kc: KubeConfig) {
    this.core = kc.makeApiClient(CoreV1Api);
    this.batch = kc.makeApiClient(BatchV1Api);
  }

  async create(o: K8sObject, namespace: string): Promise<void> {
    const what = `create ${o.kind} ${o.metadata?.name}`;
    try {
      switch (o.kind) {
        case 'Namespace': await this.core.createNamespace({ body: o as V1Namespace }); break;
        case 'PersistentVolumeClaim': await this.core.createNamespacedPersistentVolumeClaim({ namespace, body: o as V1PersistentVolumeClaim }); break;
        case 'ConfigMap': await this.core.createNamespacedConfigMap({ namespace, body: o as V1ConfigMap }); break;
        case 'Job': await this.batch.createNamespacedJob({ namespace, body: o as V1Job }); break;
        default: throw new Error(`cannot create kind ${o.kind}`);
      }
    } catch (err) {
      throw apiError(what, err);
    }
  }

  /** Deletes (a missing object is fine); returns a message when it failed. */
  async remove(o: K8sObject, namespace: string): Promise<string | undefined> {
    const name = o.metadata!.name!;
    const opts = { name, namespace, propagationPolicy: 'Background' };
    try {
      switch (o.kind) {
        case 'Namespace': await this.core.deleteNamespace({ name, propagationPolicy: 'Background' }); break;
        case 'PersistentVolumeClaim': await this.core.deleteNamespacedPersistentVolumeClaim(opts); break;
        case 'ConfigMap': await this.core.deleteNamespacedConfigMap(opts); break;
        case 'Job': await this.batch.deleteNamespacedJob(opts); break;
        default: return `cannot delete kind ${o.kind}`;
      }
    } catch (err) {
      if (err instanceof ApiException && err.code === 404) return undefined;
      return apiError(`delete ${o.kind} ${name}`, err).message;
    }
    return undefined;
  }

  async pods(namespace: string, runId: string): Promise<V1Pod[]> {
    try {
      return (await this.core.listNamespacedPod({ namespace, labelSelector: `${LABEL_RUN}=${runId}` })).items;
    } catch (err) {
      throw apiError(`list pods in ${namespace}`, err);
    }
  }

  async annotate(pod: string, namespace: string, key: string, value: string): Promise<void> {
    try {
      await this.core.patchNamespacedPod({ name: pod, namespace, body: { metadata: { annotations: { [key]: value } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    } catch (err) {
      throw apiError(`annotate pod ${pod}`, err);
    }
  }

  async log(pod: string, namespace: string): Promise<string> {
    try {
      return await this.core.readNamespacedPodLog({ name: pod, namespace, container: 'fio' });
    } catch (err) {
      throw apiError(`read the log of pod ${pod}`, err);
    }
  }
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new OutsideError('interrupted'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new OutsideError('interrupted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export { Cluster, sleep, apiError };
