/**
 * Field checkers for the scenario schema: each turns user input (a number, or a string
 * with a unit) into a number in base units, or records one issue with a readable message
 * ("expected a positive integer, got 0"). The zod schema is built from these.
 */
import { z } from 'zod';
import { formatBytes, formatDuration, parseBandwidth, parseDuration, parseRate, parseSize, show, type BareTime, type Parsed } from './units.js';

/** Largest byte count or offset that is still exact in a double: 2^53 bytes = 8 PiB. */
export const MAX_BYTES = 2 ** 53;
/** Longest simulated time accepted: 30 days. */
export const MAX_DURATION_US = 30 * 24 * 3600 * 1e6;

interface Bounds {
  min?: number;
  minExclusive?: boolean;
  max?: number;
  integer?: boolean;
  fmt?: (n: number) => string;
}

function check(p: Parsed, what: string, b: Bounds, raw: unknown): Parsed {
  if (!p.ok) return p;
  const v = p.value;
  const fmt = b.fmt ?? String;
  const shown = typeof raw === 'string' ? show(raw) : String(raw);
  if (b.integer && !Number.isInteger(v)) return { ok: false, message: `expected ${what === 'a number' ? 'a whole number' : `${what} as a whole number`}, got ${shown}` };
  if (b.min !== undefined && (b.minExclusive ? v <= b.min : v < b.min)) {
    const rel = b.minExclusive ? 'more than' : 'at least';
    return { ok: false, message: `expected ${what} of ${rel} ${fmt(b.min)}, got ${shown}` };
  }
  if (b.max !== undefined && v > b.max) return { ok: false, message: `expected ${what} of at most ${fmt(b.max)}, got ${shown}` };
  return p;
}

function field(parse: (v: unknown) => Parsed, what: string, b: Bounds) {
  return z.unknown().transform((raw, ctx): number => {
    const p = check(parse(raw), what, b, raw);
    if (p.ok) return p.value;
    ctx.addIssue({ code: 'custom', message: p.message });
    return z.NEVER;
  });
}

const plain = (v: unknown): Parsed =>
  typeof v === 'number' && Number.isFinite(v) ? { ok: true, value: v } : { ok: false, message: `expected a number, got ${show(v)}` };

export const sizeField = (b: Bounds = {}) =>
  field(parseSize, 'a size', { max: MAX_BYTES, fmt: formatBytes, ...b });
/** A time; `bare` is what a bare number means (fio's unit for that option), or undefined to refuse it. */
export const durationField = (b: Bounds & { bare?: BareTime } = {}) =>
  field((v) => parseDuration(v, b.bare), 'a time', { min: 0, max: MAX_DURATION_US, fmt: formatDuration, ...b });
export const rateField = (b: Bounds = {}) => field(parseRate, 'a rate', { min: 0, minExclusive: true, max: 1e9, ...b });
export const bandwidthField = (b: Bounds = {}) =>
  field(parseBandwidth, 'a bandwidth', { min: 0, minExclusive: true, max: 2 ** 50, fmt: (n) => `${formatBytes(n)}/s`, ...b });

/** Positive whole number up to max ("expected a positive integer, got 0"). */
export function positiveInt(max: number) {
  return z.unknown().transform((raw, ctx): number => {
    if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1) {
      ctx.addIssue({ code: 'custom', message: `expected a positive integer, got ${show(raw)}` });
      return z.NEVER;
    }
    if (raw > max) {
      ctx.addIssue({ code: 'custom', message: `expected a positive integer of at most ${max}, got ${raw}` });
      return z.NEVER;
    }
    return raw;
  });
}

/** A number within [min, max]. */
export function numberIn(min: number, max: number, integer = false) {
  return field(plain, 'a number', { min, max, integer });
}

/** Names of devices, volumes, containers and jobs: they become fio job names and file names. */
export const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
export const NAME_RULE = 'letters, digits, "-" and "_", starting with a letter or digit, at most 63 characters';

/** A field parsed by a function that returns a value or a message. */
export function parsedBy<T>(parse: (v: unknown) => { ok: true; value: T } | { ok: false; message: string }) {
  return z.unknown().transform((raw, ctx): T => {
    const p = parse(raw);
    if (p.ok) return p.value;
    ctx.addIssue({ code: 'custom', message: p.message });
    return z.NEVER;
  });
}
