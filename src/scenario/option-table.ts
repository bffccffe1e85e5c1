/**
 * ── The fio option table ─────────────────────────────────────────────────────────────
 * Each fio option blocksim knows appears here once (fio's own design: one table drives
 * parsing, help and output), with
 *
 *   parse     the scenario key's parser (modelled in a scenario), or `refused` with why
 *   measured  how fio's "job options" text reads back: into the scenario key (`read`),
 *             ignored with why, or refused (the job cannot be predicted)
 *   replay    the same for a job that replays an iolog (read_iolog)
 *   trace     refused beside a scenario's `trace`, with why
 *   render    its value in a job file, from the typed job (undefined: not written)
 *
 * Derived from it: the scenario schema's job options (schema.ts), the refusal messages
 * (zod-issues.ts, trace-job.ts), the job-file writer (fio/jobfile.ts) and the measured-run
 * reader (compare/fio-workload.ts).
 */
import { z } from 'zod';
import { durationField, numberIn, positiveInt, sizeField, parsedBy } from './fields.js';
import { parseBs, parseBssplit, parseDistribution, parseEngine, parseRateIops } from './fio-options.js';
import { parseSize } from './units.js';
import type { BlockSizeMix, JobSpec, Scenario } from './types.js';

/** What a job file section is written for: the target and, for a traced job, the iolog fio replays. */
export interface RenderContext {
  scenario: Scenario;
  filename: string;
  iolog?: string;
}

/** A measured run's value: read into the scenario key, ignored (with why), or refused. */
export type Measured = { kind: 'read'; read: (text: string) => unknown } | { kind: 'ignored'; reason: string } | { kind: 'refused' };

export interface FioOption {
  name: string;
  /** Other names fio accepts for it. */
  aliases?: string[];
  /** Why a scenario may not say it (the message, at the option's path). */
  refused?: string;
  measured: Measured;
  /** In a replay; absent: refused there. */
  replay?: Measured;
  /** Refused beside `trace`: why. */
  trace?: string;
  render?: (job: JobSpec, ctx: RenderContext) => string | undefined;
}

/** A modelled option: a scenario job key with its parser. */
export interface ModelledOption<S extends z.ZodType = z.ZodType> extends FioOption {
  parse: S;
}

const modelled = <S extends z.ZodType>(o: Omit<ModelledOption<S>, 'name'> & { parse: S }): Omit<ModelledOption<S>, 'name'> => o;
const as = (read: (text: string) => unknown): Measured => ({ kind: 'read', read });
const text = as((v) => v);
const number = as(Number);
const ignored = (reason: string): Measured => ({ kind: 'ignored', reason });
const refused: Measured = { kind: 'refused' };

/** fio sizes are binary whatever the suffix (kb_base=1024). */
export function fioBytes(v: string): string {
  const m = /^(\d+(?:\.\d+)?)([kmgtp])?(i?b)?$/i.exec(v.trim());
  if (!m) return v;
  const p = parseSize(`${m[1]}${m[2] ?? ''}`);
  return p.ok ? String(p.value) : v;
}

/** fio's booleans as measured: empty (the option named alone), 1 or true is on. */
const fioFlag = as((v) => (v === '' || v === '1' || v === 'true' ? 1 : 0));

/** fio's booleans: true/false, or 1/0. */
const fioBool = z.union([z.boolean(), z.literal(0), z.literal(1)], {
  error: (iss) => `expected true, false, 1 or 0, got ${JSON.stringify(iss.input)}`,
}).transform((v) => v === true || v === 1);

const RW = z.enum(['read', 'write', 'randread', 'randwrite', 'rw', 'readwrite', 'randrw'], {
  error: (iss) => `expected one of read, write, randread, randwrite, rw, readwrite, randrw, got ${JSON.stringify(iss.input)}`,
});

/** A block size mix as fio writes it: "4096" or "4096/70:65536/30". */
export function mixText(mix: BlockSizeMix): string {
  if (mix.sizesBytes.length === 1) return String(mix.sizesBytes[0]);
  let prev = 0;
  return mix.sizesBytes
    .map((size, i) => {
      const pct = (mix.cumulative[i]! - prev) * 100;
      prev = mix.cumulative[i]!;
      return `${size}/${Number(pct.toFixed(4))}`;
    })
    .join(':');
}

const synthetic = (job: JobSpec, value: () => string | undefined): string | undefined => (job.trace ? undefined : value());
const singleSize = (job: JobSpec): boolean => job.bs.read.sizesBytes.length === 1 && job.bs.write.sizesBytes.length === 1;
const sizes = (job: JobSpec): string => (mixText(job.bs.read) === mixText(job.bs.write) ? mixText(job.bs.read) : `${mixText(job.bs.read)},${mixText(job.bs.write)}`);
const us = (x: number): string => `${Math.round(x)}us`;
const DIRECTION = 'the trace gives each I/O its direction';
const SIZE = 'the trace gives each I/O its size';
const TIMES = 'the trace gives the times';
const NO_RANDOM = 'a replay draws no random numbers';

/** The options a scenario's job may give, in the schema's order. */
export const JOB_OPTIONS = {
  rw: modelled({ parse: RW, aliases: ['readwrite'], measured: text, replay: ignored(DIRECTION), trace: DIRECTION, render: (j) => synthetic(j, () => j.rw) }),
  rwmixread: modelled({
    parse: numberIn(0, 100), measured: number, replay: ignored(DIRECTION), trace: DIRECTION,
    render: (j) => synthetic(j, () => (j.rw === 'rw' || j.rw === 'randrw' ? String(Number((j.readRatio * 100).toFixed(4))) : undefined)),
  }),
  rwmixwrite: modelled({ parse: numberIn(0, 100), measured: number, replay: ignored(DIRECTION), trace: DIRECTION }),
  bs: modelled({ parse: parsedBy(parseBs), aliases: ['blocksize'], measured: as((v) => v.split(',').map(fioBytes).join(',')), replay: ignored(SIZE), trace: SIZE, render: (j) => synthetic(j, () => (singleSize(j) ? sizes(j) : undefined)) }),
  bssplit: modelled({ parse: parsedBy(parseBssplit), measured: text, replay: ignored(SIZE), trace: SIZE, render: (j) => synthetic(j, () => (singleSize(j) ? undefined : sizes(j))) }),
  iodepth: modelled({ parse: positiveInt(65536), measured: number, replay: number, render: (j) => String(j.iodepth) }),
  numjobs: modelled({ parse: positiveInt(4096), measured: number, replay: number, render: (j) => String(j.numjobs) }),
  rate_iops: modelled({ parse: parsedBy(parseRateIops), measured: text, trace: 'the trace gives the times; use trace.speed to scale them', render: (j) => (j.rateIops ? `${j.rateIops.read},${j.rateIops.write}` : undefined) }),
  rate_process: modelled({
    parse: z.enum(['linear', 'poisson'], { error: (iss) => `expected linear or poisson, got ${JSON.stringify(iss.input)}` }),
    measured: text, trace: 'the trace gives the times; use trace.speed to scale them', render: (j) => (j.rateIops ? j.rateProcess : undefined),
  }),
  /** fio: a bare number is µs. */
  thinktime: modelled({ parse: durationField({ bare: 'us' }), measured: as((v) => (/^\d+$/.test(v) ? Number(v) : v)), trace: TIMES, render: (j) => (j.thinktimeUs > 0 ? us(j.thinktimeUs) : undefined) }),
  thinktime_blocks: modelled({ parse: positiveInt(1 << 20), measured: number, trace: TIMES, render: (j) => (j.thinktimeUs > 0 ? String(j.thinktimeBlocks) : undefined) }),
  size: modelled({ parse: sizeField({ min: 0, minExclusive: true }), measured: ignored('read as the job span (after the other options)'), replay: ignored('a replay addresses what its log does'), render: (j) => synthetic(j, () => String(j.spanSizeBytes)) }),
  offset: modelled({ parse: sizeField({ min: 0 }), measured: ignored('a measured job is predicted from the start of its volume'), replay: ignored('a replay addresses what its log does'), render: (j) => synthetic(j, () => String(j.spanOffsetBytes)) }),
  random_distribution: modelled({ parse: parsedBy(parseDistribution), measured: text, trace: 'the trace gives the offsets', render: (j) => (j.distribution.kind === 'zipf' ? `zipf:${j.distribution.theta}` : undefined) }),
  ioengine: modelled({ parse: parsedBy(parseEngine), measured: text, replay: text, render: (j) => j.ioengine }),
  /** fio: a bare number is seconds. */
  startdelay: modelled({ parse: durationField({ bare: 's' }), measured: refused, render: (j) => { const d = j.startdelayUs - (j.phaseStartUs ?? 0); return d > 0 ? us(d) : undefined; } }), // a phase starts after the previous one (stonewall)
  /** fio: a bare number is seconds; default: the scenario's duration. */
  runtime: modelled({ parse: durationField({ min: 0, minExclusive: true, bare: 's' }), measured: ignored('the window: the scenario duration'), replay: ignored('the window'), render: (j, c) => (j.runtimeUs !== c.scenario.durationUs ? us(j.runtimeUs) : undefined) }),
  /** fio: a bare number is seconds; default: the scenario's ramp. */
  ramp_time: modelled({ parse: durationField({ bare: 's' }), measured: ignored('the window: the scenario ramp'), replay: ignored('the window'), render: (j, c) => (j.rampUs !== c.scenario.rampUs ? us(j.rampUs) : undefined) }),
  /** fio's random map off: uniform random offsets drawn with replacement. */
  norandommap: modelled({ parse: fioBool, measured: fioFlag, trace: 'the trace gives the offsets', render: (j) => (j.randomMap ? undefined : '1') }),
  /** fio: the job's random streams repeat run after run (default on, as in fio). */
  randrepeat: modelled({ parse: fioBool, measured: fioFlag, trace: NO_RANDOM, render: (j) => (j.randrepeat ? undefined : '0') }),
  randseed: modelled({ parse: numberIn(0, Number.MAX_SAFE_INTEGER, true), measured: ignored('the prediction draws its own numbers'), replay: ignored('no random numbers'), trace: NO_RANDOM, render: (j) => (j.randseed !== undefined ? String(j.randseed) : undefined) }),
};
export type JobOptionName = keyof typeof JOB_OPTIONS;

/** The scenario job schema's part for fio options: each key with its parser, optional. */
export function jobOptionShape(): { [K in JobOptionName]: z.ZodOptional<(typeof JOB_OPTIONS)[K]['parse']> } {
  return Object.fromEntries(Object.entries(JOB_OPTIONS).map(([k, o]) => [k, o.parse.optional()])) as never;
}

const replayRefused = (name: string, reason: string): FioOption => ({ name, refused: `fio's ${name}: ${reason}`, measured: refused });
const OUTPUT = ignored('how fio reports, not what it runs');
const NOT_MODELLED = (name: string): string => `the fio option "${name}" is not modeled by blocksim (the simulator would ignore it, so it is refused)`;

/** fio options that are no scenario key: blocksim writes them, reads them back, or refuses them by name. */
export const OTHER_OPTIONS: FioOption[] = [
  { name: 'filename', refused: NOT_MODELLED('filename'), measured: ignored('the target'), replay: ignored('the target'), render: (_j, c) => c.filename },
  { ...replayRefused('read_iolog', 'replay a trace with trace: FILE (blocksim writes the read_iolog fio replays)'), replay: text, render: (j, c) => (j.trace ? c.iolog : undefined) },
  { name: 'read_iolog_chunked', measured: refused, replay: ignored('how fio loads the log'), render: (j) => (j.trace ? '1' : undefined) },
  { ...replayRefused('replay_redirect', 'a traced job replays onto its volume (fio run --target VOLUME=PATH)'), replay: ignored('the target'), render: (j, c) => (j.trace ? c.filename : undefined) },
  { ...replayRefused('replay_no_stall', 'say trace: { file, mode: closed }'), replay: text, render: (j) => (j.trace?.mode === 'closed' ? '1' : undefined) },
  { ...replayRefused('replay_time_scale', 'say trace: { file, speed } (2 = twice as fast)'), replay: text },
  replayRefused('replay_scale', 'say trace: { file, remap: scale }'),
  replayRefused('replay_align', 'say trace: { file, remap: scale } (offsets keep their alignment)'),
  { name: 'direct', refused: NOT_MODELLED('direct'), measured: ignored('direct=1: what the model is (direct=0 is refused first)'), replay: ignored('direct=1') },
  { name: 'new_group', measured: OUTPUT, replay: OUTPUT, render: () => '1' },
  { name: 'group_reporting', measured: OUTPUT, replay: OUTPUT, render: () => '1' },
  { name: 'time_based', refused: NOT_MODELLED('time_based'), measured: OUTPUT, replay: OUTPUT },
  ...['name', 'output-format', 'output', 'status-interval', 'clocksource', 'slat_percentiles', 'clat_percentiles', 'lat_percentiles'].map((name) => ({ name, measured: OUTPUT, replay: OUTPUT })),
  ...['directory', 'filesize', 'allow_file_create'].map((name) => ({ name, ...(name === 'directory' ? { refused: NOT_MODELLED(name) } : {}), measured: ignored('the target'), replay: ignored('the target') })),
  ...[
    'fsync', 'fdatasync', 'sync', 'verify', 'do_verify', 'buffered', 'zonemode', 'zonesize', 'iodepth_batch', 'iodepth_batch_submit',
    'iodepth_batch_complete_min', 'iodepth_low', 'rate', 'rate_min', 'rate_iops_min', 'blockalign', 'bsrange', 'random_generator',
    'percentage_random', 'trim_percentage', 'gtod_reduce', 'exec_prerun', 'exec_postrun', 'write_iolog', 'nrfiles', 'file_service_type',
    'cpus_allowed', 'prio', 'hipri', 'fixedbufs', 'sqthread_poll', 'unified_rw_reporting',
  ].map((name) => ({ name, refused: NOT_MODELLED(name), measured: refused })),
];

/** Every option by each of its names. */
const BY_NAME = new Map<string, FioOption>();
for (const o of [...Object.entries(JOB_OPTIONS).map(([name, o]) => ({ ...o, name }) as FioOption), ...OTHER_OPTIONS]) {
  for (const n of [o.name, ...(o.aliases ?? [])]) {
    if (BY_NAME.has(n)) throw new Error(`fio option ${n} is in the option table twice`);
    BY_NAME.set(n, o);
  }
}

export function fioOption(name: string): FioOption | undefined {
  return BY_NAME.get(name);
}

/** The message a scenario gets for a refused fio option, or undefined when the key is simply unknown. */
export function scenarioRefusal(key: string): string | undefined {
  return BY_NAME.get(key)?.refused;
}

/** Options a scenario may not give beside `trace`, with why (in table order). */
export const NOT_WITH_TRACE: [JobOptionName, string][] = Object.entries(JOB_OPTIONS).flatMap(([k, o]) => ('trace' in o && o.trace ? [[k as JobOptionName, o.trace]] : []));

/** The order options are written in a job file section (a traced job's and a synthetic job's do not overlap). */
const JOB_FILE_ORDER = [
  'filename', 'read_iolog', 'read_iolog_chunked', 'replay_redirect', 'replay_no_stall', 'rw', 'rwmixread', 'bs', 'bssplit', 'ioengine', 'iodepth',
  'numjobs', 'offset', 'size', 'rate_iops', 'rate_process', 'thinktime', 'thinktime_blocks', 'random_distribution', 'startdelay', 'runtime',
  'ramp_time', 'norandommap', 'randrepeat', 'randseed', 'new_group', 'group_reporting',
];

/** A job's section in a job file: each option the table renders for it, in job-file order. */
export function renderJobOptions(job: JobSpec, ctx: RenderContext): [string, string][] {
  return JOB_FILE_ORDER.flatMap((name) => {
    const v = BY_NAME.get(name)!.render?.(job, ctx);
    return v === undefined ? [] : [[name, v] as [string, string]];
  });
}
