/**
 * fio job options (as a scenario's job map holds them) to the simulator's typed JobSpec,
 * through the scenario schema itself, so a job made or checked here is exactly what a
 * scenario would accept.
 */
import { JobInput } from '../scenario/schema.js';
import { normalizeJob } from '../scenario/job.js';
import { Issues, type Issue } from '../scenario/issues.js';
import type { JobSpec } from '../scenario/types.js';
import { fromZod } from '../scenario/zod-issues.js';

export type JobSpecResult = { ok: true; job: JobSpec } | { ok: false; issues: Issue[] };

export function jobSpecFrom(options: Record<string, unknown>, volumeSizeBytes: number, name = 'job'): JobSpecResult {
  const parsed = JobInput.safeParse(options);
  if (!parsed.success) return { ok: false, issues: fromZod(JobInput, parsed.error.issues).map((i) => ({ ...i, path: i.path ? `${name}.${i.path}` : name })) };
  const issues = new Issues();
  // a job shape compared with a trace: no scenario, so no runtime or ramp to inherit (trace code reads neither)
  const job = normalizeJob(parsed.data, { path: name, name, volume: 'volume', volumeSizeBytes, durationUs: 0, rampUs: 0 }, issues);
  return job ? { ok: true, job } : { ok: false, issues: issues.list };
}
