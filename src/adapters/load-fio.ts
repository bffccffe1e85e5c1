/** Reads fio JSON files (or every *.json in a folder) into Results. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { FioParseError, parseFioJson } from '../fio/parse.js';
import { InputError } from '../scenario/issues.js';
import type { Results } from '../results/types.js';

export async function loadFioFiles(paths: string[]): Promise<{ file: string; results: Results }[]> {
  const files: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = await stat(p);
    } catch {
      throw new InputError(p, [{ path: '', message: 'no such file or folder' }]);
    }
    if (st.isDirectory()) {
      const names = (await readdir(p)).filter((n) => n.endsWith('.json') && n !== 'results.json').sort();
      files.push(...names.map((n) => join(p, n)));
    } else files.push(p);
  }
  if (files.length === 0) throw new InputError(paths.join(' '), [{ path: '', message: 'no fio JSON files found' }]);
  const out: { file: string; results: Results }[] = [];
  for (const f of files) {
    try {
      out.push({ file: basename(f, '.json'), results: parseFioJson(await readFile(f, 'utf8')) });
    } catch (err) {
      if (err instanceof FioParseError) throw new InputError(f, [{ path: '', message: err.message }]);
      throw err;
    }
  }
  return out;
}
