/**
 * Atomic writes: each file goes to a temporary name in the same folder and is then
 * renamed over the target, so a crash never leaves a half-written result; a failed
 * batch removes its temporary files and leaves earlier results as they were.
 *
 * A file's content may be given as a function: it is produced when its turn comes and
 * dropped once written, so the peak memory of a large results folder is its largest
 * file, not the sum of them; a function may also give the text in chunks, which are
 * written as they are produced.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { OutsideError } from './errors.js';

/** A file's text, or a function giving it whole or in chunks (written as they come). */
export type FileContent = string | (() => string | Iterable<string> | Promise<string>);

export async function writeFilesAtomically(dir: string, files: Record<string, FileContent>): Promise<string[]> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new OutsideError(`cannot create output folder ${dir}: ${(err as Error).message}`, { cause: err });
  }
  const staged: [string, string][] = [];
  try {
    for (const [name, content] of Object.entries(files)) {
      const target = join(dir, name);
      await mkdir(dirname(target), { recursive: true });
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
