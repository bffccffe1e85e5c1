import type { CommandModule } from 'yargs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { V1Job } from '@kubernetes/client-node';
import { loadScenario } from '../../adapters/load-scenario.js';
import { writeMeasuredResults } from '../../adapters/k8s-results.js';
import { OutsideError } from '../../adapters/errors.js';
import { renderJobFile } from '../../fio/jobfile.js';
import { refuseTracedIn } from '../../adapters/trace-source.js';
import { podTargets } from '../../k8s/jobfiles.js';
import { namespaceOf } from '../../k8s/manifests.js';
import { dnsLabel } from '../../k8s/names.js';
import { parseDuration } from '../../scenario/units.js';
import { InputError } from '../../scenario/issues.js';
import { summaryTable } from '../../report/table.js';
import { UsageError } from '../exit.js';
import { manifestOptions, manifestsOf, renderOptions, type ManifestArgs } from './k8s.js';

interface RunArgs extends ManifestArgs {
  out?: string;
  kubeconfig?: string;
  context?: string;
  'start-margin': string;
  'poll-interval': string;
  json?: boolean;
  quiet?: boolean;
}

/** Ctrl-C and SIGTERM abort the run (which then deletes what it created); a second one exits at once. */
function interruptible(quiet: boolean): { signal: AbortSignal; release: () => void } {
  const ac = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => {
    if (ac.signal.aborted) process.exit(130);
    if (!quiet) process.stderr.write(`\n${sig}: stopping; deleting what was created (again to quit at once)\n`);
    ac.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { signal: ac.signal, release: () => (process.off('SIGINT', onSignal), process.off('SIGTERM', onSignal)) };
}

export const k8sRun: CommandModule<object, RunArgs> = {
  command: 'run <scenario>',
  describe: 'Measure the scenario in pods (kubeconfig as kubectl finds it), delete them, and write the results folder',
  builder: (y) =>
    manifestOptions(y)
      .option('out', { type: 'string', describe: 'output folder (default reports/<name>-k8s/)' })
      .option('kubeconfig', { type: 'string', describe: 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config, or in-cluster)' })
      .option('context', { type: 'string', describe: 'kubeconfig context' })
      .option('start-margin', { type: 'string', default: '15s', describe: 'time between the last pod running and the common start of fio' })
      .option('poll-interval', { type: 'string', default: '2s', describe: 'how often to ask the API server how the pods are' }) as never,
  handler: async (args) => {
    const { scenario, text } = await loadScenario(args.scenario);
    refuseTracedIn(args.scenario, scenario, 'measuring in pods');
    const margin = parseDuration(args['start-margin']);
    if (!margin.ok || margin.value < 0) throw new UsageError(`--start-margin: expected a time such as 15s, got ${JSON.stringify(args['start-margin'])}`);
    const poll = parseDuration(args['poll-interval']);
    if (!poll.ok || poll.value < 10_000) throw new UsageError(`--poll-interval: expected a time of at least 10ms, got ${JSON.stringify(args['poll-interval'])}`);
    const runId = args['run-id'] ?? `${dnsLabel(scenario.name, 24)}-${randomBytes(2).toString('hex')}`;
    const opts = renderOptions(args, scenario, runId);
    const objects = manifestsOf(args.scenario, scenario, opts);
    const jobs = new Map(
      objects.filter((o): o is V1Job => o.kind === 'Job').map((j) => [j.metadata!.name!, { container: j.metadata!.annotations!['blocksim.dev/container-name']!, replicas: j.spec!.completions! }]),
    );
    // the Kubernetes client takes a second to load: only this command loads it
    const [{ loadKubeConfig }, { runInCluster }] = await Promise.all([import('../../adapters/k8s-cluster.js'), import('../../adapters/k8s-run.js')]);
    const kc = loadKubeConfig(args.kubeconfig, args.context);
    const quiet = Boolean(args.quiet || args.json);
    const { signal, release } = interruptible(quiet);
    const runS = (scenario.rampUs + scenario.durationUs + Math.max(0, ...scenario.containers.flatMap((c) => c.jobs.map((j) => j.startdelayUs)))) / 1e6;
    let last = '';
    const onProgress = quiet ? undefined : (m: string) => (m !== last && process.stderr.write(`k8s: ${m}\n`), (last = m));
    let outcome;
    try {
      outcome = await runInCluster(kc, { objects, namespace: namespaceOf(opts), runId, jobs, startMarginS: margin.value / 1e6, startTimeoutS: opts.startTimeoutS, runS, signal, pollMs: poll.value / 1000, ...(onProgress ? { onProgress } : {}) });
    } finally {
      release();
    }
    const dir = args.out ?? join('reports', `${scenario.name}-k8s`);
    const jobFile = renderJobFile(scenario, podTargets(scenario, opts.volumeMode));
    let results;
    try {
      results = await writeMeasuredResults(dir, { scenario, scenarioText: text, jobFile, logs: outcome.logs, saveLogs: true, title: `blocksim k8s run: ${scenario.name}` });
    } catch (err) {
      if (err instanceof InputError) throw new OutsideError(`the pods' output could not be read:\n${err.message}`);
      throw err;
    }
    if (args.json) process.stdout.write(`${JSON.stringify({ dir, runId, namespace: namespaceOf(opts), nodes: outcome.nodes })}\n`);
    else if (!args.quiet) console.log(`${summaryTable(results)}\n\nresults: ${dir}/\nreport:  ${join(dir, 'report.html')}`);
    if (outcome.cleanupProblems.length > 0) throw new OutsideError(`results written to ${dir}/, but cleanup failed: ${outcome.cleanupProblems.join('; ')}`);
  },
};
