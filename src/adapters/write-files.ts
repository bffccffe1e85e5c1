/**
 * Atomic writes: each file goes to a temporary name in the same folder and is then
 * renamed over the target, so a crash never leaves a half-written result; a failed
 * batch removes its temporary files and leaves earlier results as they were.
 *
 * A file's content may be given as a function: it is produced when its turn comes and
 * dropped once written, so the peak memory of a large results folder is its largest
 * file, not the sum of them; a function may also give the text in chunks, which are
 * written as they are produced.
 *
 * Folders are made one level at a time: Node's recursive mkdir loops for ever under
 * /proc (ENOENT that never resolves). Commands check their output places up front
 * (checkWritableFolder, checkWritableFile) so an unwritable one is refused before work.
 */
import { mkdtempSync, rmdirSync, statSync } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { OutsideError } from './errors.js';

/** A file's text, or a function giving it whole or in chunks (written as they come). */
export type FileContent = string | (() => string | Iterable<string> | Promise<string>);

const codeOf = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? (err as Error).message;

/** The deepest folder of `dir` that exists, or an OutsideError naming what is in the way. */
function nearestExisting(dir: string, label: string): string {
  let at = resolve(dir);
  for (;;) {
    try {
      const st = statSync(at);
      if (!st.isDirectory()) throw new OutsideError(`${label}: ${at} is not a folder`);
      return at;
    } catch (err) {
      if (err instanceof OutsideError) throw err;
      const code = codeOf(err);
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(at) === at) throw new OutsideError(`${label}: cannot use ${at} (${code})`);
      at = dirname(at);
    }
  }
}

/**
 * Refuses a folder that cannot be created or written (a read-only or pseudo file system
 * such as /proc or /sys, a file in the way, no permission): creates and removes an empty
 * probe folder in the deepest part of the path that exists. Throws an OutsideError.
 */
export function checkWritableFolder(dir: string, label = dir): void {
  const base = nearestExisting(dir, label);
  try {
    rmdirSync(mkdtempSync(join(base, '.blocksim-probe-')));
  } catch (err) {
    throw new OutsideError(`${label}: cannot write in ${base} (${codeOf(err)})`, { cause: err });
  }
}

/** As checkWritableFolder for the file's folder; the file itself may not be a folder. */
export function checkWritableFile(file: string, label = file): void {
  checkWritableFolder(dirname(resolve(file)), label);
  try {
    if (statSync(file).isDirectory()) throw new OutsideError(`${label}: ${file} is a folder, expected a file name`);
  } catch (err) {
    if (err instanceof OutsideError) throw err;
  }
}

/** mkdir -p, one level at a time (see above). */
export async function makeFolder(dir: string): Promise<void> {
  const target = resolve(dir);
  const missing: string[] = [];
  for (let at = target; ; at = dirname(at)) {
    const st = await stat(at).catch((err: unknown) => {
      if (codeOf(err) !== 'ENOENT') throw err;
      return undefined;
    });
    if (st) break;
    missing.unshift(at);
    if (dirname(at) === at) break;
  }
  for (const m of missing) await mkdir(m).catch((err: unknown) => {
    if (codeOf(err) !== 'EEXIST') throw err;
  });
}

export async function writeFilesAtomically(dir: string, files: Record<string, FileContent>): Promise<string[]> {
  try {
    await makeFolder(dir);
  } catch (err) {
    throw new OutsideError(`cannot create output folder ${dir}: ${(err as Error).message}`, { cause: err });
  }
  const staged: [string, string][] = [];
  try {
    for (const [name, content] of Object.entries(files)) {
      const target = join(dir, name);
      await makeFolder(dirname(target));
      const tmp = `${target}.tmp-${process.pid}`;
      await writeFile(tmp, typeof content === 'function' ? await content() : content);
      staged.push([tmp, target]);
    }
    for (const [tmp, target] of staged) await rename(tmp, target);
  } catch (err) {
    await Promise.all(staged.map(([tmp]) => rm(tmp, { force: true })));
    throw new OutsideError(`cannot write results to ${dir}: ${(err as Error).message}`, { cause: err });
  }
  return staged.map(([, target]) => target);
}
