/**
 * Phases: runs one after another on the same volume state, with operations between them
 * (fio's stonewall between job groups, and what fio cannot do between runs, such as
 * taking a snapshot). A scenario without `phases` is one phase of all its jobs.
 *
 *   phases:
 *     - { name: before, duration: 10s }                      # every job, as written
 *     - snapshot: pgdata                                     # between phases
 *     - { name: after-qd1, jobs: { db.oltp: { iodepth: 1 } } }   # only these, with overrides
 *
 * A run phase starts when the previous one has ended: when its last job's ramp and
 * runtime are over (a job's own `runtime` may outlast the phase's `duration`). Its jobs
 * are named `<job>@<phase>` in results. A job's random streams repeat from phase to phase
 * (fio's randrepeat) unless it sets `randrepeat: 0`.
 */
import { z } from 'zod';
import { durationField } from './fields.js';
import type { JobInput } from './schema.js';
import type { Issues } from './issues.js';

export function phaseSchemas(job: z.ZodType<JobInput>) {
  const run = z.strictObject({
    name: z.string(),
    /** Measured time of the phase's jobs (fio's runtime: a bare number is seconds); default: the scenario's. */
    duration: durationField({ min: 0, minExclusive: true, bare: 's' }).optional(),
    ramp: durationField({ bare: 's' }).optional(),
    /** "container.job" → option overrides; only the jobs listed run. Absent: every job, as written. */
    jobs: z.record(z.string(), job).optional(),
  });
  const snapshot = z.strictObject({
    /** Takes a snapshot of these volumes when the previous phase has ended. */
    snapshot: z.union([z.string(), z.array(z.string()).min(1)]),
  });
  return z.array(z.union([run, snapshot])).min(1);
}

export type PhaseInput = { name: string; duration?: number; ramp?: number; jobs?: Record<string, JobInput> } | { snapshot: string | string[] };

/** A run phase, ready to normalize its jobs. */
export interface RunPlan {
  kind: 'run';
  /** undefined for a scenario without phases. */
  name?: string;
  path: string;
  durationUs: number;
  rampUs: number;
  /** Overrides by "container.job"; undefined = every job, unchanged. */
  jobs?: Record<string, JobInput>;
  /** Raw override text by "container.job", for fio's "job options" in results. */
  rawJobs?: Record<string, Record<string, unknown>>;
}

export interface SnapshotPlan {
  kind: 'snapshot';
  path: string;
  volumes: string[];
}

export type PhasePlan = RunPlan | SnapshotPlan;

/** The phases of a scenario in order, checked for names and references. */
export function planPhases(
  phases: PhaseInput[] | undefined,
  rawPhases: unknown,
  timing: { durationUs: number; rampUs: number },
  known: { jobs: Set<string>; volumes: Set<string> },
  nameOk: (name: string) => boolean,
  issues: Issues,
): PhasePlan[] {
  if (phases === undefined) return [{ kind: 'run', path: '', ...timing }];
  const seen = new Set<string>();
  const raw = Array.isArray(rawPhases) ? (rawPhases as Record<string, unknown>[]) : [];
  return phases.map((p, i): PhasePlan => {
    const path = `phases[${i}]`;
    if ('snapshot' in p) {
      const volumes = typeof p.snapshot === 'string' ? [p.snapshot] : p.snapshot;
      for (const v of volumes) if (!known.volumes.has(v)) issues.add(`${path}.snapshot`, `no volume named ${JSON.stringify(v)} (volumes: ${[...known.volumes].join(', ')})`);
      return { kind: 'snapshot', path, volumes };
    }
    if (!nameOk(p.name)) issues.add(`${path}.name`, 'a phase name must be letters, digits, "-" and "_", starting with a letter or digit, at most 63 characters');
    if (seen.has(p.name)) issues.add(`${path}.name`, `another phase is named ${JSON.stringify(p.name)}`);
    seen.add(p.name);
    for (const key of Object.keys(p.jobs ?? {})) {
      if (!known.jobs.has(key)) issues.add(`${path}.jobs.${key}`, `no job ${JSON.stringify(key)}: expected container.job, one of ${[...known.jobs].join(', ')}`);
    }
    const rawJobs = (raw[i]?.jobs ?? undefined) as Record<string, Record<string, unknown>> | undefined;
    return {
      kind: 'run',
      name: p.name,
      path,
      durationUs: p.duration ?? timing.durationUs,
      rampUs: p.ramp ?? timing.rampUs,
      ...(p.jobs ? { jobs: p.jobs } : {}),
      ...(rawJobs ? { rawJobs } : {}),
    };
  });
}
