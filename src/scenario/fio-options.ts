/**
 * Parsers for fio option values whose syntax is fio's own: bs ("8k" or "8k,32k"),
 * bssplit ("4k/50:64k/50[,write list]"), rate_iops ("500" or "700,300"),
 * random_distribution ("random", "zipf:1.2") and ioengine. Each returns a value or one
 * message; the schema turns messages into issues at the option's path.
 */
import type { AddressDistribution, BlockSizeMix, Direction } from './types.js';
import { parseRate, parseSize, show } from './units.js';

export type Result<T> = { ok: true; value: T } | { ok: false; message: string };
const fail = <T>(message: string): Result<T> => ({ ok: false, message });
const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export const SYNC_ENGINES = ['sync', 'psync', 'vsync', 'pvsync', 'pvsync2'];
export const ASYNC_ENGINES = ['libaio', 'io_uring', 'posixaio'];
const MAX_BS = 2 ** 30;

export type PerDirection<T> = Record<Direction, T>;

function blockSize(text: string): Result<number> {
  const p = parseSize(text);
  if (!p.ok) return p;
  if (!Number.isInteger(p.value) || p.value < 1 || p.value > MAX_BS) return fail(`expected a block size from 1 byte to 1 GiB, got ${show(text)}`);
  return p;
}

const single = (sizeBytes: number): BlockSizeMix => ({ sizesBytes: [sizeBytes], cumulative: [1] });

/** bs: 4096, "8k", or "8k,32k" (read, write). */
export function parseBs(input: unknown): Result<PerDirection<BlockSizeMix>> {
  if (typeof input !== 'string' && typeof input !== 'number') return fail(`expected a block size like 4k or "8k,32k", got ${show(input)}`);
  const parts = String(input).split(',').map((s) => s.trim());
  if (parts.length > 2) return fail(`expected one block size or "read,write", got ${show(input)}`);
  const read = blockSize(parts[0]!);
  if (!read.ok) return read;
  const write = parts[1] === undefined || parts[1] === '' ? read : blockSize(parts[1]);
  if (!write.ok) return write;
  return ok({ read: single(read.value), write: single(write.value) });
}

/** bssplit: "4k/50:64k/50", or "read-list,write-list"; an entry without a share gets an equal part of the rest. */
export function parseBssplit(input: unknown): Result<PerDirection<BlockSizeMix>> {
  if (typeof input !== 'string') return fail(`expected a split like "4k/50:64k/50", got ${show(input)}`);
  const lists = input.split(',').map((s) => s.trim());
  if (lists.length > 2) return fail(`expected "size/pct:size/pct" or "reads,writes", got ${show(input)}`);
  const read = splitList(lists[0]!);
  if (!read.ok) return read;
  const write = lists[1] === undefined || lists[1] === '' ? read : splitList(lists[1]);
  if (!write.ok) return write;
  return ok({ read: read.value, write: write.value });
}

function splitList(list: string): Result<BlockSizeMix> {
  const sizes: number[] = [];
  const pcts: (number | undefined)[] = [];
  for (const entry of list.split(':')) {
    const [sizeText, pctText, extra] = entry.split('/');
    if (extra !== undefined || !sizeText) return fail(`expected entries like 4k/50, got ${show(entry)}`);
    const size = blockSize(sizeText);
    if (!size.ok) return size;
    const pct = pctText === undefined || pctText === '' ? undefined : Number(pctText);
    if (pct !== undefined && !(pct >= 0 && pct <= 100)) return fail(`expected a share from 0 to 100 in ${show(entry)}`);
    sizes.push(size.value);
    pcts.push(pct);
  }
  const given = pcts.reduce<number>((s, p) => s + (p ?? 0), 0);
  const open = pcts.filter((p) => p === undefined).length;
  if (given > 100.0001 || (open === 0 && Math.abs(given - 100) > 0.0001)) return fail(`shares must add up to 100, got ${given}`);
  const weights = pcts.map((p) => p ?? (100 - given) / open);
  const total = weights.reduce((s, w) => s + w, 0);
  if (total <= 0) return fail('shares add up to 0');
  let acc = 0;
  const cumulative = weights.map((w) => (acc += w / total));
  cumulative[cumulative.length - 1] = 1;
  return ok({ sizesBytes: sizes, cumulative });
}

export function parseDistribution(input: unknown): Result<AddressDistribution> {
  if (input === 'random') return ok({ kind: 'random' });
  const m = typeof input === 'string' ? /^zipf:([0-9.]+)$/.exec(input) : null;
  const theta = m ? Number(m[1]) : NaN;
  if (m && theta > 0 && theta <= 100) return ok({ kind: 'zipf', theta });
  return fail(`expected random or zipf:THETA (THETA > 0), got ${show(input)}; pareto, normal and zoned are not modeled`);
}

/** rate_iops: one value for every direction (fio's rule), or "read,write"; 0 or empty = unpaced. */
export function parseRateIops(input: unknown): Result<PerDirection<number>> {
  if (typeof input !== 'string' && typeof input !== 'number') return fail(`expected a rate like 500 or "700,300", got ${show(input)}`);
  const parts = String(input).split(',').map((s) => s.trim());
  if (parts.length > 2) return fail(`expected one rate or "read,write", got ${show(input)}`);
  const nums: number[] = [];
  for (const p of parts) {
    if (p === '' || p === '0') {
      nums.push(0);
      continue;
    }
    const v = parseRate(p);
    if (!v.ok) return v;
    if (!(v.value > 0 && v.value <= 1e9)) return fail(`expected a rate above 0 and at most 1e9, got ${show(input)}`);
    nums.push(v.value);
  }
  if (nums.every((n) => n === 0)) return fail(`expected a rate above 0, got ${show(input)}`);
  return ok({ read: nums[0]!, write: nums[1] ?? nums[0]! });
}

export function parseEngine(input: unknown): Result<string> {
  if (typeof input === 'string' && (SYNC_ENGINES.includes(input) || ASYNC_ENGINES.includes(input))) return ok(input);
  return fail(`expected one of ${[...ASYNC_ENGINES, ...SYNC_ENGINES].join(', ')}, got ${show(input)}`);
}
