/**
 * Flag values checked by yargs itself (coerce), so a bad value is refused while the
 * command line is parsed, before any handler runs, and is quoted as the user typed it.
 */
import type { Options } from 'yargs';
import { UsageError } from './exit.js';
import { parseSize } from '../scenario/units.js';

/** A whole-number flag within [min, max], e.g. --seed, --repeat, --workers. */
export function wholeNumberFlag(name: string, describe: string, min: number, max = Number.MAX_SAFE_INTEGER, dflt?: number): Options {
  return {
    type: 'string',
    describe,
    ...(dflt !== undefined ? { default: dflt } : {}),
    coerce: (v: unknown): number => {
      if (Array.isArray(v)) throw new UsageError(`--${name}: give it once, got ${v.length} values`);
      const text = String(v).trim();
      const n = Number(text);
      if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(n)) throw new UsageError(`--${name}: expected a whole number, got ${JSON.stringify(String(v))}`);
      if (n < min || n > max) throw new UsageError(`--${name}: expected a whole number ${max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`}, got ${n}`);
      return n;
    },
  };
}

/** A folder as printed: one trailing slash whatever the user typed ("out//" → "out/"). */
export function shownFolder(dir: string): string {
  const d = dir.replace(/\/+$/, '');
  return d === '' ? '/' : `${d}/`;
}

/** A size flag ("8GiB", "512m"; a bare number is bytes, as in fio), above 0. */
export function sizeFlag(name: string, describe: string): Options {
  return {
    type: 'string',
    describe,
    coerce: (v: unknown): number => {
      if (Array.isArray(v)) throw new UsageError(`--${name}: give it once, got ${v.length} values`);
      const p = parseSize(String(v));
      if (!p.ok) throw new UsageError(`--${name}: ${p.message}`);
      if (!Number.isInteger(p.value) || p.value <= 0) throw new UsageError(`--${name}: expected a size above 0 in whole bytes, got ${JSON.stringify(String(v))}`);
      return p.value;
    },
  };
}
