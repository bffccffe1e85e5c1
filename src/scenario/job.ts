/**
 * fio job options (already parsed by the schema) to a typed JobSpec, with the checks
 * that need more than one option or the volume. Meanings follow fio's HOWTO.
 */
import type { JobInput } from './schema.js';
import type { JobSpec, RwMode } from './types.js';
import { SYNC_ENGINES } from './fio-options.js';
import type { Issues } from './issues.js';
import { checkTracedJob, normalizeTrace } from './trace-job.js';

export interface JobContext {
  path: string;
  name: string;
  volume: string;
  volumeSizeBytes: number;
  /** The scenario's duration and ramp: a job's runtime and ramp_time default to them. */
  durationUs: number;
  rampUs: number;
}

const DEFAULT_BS = { read: { sizesBytes: [4096], cumulative: [1] }, write: { sizesBytes: [4096], cumulative: [1] } };

export function normalizeJob(input: JobInput, ctx: JobContext, issues: Issues): JobSpec | undefined {
  const at = (k: string): string => `${ctx.path}.${k}`;
  const before = issues.count;
  const traced = input.trace !== undefined;
  if (traced) checkTracedJob(input, at, issues);
  // a traced job: the trace decides direction and size; these placeholders say "both, any size"
  const rw: RwMode = traced ? 'randrw' : input.rw === 'readwrite' ? 'rw' : (input.rw ?? 'read');
  const readRatio = traced ? 0.5 : readShare(rw, input, at, issues);
  if (input.bs !== undefined && input.bssplit !== undefined) issues.add(at('bssplit'), 'give bs or bssplit, not both');
  const bs = input.bssplit ?? input.bs ?? DEFAULT_BS;
  const offset = input.offset ?? 0;
  const size = input.size ?? ctx.volumeSizeBytes - offset;
  if (offset + size > ctx.volumeSizeBytes) {
    issues.add(at(input.size !== undefined ? 'size' : 'offset'), `offset + size (${offset + size} bytes) exceeds volume ${ctx.volume} (${ctx.volumeSizeBytes} bytes)`);
  }
  const largest = Math.max(...bs.read.sizesBytes, ...bs.write.sizesBytes);
  if (largest > size) issues.add(at(input.bssplit !== undefined ? 'bssplit' : 'bs'), `block size ${largest} exceeds the ${size} bytes the job addresses`);
  const rate = input.rate_iops;
  const mixed = rw === 'rw' || rw === 'randrw';
  if (rate && mixed && (rate.read === 0 || rate.write === 0)) {
    issues.add(at('rate_iops'), 'a mixed job paced in one direction only is not modeled: give a rate for reads and for writes');
  }
  if (rate && !mixed && (readRatio === 1 ? rate.read : rate.write) === 0) issues.add(at('rate_iops'), `expected a rate for the direction this job does (${rw})`);
  if (issues.count > before) return undefined;
  const engine = input.ioengine ?? 'libaio';
  const sync = SYNC_ENGINES.includes(engine);
  return {
    name: ctx.name,
    volume: ctx.volume,
    rw,
    readRatio,
    bs,
    iodepth: sync ? 1 : (input.iodepth ?? 1),
    numjobs: input.numjobs ?? 1,
    rateIops: rate,
    rateProcess: input.rate_process ?? 'linear',
    thinktimeUs: input.thinktime ?? 0,
    thinktimeBlocks: input.thinktime_blocks ?? 1,
    spanOffsetBytes: offset,
    spanSizeBytes: size,
    distribution: input.random_distribution ?? { kind: 'random' },
    ioengine: engine,
    sync,
    startdelayUs: input.startdelay ?? 0,
    ...(input.trace !== undefined ? { trace: normalizeTrace(input.trace) } : {}),
    randomMap: input.norandommap !== true,
    randrepeat: input.randrepeat ?? true,
    ...(input.randseed !== undefined ? { randseed: input.randseed } : {}),
    runtimeUs: input.runtime ?? ctx.durationUs,
    rampUs: input.ramp_time ?? ctx.rampUs,
    options: {},
  };
}

function readShare(rw: RwMode, input: JobInput, at: (k: string) => string, issues: Issues): number {
  if (rw === 'read' || rw === 'randread') return 1;
  if (rw === 'write' || rw === 'randwrite') return 0;
  if (input.rwmixread !== undefined && input.rwmixwrite !== undefined && input.rwmixread + input.rwmixwrite !== 100) {
    issues.add(at('rwmixwrite'), `rwmixread (${input.rwmixread}) and rwmixwrite (${input.rwmixwrite}) must add up to 100`);
  }
  if (input.rwmixread !== undefined) return input.rwmixread / 100;
  if (input.rwmixwrite !== undefined) return 1 - input.rwmixwrite / 100;
  return 0.5;
}
