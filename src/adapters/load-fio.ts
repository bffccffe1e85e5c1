/** Reads fio JSON files (or every *.json in a folder) into Results. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { FioParseError, parseFioJson } from '../fio/parse.js';
import { InputError } from '../scenario/issues.js';
import type { Results } from '../results/types.js';
import type { HostFigures } from '../compare/measured-points.js';

/** The run's host figures when its sidecar exists and reads as such; otherwise none. */
async function readHost(file: string): Promise<HostFigures | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const h = JSON.parse(text) as Partial<HostFigures>;
    const c = h.cpu;
    if (typeof h.cores === 'number' && c && ['user', 'system', 'softirq', 'idle'].every((k) => typeof (c as Record<string, unknown>)[k] === 'number')) return h as HostFigures;
  } catch {
    // fall through
  }
  throw new InputError(file, [{ path: '', message: 'not host CPU figures (expected {"cores": N, "cpu": {"user", "system", "softirq", "idle", ...}})' }]);
}

/** Host CPU figures `blocksim fio sweep` writes beside each run: `<run>.host.json`. */
export const HOST_SUFFIX = '.host.json';

export async function loadFioFiles(paths: string[]): Promise<{ file: string; results: Results; host?: HostFigures }[]> {
  const files: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = await stat(p);
    } catch {
      throw new InputError(p, [{ path: '', message: 'no such file or folder' }]);
    }
    if (st.isDirectory()) {
      const names = (await readdir(p)).filter((n) => n.endsWith('.json') && n !== 'results.json' && !n.endsWith(HOST_SUFFIX)).sort();
      files.push(...names.map((n) => join(p, n)));
    } else files.push(p);
  }
  if (files.length === 0) throw new InputError(paths.join(' '), [{ path: '', message: 'no fio JSON files found' }]);
  const out: { file: string; results: Results; host?: HostFigures }[] = [];
  for (const f of files) {
    try {
      const host = await readHost(f.replace(/\.json$/, HOST_SUFFIX));
      out.push({ file: basename(f, '.json'), results: parseFioJson(await readFile(f, 'utf8')), ...(host ? { host } : {}) });
    } catch (err) {
      if (err instanceof FioParseError) throw new InputError(f, [{ path: '', message: err.message }]);
      throw err;
    }
  }
  return out;
}
