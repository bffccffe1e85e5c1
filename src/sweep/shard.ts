/**
 * Sweeps cut into deterministic shards, and put back together. Shard I of N takes the
 * grid points whose index is I-1 modulo N (round robin, so shards of a grid whose cost
 * grows along a field stay even). A shard file carries its points' results and a key
 * over everything that decides them; merge accepts shards only with one key, each shard
 * once, every point present. Results pass through JSON exactly: numbers keep every bit
 * (JSON's shortest round-trip form) and the non-finite ones are spelled out. Pure.
 */
import type { GridPoint } from './grid.js';
import type { PointResult, PointRow } from './evaluate.js';

export interface Shard {
  index: number;
  count: number;
}

export const MAX_SHARDS = 10_000;

export function parseShard(text: string): Shard | string {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return `expected I/N such as 2/8, got ${JSON.stringify(text)}`;
  const [index, count] = [Number(m[1]), Number(m[2])];
  if (count < 1 || count > MAX_SHARDS || index < 1 || index > count) return `expected 1 <= I <= N <= ${MAX_SHARDS}, got ${JSON.stringify(text)}`;
  return { index, count };
}

export const inShard = (shard: Shard) => (p: GridPoint): boolean => p.index % shard.count === shard.index - 1;

const ROW_NUMBERS = ['iops', 'meanUs', 'p50Us', 'p99Us', 'p999Us'] as const;
const enc = (x: number): number | string => (Number.isFinite(x) ? x : String(x));
const dec = (x: unknown): number => (typeof x === 'number' ? x : x === 'NaN' ? NaN : x === 'Infinity' ? Infinity : x === '-Infinity' ? -Infinity : NaN);

export function encodePointResult(r: PointResult): unknown {
  return {
    ...r,
    maxUtilization: enc(r.maxUtilization),
    ...(r.binding ? { binding: { ...r.binding, utilization: enc(r.binding.utilization) } } : {}),
    rows: r.rows.map((row) => ({ ...row, ...Object.fromEntries(ROW_NUMBERS.map((k) => [k, enc(row[k])])) })),
  };
}

export function decodePointResult(x: unknown): PointResult {
  const r = x as PointResult & { rows: Record<string, unknown>[] };
  const rows = r.rows.map((row) => ({ ...row, ...Object.fromEntries(ROW_NUMBERS.map((k) => [k, dec(row[k])])) }) as unknown as PointRow);
  const binding = r.binding ? { binding: { ...r.binding, utilization: dec(r.binding.utilization) } } : {};
  return { ...r, maxUtilization: dec(r.maxUtilization), ...binding, rows };
}

export type ShardKind = 'sweep' | 'capacity';

export interface ShardFile<Meta = unknown> {
  blocksim: 'shard';
  kind: ShardKind;
  /** Hash of the scenario, its profile files and the command's options: shards of one run share it. */
  key: string;
  shard: Shard;
  /** Points of the whole grid. */
  total: number;
  meta: Meta;
  results: PointResult[];
}

export function shardFileName(kind: ShardKind, shard: Shard): string {
  return `${kind}-shard-${shard.index}-of-${shard.count}.json`;
}

export function renderShardFile(file: ShardFile): string {
  return `${JSON.stringify({ ...file, results: file.results.map(encodePointResult) }, null, 1)}\n`;
}

/** A parsed shard file, or what is wrong with it. */
export function parseShardFile(text: string): ShardFile | string {
  let x: ShardFile;
  try {
    x = JSON.parse(text) as ShardFile;
  } catch (err) {
    return `not JSON: ${(err as Error).message}`;
  }
  if (x?.blocksim !== 'shard' || (x.kind !== 'sweep' && x.kind !== 'capacity') || !Array.isArray(x.results) || typeof x.key !== 'string') return 'not a blocksim shard file';
  return { ...x, results: x.results.map(decodePointResult) };
}

/** All points of the grid in index order, or the problems that stop a merge. */
export function mergeShards(files: { source: string; file: ShardFile }[]): { kind: ShardKind; meta: unknown; results: PointResult[] } | string[] {
  if (files.length === 0) return ['no shard files given'];
  const first = files[0]!.file;
  const problems: string[] = [];
  const seen = new Map<number, string>();
  for (const { source, file } of files) {
    if (file.kind !== first.kind || file.key !== first.key || file.shard.count !== first.shard.count || file.total !== first.total) {
      problems.push(`${source}: from another run than ${files[0]!.source} (a different scenario, options or number of shards)`);
      continue;
    }
    const prior = seen.get(file.shard.index);
    if (prior) problems.push(`${source}: shard ${file.shard.index}/${file.shard.count} is also in ${prior}`);
    seen.set(file.shard.index, source);
  }
  const missing = Array.from({ length: first.shard.count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length) problems.push(`missing shard${missing.length > 1 ? 's' : ''} ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', ...' : ''} of ${first.shard.count}`);
  if (problems.length) return problems;
  const results: PointResult[] = new Array(first.total);
  for (const { file } of files) for (const r of file.results) results[r.point.index] = r;
  const holes = results.length - results.filter(Boolean).length;
  if (holes > 0) return [`${holes} of ${first.total} points have no result`];
  return { kind: first.kind, meta: first.meta, results };
}
