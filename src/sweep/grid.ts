/**
 * Parameter grids over scenario fields: `--vary containers.db.replicas=1,2,4,8` or
 * `--vary containers.db.jobs.oltp.rate_iops=1000..8000/1000`. Each point is the scenario
 * input with those fields set and a seed derived from the base seed and the point's
 * values (never from its position or the worker that runs it), so results do not depend
 * on how many workers there are. Pure.
 */
import { Rng } from '../random/rng.js';
import { SHORT_FORMS } from '../scenario/trace-job.js';

export interface Vary {
  path: string[];
  text: string;
  values: (string | number)[];
}

export interface GridPoint {
  index: number;
  /** Varied path (dotted) → value, in --vary order. */
  values: Record<string, string | number>;
  repetition: number;
  seed: number;
}

const num = (s: string): string | number => (/^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s);

/** PATH=a,b,c or PATH=LO..HI or PATH=LO..HI/STEP (numbers). */
export function parseVary(text: string): Vary | string {
  const i = text.indexOf('=');
  if (i <= 0) return `expected PATH=VALUES, got ${JSON.stringify(text)}`;
  const path = text.slice(0, i).split('.');
  if (path.some((p) => p === '')) return `bad path ${JSON.stringify(text.slice(0, i))}`;
  const spec = text.slice(i + 1).trim();
  const range = /^(-?\d+(?:\.\d+)?)\.\.(-?\d+(?:\.\d+)?)(?:\/(\d+(?:\.\d+)?))?$/.exec(spec);
  let values: (string | number)[];
  if (range) {
    const [lo, hi, step] = [Number(range[1]), Number(range[2]), Number(range[3] ?? 1)];
    if (!(hi >= lo) || !(step > 0)) return `expected LO..HI with LO <= HI and a positive step, got ${JSON.stringify(spec)}`;
    values = [];
    for (let v = lo; v <= hi + 1e-9; v += step) values.push(Number(v.toFixed(9)));
    if (values.length > 100_000) return `the range ${spec} has more than 100,000 values`;
  } else values = spec.split(',').map((s) => num(s.trim())).filter((v) => v !== '');
  if (values.length === 0) return `no values in ${JSON.stringify(text)}`;
  return { path, text: path.join('.'), values };
}

export function pointSeed(baseSeed: number, values: Record<string, string | number>, repetition: number): number {
  // sorted: the seed follows from the values alone, whatever order the fields were varied in
  const key = Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`).join('&');
  return Rng.fromSeed(baseSeed).fork(`sweep/${key}/${repetition}`).nextUint32();
}

export function gridPoints(varies: Vary[], repeat: number, baseSeed: number): GridPoint[] {
  let combos: Record<string, string | number>[] = [{}];
  for (const v of varies) combos = combos.flatMap((c) => v.values.map((x) => ({ ...c, [v.text]: x })));
  const out: GridPoint[] = [];
  for (const values of combos) {
    for (let repetition = 1; repetition <= repeat; repetition++) out.push({ index: out.length, values, repetition, seed: pointSeed(baseSeed, values, repetition) });
  }
  return out;
}

/** A copy of the raw scenario with the point's fields set (missing maps are created). */
export function applyPoint(raw: Record<string, unknown>, point: GridPoint): Record<string, unknown> {
  const copy = structuredClone(raw);
  for (const [dotted, value] of Object.entries(point.values)) {
    const path = dotted.split('.');
    let at: Record<string, unknown> = copy;
    for (const key of path.slice(0, -1)) {
      const next = at[key];
      // a short form (`trace: FILE`) grows into its map form before a key of it is varied
      if (typeof next === 'string' && key in SHORT_FORMS) at[key] = { [SHORT_FORMS[key]!]: next };
      else if (next === null || typeof next !== 'object' || Array.isArray(next)) at[key] = {};
      at = at[key] as Record<string, unknown>;
    }
    at[path[path.length - 1]!] = value;
  }
  copy.seed = point.seed;
  return copy;
}
