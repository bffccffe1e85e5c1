/**
 * Pod logs to one fio JSON document. Each measuring pod prints fio's json+ for its
 * replica's jobs; the jobs of all pods, put in the order of the scenario's job file,
 * make the document a single `fio run` of the whole scenario would have written
 * (`fio version`, timestamps and global options from the first pod). Every job of the
 * scenario must come from exactly one log. Pure.
 */
import type { Scenario } from '../scenario/types.js';
import type { Issue } from '../scenario/issues.js';
import { jobName } from '../results/names.js';
import { extractJson, FioParseError } from '../fio/parse.js';
import { FIO_OUTPUT_MARK } from './pod-script.js';

export interface PodLog {
  /** Where the log came from (a pod or a file), for messages. */
  source: string;
  text: string;
}

export type Collected = { ok: true; fioJson: string; jobs: number } | { ok: false; issues: Issue[] };

type Json = Record<string, unknown>;

/** Job names in job-file order. */
export function expectedJobs(scenario: Scenario): string[] {
  return scenario.containers.flatMap((c) => Array.from({ length: c.replicas }, (_, r) => c.jobs.map((j) => jobName(c.name, r, c.replicas, j.name))).flat());
}

const tail = (text: string): string => text.trim().split('\n').slice(-3).join(' | ').slice(0, 400);

function documentOf(log: PodLog): Json | Issue {
  const at = log.text.lastIndexOf(FIO_OUTPUT_MARK);
  const text = at >= 0 ? log.text.slice(at + FIO_OUTPUT_MARK.length) : log.text;
  try {
    return extractJson(text);
  } catch (err) {
    if (err instanceof FioParseError) return { path: log.source, message: `${err.message}${log.text.trim() ? `; the log ends: ${tail(log.text)}` : '; the log is empty'}` };
    throw err;
  }
}

export function collectPodLogs(scenario: Scenario, logs: PodLog[]): Collected {
  const issues: Issue[] = [];
  const order = expectedJobs(scenario);
  const rank = new Map(order.map((name, i) => [name, i]));
  const found = new Map<string, { jobs: Json[]; source: string }>();
  let first: Json | undefined;
  const diskUtil: unknown[] = [];
  for (const log of logs) {
    const doc = documentOf(log);
    if ('path' in doc && 'message' in doc) {
      issues.push(doc as Issue);
      continue;
    }
    first ??= doc;
    if (Array.isArray(doc.disk_util)) diskUtil.push(...(doc.disk_util as unknown[]));
    for (const job of (Array.isArray(doc.jobs) ? doc.jobs : []) as Json[]) {
      const name = String(job.jobname);
      const prior = found.get(name);
      if (!rank.has(name)) issues.push({ path: log.source, message: `job ${JSON.stringify(name)} is not in scenario ${scenario.name}` });
      else if (prior && prior.source !== log.source) issues.push({ path: log.source, message: `job ${name} also came from ${prior.source}` });
      else if (prior) prior.jobs.push(job); // numjobs clones reported apart: parseFioJson merges them
      else found.set(name, { jobs: [job], source: log.source });
    }
  }
  const missing = order.filter((n) => !found.has(n));
  if (missing.length > 0 && issues.length === 0) issues.push({ path: 'pod logs', message: `no fio output for ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}` });
  if (issues.length > 0 || !first) return { ok: false, issues: issues.length ? issues : [{ path: 'pod logs', message: 'no logs given' }] };
  const jobs = order.flatMap((n) => found.get(n)!.jobs);
  const merged: Json = { ...first, jobs, ...(diskUtil.length ? { disk_util: diskUtil } : {}) };
  return { ok: true, fioJson: `${JSON.stringify(merged, null, 2)}\n`, jobs: jobs.length };
}
