/**
 * The measuring run in a cluster (see k8s-cluster.ts for the steps). Pods are known by
 * their Job and completion index, so each log is named <container>.<replica>.
 */
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import { Cluster, sleep, type ClusterRun, type PodOutcome } from './k8s-cluster.js';
import { START_ANNOTATION } from '../k8s/pod-script.js';
import { OutsideError } from './errors.js';

const JOB_NAME_KEYS = ['batch.kubernetes.io/job-name', 'job-name'];
const INDEX_KEY = 'batch.kubernetes.io/job-completion-index';
/** Waiting reasons that do not go away by waiting. */
const HOPELESS = new Set(['InvalidImageName', 'ErrImageNeverPull', 'CreateContainerConfigError', 'CreateContainerError']);

interface Known {
  key: string;
  pod: V1Pod;
}

function identify(run: ClusterRun, pods: V1Pod[]): Known[] {
  const out: Known[] = [];
  for (const pod of pods) {
    const labels = pod.metadata?.labels ?? {};
    const jobName = JOB_NAME_KEYS.map((k) => labels[k]).find(Boolean);
    const job = jobName ? run.jobs.get(jobName) : undefined;
    const index = pod.metadata?.annotations?.[INDEX_KEY] ?? labels[INDEX_KEY];
    if (job && index !== undefined) out.push({ key: `${job.container}.${index}`, pod });
  }
  return out.sort((a, b) => a.key.localeCompare(b.key, 'en'));
}

function waitingReason(pod: V1Pod): string | undefined {
  const waiting = pod.status?.containerStatuses?.find((c) => c.state?.waiting)?.state?.waiting;
  if (waiting?.reason) return `${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`;
  const unscheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  return unscheduled ? `${unscheduled.reason ?? 'unschedulable'}${unscheduled.message ? `: ${unscheduled.message}` : ''}` : undefined;
}

const podName = (k: Known): string => k.pod.metadata!.name!;
const total = (run: ClusterRun): number => [...run.jobs.values()].reduce((n, j) => n + j.replicas, 0);

async function failure(cluster: Cluster, run: ClusterRun, k: Known, why: string): Promise<OutsideError> {
  const log = await cluster.log(podName(k), run.namespace).catch(() => '');
  const tail = log.trim().split('\n').slice(-5).join('\n    ');
  return new OutsideError(`pod ${podName(k)} (${k.key}) ${why}${tail ? `; its log ends:\n    ${tail}` : ''}`);
}

/** Polls until every pod is in `phase`; fails at once when a pod fails or cannot start. */
async function waitFor(cluster: Cluster, run: ClusterRun, phase: 'Running' | 'Succeeded', deadlineMs: number): Promise<Known[]> {
  const want = total(run);
  for (;;) {
    const known = identify(run, await cluster.pods(run.namespace, run.runId));
    const failed = known.find((k) => k.pod.status?.phase === 'Failed');
    if (failed) throw await failure(cluster, run, failed, `failed${failed.pod.status?.reason ? ` (${failed.pod.status.reason})` : ''}`);
    const hopeless = known.find((k) => HOPELESS.has(waitingReason(k.pod)?.split(':')[0] ?? ''));
    if (hopeless) throw await failure(cluster, run, hopeless, `cannot start: ${waitingReason(hopeless.pod)}`);
    const done = known.filter((k) => k.pod.status?.phase === phase || k.pod.status?.phase === 'Succeeded');
    if (done.length >= want && new Set(done.map((k) => k.key)).size >= want) return done;
    const reasons = [...new Set(known.map((k) => waitingReason(k.pod)).filter(Boolean))].slice(0, 2);
    run.onProgress?.(`${phase === 'Running' ? 'starting' : 'measuring'}: ${done.length}/${want} pods ${phase.toLowerCase()}${reasons.length ? ` (${reasons.join('; ')})` : ''}`);
    if (Date.now() > deadlineMs) {
      throw new OutsideError(`${want - done.length} of ${want} pods did not reach ${phase} in time${reasons.length ? `: ${reasons.join('; ')}` : ''}`);
    }
    await sleep(run.pollMs ?? 2000, run.signal);
  }
}

async function cleanup(cluster: Cluster, run: ClusterRun, created: ClusterRun['objects']): Promise<string[]> {
  const ns = created.find((o) => o.kind === 'Namespace');
  const targets = ns ? [ns] : [...created].reverse();
  const problems: string[] = [];
  for (const o of targets) {
    const p = await cluster.remove(o, run.namespace);
    if (p) problems.push(p);
  }
  return problems;
}

/**
 * Runs the measurement and returns every pod's log; whatever happens, deletes what it
 * created. Cleanup problems after a good run come back in `cleanupProblems`.
 */
export async function runInCluster(kc: KubeConfig, run: ClusterRun): Promise<PodOutcome & { cleanupProblems: string[] }> {
  const cluster = new Cluster(kc);
  const created: ClusterRun['objects'] = [];
  let outcome: PodOutcome | undefined;
  let failure: unknown;
  try {
    for (const o of run.objects) {
      if (run.signal?.aborted) throw new OutsideError('interrupted');
      await cluster.create(o, run.namespace);
      created.push(o);
    }
    run.onProgress?.(`created ${created.length} objects in namespace ${run.namespace}`);
    const running = await waitFor(cluster, run, 'Running', Date.now() + run.startTimeoutS * 1000);
    const startS = Math.floor(Date.now() / 1000) + run.startMarginS;
    for (const k of running) await cluster.annotate(podName(k), run.namespace, START_ANNOTATION, String(startS));
    run.onProgress?.(`all ${running.length} pods running; fio starts at ${new Date(startS * 1000).toISOString()}`);
    const finished = await waitFor(cluster, run, 'Succeeded', (startS + run.runS + Math.max(120, run.runS)) * 1000);
    const logs = [];
    const nodes: Record<string, string> = {};
    for (const k of finished) {
      logs.push({ source: k.key, text: await cluster.log(podName(k), run.namespace) });
      nodes[podName(k)] = k.pod.spec?.nodeName ?? '';
    }
    outcome = { logs, nodes };
  } catch (err) {
    failure = err;
  }
  run.onProgress?.(`deleting ${created.length} objects`);
  const problems = await cleanup(cluster, run, created);
  if (failure !== undefined) {
    if (problems.length === 0) throw failure;
    const msg = failure instanceof Error ? failure.message : String(failure);
    throw new OutsideError(`${msg}\nand cleanup failed: ${problems.join('; ')}`, { cause: failure });
  }
  return { ...outcome!, cleanupProblems: problems };
}
