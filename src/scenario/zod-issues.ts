/**
 * zod issues to user messages with dotted paths, including "did you mean" for typos in
 * keys (the known keys come from the schema itself, so they never go stale).
 */
import type { z } from 'zod';
import { show } from './units.js';
import type { Issue } from './issues.js';
import { scenarioRefusal } from './option-table.js';

type AnySchema = z.ZodType;
interface Def {
  type: string;
  shape?: Record<string, AnySchema>;
  valueType?: AnySchema;
  innerType?: AnySchema;
  in?: AnySchema;
  out?: AnySchema;
  element?: AnySchema;
  options?: AnySchema[];
}

const defOf = (s: AnySchema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

/** Keys an object schema at `path` accepts (union members merged), or [] if unknown. */
function keysAt(root: AnySchema, path: readonly PropertyKey[]): string[] {
  let nodes: AnySchema[] = [root];
  const unwrap = (s: AnySchema): AnySchema[] => {
    const d = defOf(s);
    if (d.innerType) return unwrap(d.innerType);
    if (d.type === 'pipe' && d.in) return [...unwrap(d.in), ...(d.out ? unwrap(d.out) : [])];
    if (d.type === 'union' && d.options) return d.options.flatMap(unwrap);
    return [s];
  };
  for (const seg of path) {
    nodes = nodes.flatMap(unwrap).flatMap((s) => {
      const d = defOf(s);
      if (d.type === 'object' && d.shape && typeof seg === 'string' && d.shape[seg]) return [d.shape[seg]];
      if (d.type === 'record' && d.valueType) return [d.valueType];
      if (d.type === 'array' && d.element) return [d.element];
      return [];
    });
  }
  const keys = new Set<string>();
  for (const s of nodes.flatMap(unwrap)) {
    const d = defOf(s);
    if (d.type === 'object' && d.shape) for (const k of Object.keys(d.shape)) keys.add(k);
  }
  return [...keys];
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

export function suggest(word: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(word, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

export function fromZod(root: AnySchema, issues: readonly z.core.$ZodIssue[]): Issue[] {
  const out: Issue[] = [];
  for (const iss of issues) {
    const path = formatPath(iss.path);
    switch (iss.code) {
      case 'unrecognized_keys':
        for (const key of iss.keys) {
          const where = formatPath([...iss.path, key]);
          // a fio option the table refuses in a scenario (not modelled, or said another way)
          const refusal = scenarioRefusal(key);
          if (refusal !== undefined) {
            out.push({ path: where, message: refusal });
            continue;
          }
          const hint = suggest(key, keysAt(root, iss.path));
          out.push({ path: where, message: `unknown key${hint ? ` (did you mean "${hint}"?)` : ''}` });
        }
        break;
      case 'invalid_type':
        out.push({ path, message: iss.input === undefined ? `missing: expected ${iss.expected}` : `expected ${iss.expected}, got ${show(iss.input)}` });
        break;
      case 'invalid_union': {
        const key = (iss as { discriminator?: string }).discriminator;
        if (key === undefined) {
          out.push({ path, message: iss.message });
          break;
        }
        const where = iss.path[iss.path.length - 1] === key ? iss.path : [...iss.path, key];
        const value = (iss.input as Record<string, unknown> | undefined)?.[key];
        const forms = 'one of fixed, exponential, lognormal, empirical';
        out.push({ path: formatPath(where), message: value === undefined ? `missing: expected ${forms}` : `expected ${forms}, got ${show(value)}` });
        break;
      }
      default:
        out.push({ path, message: iss.message });
    }
  }
  return out;
}
