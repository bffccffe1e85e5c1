/**
 * Atomic writes: each file goes to a temporary name in the same folder and is then
 * renamed over the target, so a crash never leaves a half-written result; a failed
 * batch removes its temporary files and leaves earlier results as they were.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { OutsideError } from './errors.js';

export async function writeFilesAtomically(dir: string, files: Record<string, string>): Promise<string[]> {
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
      await writeFile(tmp, content);
      staged.push([tmp, target]);
    }
    for (const [tmp, target] of staged) await rename(tmp, target);
  } catch (err) {
    await Promise.all(staged.map(([tmp]) => rm(tmp, { force: true })));
    throw new OutsideError(`cannot write results to ${dir}: ${(err as Error).message}`, { cause: err });
  }
  return staged.map(([, target]) => target);
}
