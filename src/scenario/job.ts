/**
 * fio job options (as a scenario writes them) to a typed JobSpec. Meanings follow fio's
 * HOWTO: rw, rwmixread, bs (one value, or "read,write"), bssplit, iodepth, numjobs,
 * rate_iops (applied to each direction, as fio does), rate_process, thinktime,
 * thinktime_blocks, size/offset, random_distribution, ioengine, startdelay.
 */
import type { JobInput } from './schema.js';
import type { BlockSizeMix, Direction, JobSpec, RwMode } from './types.js';
import { parseRate, parseSize, show } from './units.js';
import type { Issues } from './issues.js';

const SYNC_ENGINES = new Set(['sync', 'psync', 'vsync', 'pvsync', 'pvsync2']);
const ASYNC_ENGINES = new Set(['libaio', 'io_uring', 'posixaio']);
const MAX_BS = 2 ** 30;

export interface JobContext {
  path: string;
  name: string;
  volume: string;
  volumeSizeBytes: number;
}

export function normalizeJob(input: JobInput, ctx: JobContext, issues: Issues): JobSpec | undefined {
  const at = (k: string): string => `${ctx.path}.${k}`;
  const before = issues.count;
  const rw: RwMode = input.rw === 'readwrite' ? 'rw' : (input.rw ?? 'read');
  const readRatio = readShare(rw, input, at, issues);
  const bs = input.bssplit !== undefined ? parseBssplit(input.bssplit, at('bssplit'), issues) : parseBs(input.bs, at('bs'), issues);

  const engine = input.ioengine ?? 'libaio';
  if (!SYNC_ENGINES.has(engine) && !ASYNC_ENGINES.has(engine)) {
    issues.add(at('ioengine'), `expected one of ${[...ASYNC_ENGINES, ...SYNC_ENGINES].join(', ')}, got ${show(engine)}`);
  }
  const offset = input.offset ?? 0;
  const size = input.size ?? ctx.volumeSizeBytes - offset;
  if (offset + size > ctx.volumeSizeBytes) {
    issues.add(at(input.size !== undefined ? 'size' : 'offset'), `offset + size (${offset + size} bytes) exceeds volume ${ctx.volume} (${ctx.volumeSizeBytes} bytes)`);
  }
  const distribution = parseDistribution(input.random_distribution, at('random_distribution'), issues);
  const rateIops = input.rate_iops === undefined ? undefined : parseRateIops(input.rate_iops, rw, at('rate_iops'), issues);
  if (bs) {
    const largest = Math.max(...bs.read.sizesBytes, ...bs.write.sizesBytes);
    if (largest > size) issues.add(at(input.bssplit !== undefined ? 'bssplit' : 'bs'), `block size ${largest} exceeds the ${size} bytes the job addresses`);
  }
  if (issues.count > before || !bs) return undefined;
  const sync = SYNC_ENGINES.has(engine);
  return {
    name: ctx.name,
    volume: ctx.volume,
    rw,
    readRatio,
    bs,
    iodepth: sync ? 1 : (input.iodepth ?? 1),
    numjobs: input.numjobs ?? 1,
    rateIops,
    rateProcess: input.rate_process ?? 'linear',
    thinktimeUs: input.thinktime ?? 0,
    thinktimeBlocks: input.thinktime_blocks ?? 1,
    spanOffsetBytes: offset,
    spanSizeBytes: size,
    distribution,
    ioengine: engine,
    sync,
    startdelayUs: input.startdelay ?? 0,
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

function sizeOf(text: string, path: string, issues: Issues): number | undefined {
  const p = parseSize(text);
  if (!p.ok) return void issues.add(path, p.message);
  if (!Number.isInteger(p.value) || p.value < 1 || p.value > MAX_BS) {
    return void issues.add(path, `expected a block size from 1 byte to 1 GiB, got ${show(text)}`);
  }
  return p.value;
}

const single = (sizeBytes: number): BlockSizeMix => ({ sizesBytes: [sizeBytes], cumulative: [1] });

/** bs: 4096, "8k", or "8k,32k" (read, write). Default 4k, as in fio. */
function parseBs(input: string | number | undefined, path: string, issues: Issues): Record<Direction, BlockSizeMix> | undefined {
  if (input === undefined) return { read: single(4096), write: single(4096) };
  const parts = String(input).split(',').map((s) => s.trim());
  if (parts.length > 2) return void issues.add(path, `expected one block size or "read,write", got ${show(input)}`);
  const read = sizeOf(parts[0]!, path, issues);
  const write = parts[1] === undefined || parts[1] === '' ? read : sizeOf(parts[1], path, issues);
  if (read === undefined || write === undefined) return undefined;
  return { read: single(read), write: single(write) };
}

/** bssplit: "4k/50:64k/50", or "read-list,write-list"; an entry without a share gets an equal part of the rest. */
function parseBssplit(input: string, path: string, issues: Issues): Record<Direction, BlockSizeMix> | undefined {
  const lists = input.split(',').map((s) => s.trim());
  if (lists.length > 2) return void issues.add(path, `expected "size/pct:size/pct" or "reads,writes", got ${show(input)}`);
  const read = parseSplitList(lists[0]!, path, issues);
  const write = lists[1] === undefined || lists[1] === '' ? read : parseSplitList(lists[1], path, issues);
  return read && write ? { read, write } : undefined;
}

function parseSplitList(list: string, path: string, issues: Issues): BlockSizeMix | undefined {
  const sizes: number[] = [];
  const pcts: (number | undefined)[] = [];
  for (const entry of list.split(':')) {
    const [sizeText, pctText, extra] = entry.split('/');
    if (extra !== undefined || !sizeText) return void issues.add(path, `expected entries like 4k/50, got ${show(entry)}`);
    const size = sizeOf(sizeText, path, issues);
    if (size === undefined) return undefined;
    const pct = pctText === undefined || pctText === '' ? undefined : Number(pctText);
    if (pct !== undefined && !(pct >= 0 && pct <= 100)) return void issues.add(path, `expected a share from 0 to 100 in ${show(entry)}`);
    sizes.push(size);
    pcts.push(pct);
  }
  const given = pcts.reduce<number>((s, p) => s + (p ?? 0), 0);
  const open = pcts.filter((p) => p === undefined).length;
  if (given > 100.0001 || (open === 0 && Math.abs(given - 100) > 0.0001)) {
    return void issues.add(path, `shares must add up to 100, got ${given}`);
  }
  const weights = pcts.map((p) => p ?? (100 - given) / open);
  const total = weights.reduce((s, w) => s + w, 0);
  if (total <= 0) return void issues.add(path, 'shares add up to 0');
  let acc = 0;
  const cumulative = weights.map((w) => (acc += w / total));
  cumulative[cumulative.length - 1] = 1;
  return { sizesBytes: sizes, cumulative };
}

function parseDistribution(input: string | undefined, path: string, issues: Issues): JobSpec['distribution'] {
  if (input === undefined || input === 'random') return { kind: 'random' };
  const m = /^zipf:([0-9.]+)$/.exec(input);
  const theta = m ? Number(m[1]) : NaN;
  if (m && theta > 0 && theta <= 100) return { kind: 'zipf', theta };
  issues.add(path, `expected random or zipf:THETA (THETA > 0), got ${show(input)}; pareto, normal and zoned are not modeled`);
  return { kind: 'random' };
}

/** rate_iops: one value for every direction the job does (fio's rule), or "read,write". */
function parseRateIops(input: string | number, rw: RwMode, path: string, issues: Issues): Record<Direction, number> | undefined {
  const parts = String(input).split(',').map((s) => s.trim());
  if (parts.length > 2) return void issues.add(path, `expected one rate or "read,write", got ${show(input)}`);
  const values = parts.map((p) => (p === '' ? 0 : parseRate(p)));
  const nums: number[] = [];
  for (const v of values) {
    if (typeof v === 'number') nums.push(v);
    else if (!v.ok) return void issues.add(path, v.message);
    else if (v.value <= 0 || v.value > 1e9) return void issues.add(path, `expected a rate above 0, got ${show(input)}`);
    else nums.push(v.value);
  }
  const read = nums[0]!;
  const write = nums[1] ?? read;
  const mixed = rw === 'rw' || rw === 'randrw';
  if (mixed && (read === 0 || write === 0)) {
    return void issues.add(path, 'a mixed job paced in one direction only is not modeled: give a rate for reads and for writes');
  }
  return { read, write };
}
