/**
 * ── Trace replay: the scenario's `trace` job option (issue 14) ──────────────────────
 * How `trace` parses and what it becomes for the model (TraceReplaySpec); the fio
 * options it replaces and those it excludes are in the option table (option-table.ts).
 *
 *   trace: ./app.iolog                       a path, relative to the scenario file
 *   trace: { file, format, mode, speed, remap, traceSize, device, skipBad }
 *
 * | key       | meaning                                              | fio (measured side)             |
 * |-----------|------------------------------------------------------|---------------------------------|
 * | file      | the trace (fio iolog v2/v3, blkparse text, csv)       | read_iolog (a converted v3 log) |
 * | format    | when the first line cannot tell                       | -                               |
 * | mode      | open (recorded times, default) or closed              | replay_no_stall=1 when closed   |
 * | speed     | time scale: 2 replays twice as fast                   | times scaled in the converted log |
 * | remap     | wrap (default) or scale offsets onto the job's span    | offsets remapped in the log     |
 * | traceSize | scale: the traced device's size                       | -                               |
 * | device    | only records of this device or file                  | records left out of the log     |
 * | skipBad   | count bad records instead of stopping                 | bad records left out of the log |
 *
 * A traced job keeps iodepth, numjobs, ioengine, startdelay, runtime, ramp_time, offset
 * and size (the span offsets are remapped onto); the options that describe a synthetic
 * pattern are refused with it, since the trace is the pattern.
 */
import { z } from 'zod';
import { numberIn, sizeField } from './fields.js';
import { show } from './units.js';
import type { Issue, Issues } from './issues.js';
import type { Scenario, TraceReplaySpec } from './types.js';
import { NOT_WITH_TRACE } from './option-table.js';

const TraceObject = z.strictObject({
  file: z.string().min(1, 'expected the path of a trace file'),
  format: z.enum(['iolog2', 'iolog3', 'blkparse', 'csv'], { error: (iss) => `expected iolog2, iolog3, blkparse or csv, got ${JSON.stringify(iss.input)}` }).optional(),
  mode: z.enum(['open', 'closed'], { error: (iss) => `expected open (recorded times) or closed (as fast as iodepth allows), got ${JSON.stringify(iss.input)}` }).optional(),
  speed: numberIn(1e-3, 1e6).optional(),
  remap: z.enum(['wrap', 'scale'], { error: (iss) => `expected wrap or scale, got ${JSON.stringify(iss.input)}` }).optional(),
  traceSize: sizeField({ min: 0, minExclusive: true }).optional(),
  device: z.string().min(1).optional(),
  skipBad: z.boolean().optional(),
});

/** `trace: FILE` or `trace: { file, ... }`. */
export const TraceInput = z.preprocess((v, ctx) => {
  if (typeof v === 'string') return { file: v };
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    ctx.addIssue({ code: 'custom', message: `expected the path of a trace file, or a map with file (and format, mode, speed, remap, traceSize, device, skipBad), got ${show(v)}` });
    return z.NEVER;
  }
  return v;
}, TraceObject);

/** Options whose value may be a string short for a map: the key the string fills (sweeps vary keys of the map). */
export const SHORT_FORMS: Record<string, string> = { trace: 'file' };

export type TraceInput = z.infer<typeof TraceInput>;

/** Problems with options given beside `trace` (each at its own path). */
export function checkTracedJob(input: Record<string, unknown>, at: (key: string) => string, issues: Issues): void {
  for (const [key, why] of NOT_WITH_TRACE) {
    if (input[key] !== undefined) issues.add(at(key), `not with trace: ${why}`);
  }
  const t = input.trace as TraceInput;
  if (t.traceSize !== undefined && t.remap !== 'scale') issues.add(at('trace.traceSize'), 'traceSize is used by remap: scale only');
}

export function normalizeTrace(t: TraceInput): TraceReplaySpec {
  return {
    file: t.file,
    ...(t.format !== undefined ? { format: t.format } : {}),
    mode: t.mode ?? 'open',
    speed: t.speed ?? 1,
    remap: t.remap ?? 'wrap',
    ...(t.traceSize !== undefined ? { traceSizeBytes: t.traceSize } : {}),
    ...(t.device !== undefined ? { device: t.device } : {}),
    skipBad: t.skipBad ?? false,
  };
}

/** The traced job's options for fio's "job options" in results: `trace` and `trace.KEY`. */
export function traceOptions(raw: unknown): Record<string, string> {
  if (typeof raw === 'string') return { trace: raw };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
    if (v !== undefined) out[k === 'file' ? 'trace' : `trace.${k}`] = String(v);
  }
  return out;
}

/** Traced jobs where their trace files cannot follow (pods, queue workers elsewhere), refused at their paths. */
export function refuseTraced(scenario: Scenario, where: string): Issue[] {
  return scenario.containers.flatMap((c) =>
    c.jobs.filter((j) => j.trace).map((j) => ({ path: `containers.${c.name}.jobs.${j.name}.trace`, message: `${where} cannot replay traces yet (the trace file would have to travel with it); run or measure this scenario locally` })),
  );
}
