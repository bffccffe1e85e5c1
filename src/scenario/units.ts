/**
 * Units at the edge: scenario strings to base units, and base units back to text.
 *
 *   size       bytes          4k = 4KiB = 4096 (bare letters and *iB are binary, as in fio);
 *                             4KB = 4000, 1MB = 10^6 (SI with an explicit B)
 *   duration   microseconds   250ns, 250us (or µs), 2ms, 30s, 5m, 1h; a bare number means what
 *                             fio means by it where the field is a fio option (runtime,
 *                             ramp_time, startdelay: seconds; thinktime: µs) and is refused
 *                             elsewhere, with a message that asks for a unit
 *   rate       per second     50k = 50000, 1.5m = 1500000 (decimal: these are counts)
 *   bandwidth  bytes/second   3GiB/s, 1500MiB/s, 200MB/s, 10Gbit/s; a bare number is bytes/s
 *
 * Each parser returns a value or a message for the user ("expected a size like 4k, got ...").
 */
export type Parsed = { ok: true; value: number } | { ok: false; message: string };

const BINARY: Record<string, number> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50, e: 2 ** 60 };
const DECIMAL: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12, p: 1e15, e: 1e18 };
const TIME_US: Record<string, number> = { ns: 1e-3, us: 1, 'µs': 1, μs: 1, ms: 1e3, s: 1e6, m: 6e7, h: 3.6e9 };

const NUMBER = '([0-9]+(?:\\.[0-9]+)?(?:e[+-]?[0-9]+)?)';
const SIZE_RE = new RegExp(`^${NUMBER}\\s*([kmgtpe]?)(i?)(b?)$`, 'i');
const TIME_RE = new RegExp(`^${NUMBER}\\s*(ns|us|µs|μs|ms|s|m|h)$`, 'i');
const COUNT_RE = new RegExp(`^${NUMBER}\\s*([kmg]?)$`, 'i');

export function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return String(v);
}

function fail(what: string, v: unknown): Parsed {
  return { ok: false, message: `expected ${what}, got ${show(v)}` };
}

/** Bytes from 4096, "4k", "4KiB", "1MB", "2GiB". */
export function parseSize(v: unknown): Parsed {
  if (typeof v === 'number') return Number.isFinite(v) ? { ok: true, value: v } : fail('a size like 4k or 1MiB', v);
  if (typeof v !== 'string') return fail('a size like 4k or 1MiB', v);
  const m = SIZE_RE.exec(v.trim());
  if (!m) return fail('a size like 4k or 1MiB', v);
  const [, num, prefix = '', i, b] = m;
  const p = prefix.toLowerCase();
  const table = i === '' && b !== '' && p !== '' ? DECIMAL : BINARY; // "4KB" is SI; "4k", "4KiB" binary
  if (i !== '' && (p === '' || b === '')) return fail('a size like 4k or 1MiB', v);
  return { ok: true, value: Number(num) * table[p]! };
}

/** What a bare number means in a time field: fio's seconds or microseconds, or nothing (refused). */
export type BareTime = 's' | 'us' | undefined;

/**
 * Microseconds from "250us", "2ms", "30s"; a bare number (42 or "42") is seconds or µs as
 * `bare` says, and refused without it: a time with no fio convention needs its unit.
 */
export function parseDuration(v: unknown, bare: BareTime = undefined): Parsed {
  const bareValue = typeof v === 'number' ? v : typeof v === 'string' && /^[0-9.]+(e[+-]?[0-9]+)?$/i.test(v.trim()) ? Number(v.trim()) : undefined;
  if (bareValue !== undefined) {
    if (!Number.isFinite(bareValue)) return fail('a time like 250us, 2ms or 30s', v);
    if (bare === undefined && bareValue !== 0) return { ok: false, message: `expected a time with a unit, like ${bareValue}us, ${bareValue}ms or ${bareValue}s, got ${show(v)} (a bare number has no agreed unit here)` };
    return { ok: true, value: bare === 's' ? bareValue * 1e6 : bareValue }; // 0 needs no unit
  }
  if (typeof v !== 'string') return fail('a time like 250us, 2ms or 30s', v);
  const s = v.trim();
  const m = TIME_RE.exec(s);
  if (!m) return fail('a time like 250us, 2ms or 30s', v);
  const unit = m[2]!.toLowerCase();
  const scale = TIME_US[unit] ?? TIME_US[m[2]!];
  if (scale === undefined) return fail('a time like 250us, 2ms or 30s', v);
  return { ok: true, value: Number(m[1]) * scale };
}

/** Count per second from 50000, "50k", "1.5m". */
export function parseRate(v: unknown): Parsed {
  if (typeof v === 'number') return Number.isFinite(v) ? { ok: true, value: v } : fail('a rate like 500 or 50k', v);
  if (typeof v !== 'string') return fail('a rate like 500 or 50k', v);
  const m = COUNT_RE.exec(v.trim());
  if (!m) return fail('a rate like 500 or 50k', v);
  return { ok: true, value: Number(m[1]) * DECIMAL[m[2]!.toLowerCase()]! };
}

const BITS_RE = new RegExp(`^${NUMBER}\\s*([kmgt]?)bit/s$`, 'i');

/** Bytes per second from "3GiB/s", "200MB/s", "10Gbit/s" (decimal bits), or a bare number. */
export function parseBandwidth(v: unknown): Parsed {
  if (typeof v === 'number') return Number.isFinite(v) ? { ok: true, value: v } : fail('a bandwidth like 500MiB/s', v);
  if (typeof v !== 'string') return fail('a bandwidth like 500MiB/s', v);
  const s = v.trim();
  const bits = BITS_RE.exec(s);
  if (bits) return { ok: true, value: (Number(bits[1]) * DECIMAL[bits[2]!.toLowerCase()]!) / 8 };
  const body = s.endsWith('/s') ? s.slice(0, -2) : s;
  const r = parseSize(body);
  return r.ok ? r : fail('a bandwidth like 500MiB/s', v);
}

const SIZE_UNITS: [number, string][] = [
  [2 ** 60, 'EiB'], [2 ** 50, 'PiB'], [2 ** 40, 'TiB'], [2 ** 30, 'GiB'], [2 ** 20, 'MiB'], [2 ** 10, 'KiB'],
];

/** "4 KiB", "1.5 GiB", "512 B". */
export function formatBytes(bytes: number): string {
  for (const [scale, unit] of SIZE_UNITS) {
    if (Math.abs(bytes) >= scale) return `${trim(bytes / scale)} ${unit}`;
  }
  return `${trim(bytes)} B`;
}

/** "250 µs", "2.5 ms", "30 s", "12.5 min", "5.8 h", "3.2 days". */
export function formatDuration(us: number): string {
  if (Math.abs(us) >= 86400e6 * 2) return `${trim(us / 86400e6)} days`;
  if (Math.abs(us) >= 3600e6 * 2) return `${trim(us / 3600e6)} h`;
  if (Math.abs(us) >= 600e6) return `${trim(us / 60e6)} min`;
  if (Math.abs(us) >= 1e6) return `${trim(us / 1e6)} s`;
  if (Math.abs(us) >= 1e3) return `${trim(us / 1e3)} ms`;
  return `${trim(us)} µs`;
}

function trim(x: number): string {
  return Number(x.toPrecision(4)).toString();
}
