/**
 * Shard files on disk: written atomically into a sweep's output folder, read back from
 * folders, files or saved pod logs (an Indexed Job's pods print their shard file).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, type Issue } from '../scenario/issues.js';
import { parseShardFile, renderShardFile, shardFileName, type ShardFile, type ShardKind } from '../sweep/shard.js';
import { writeFilesAtomically } from './write-files.js';

/** JSON with object keys sorted, so the key does not depend on the order a scenario lists things. */
function canonical(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonical).join(',')}]`;
  if (x && typeof x === 'object') return `{${Object.keys(x).sort().map((k) => `${JSON.stringify(k)}:${canonical((x as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(x) ?? 'null';
}

/** A key over everything that decides a run's results: shards merge only with the same key. */
export function runKey(kind: ShardKind, inputs: Record<string, unknown>): string {
  return createHash('sha256').update(`${kind}\n${canonical(inputs)}`).digest('hex').slice(0, 32);
}

export async function writeShard(dir: string, file: ShardFile): Promise<string> {
  const name = shardFileName(file.kind, file.shard);
  await writeFilesAtomically(dir, { [name]: renderShardFile(file) });
  return join(dir, name);
}

const SHARD_START = '{\n "blocksim": "shard"';

/** The shard document in a file: the whole file, or in a log, the last one printed (up to its closing brace). */
function shardText(text: string): string {
  const at = text.lastIndexOf(SHARD_START);
  if (at <= 0) return text;
  return text.slice(at, text.lastIndexOf('}') + 1);
}

export async function readShards(paths: string[]): Promise<{ source: string; file: ShardFile }[]> {
  const issues: Issue[] = [];
  const out: { source: string; file: ShardFile }[] = [];
  for (const p of paths) {
    let files: string[];
    try {
      files = (await stat(p)).isDirectory() ? (await readdir(p)).filter((f) => /-shard-\d+-of-\d+\.json$/.test(f)).sort().map((f) => join(p, f)) : [p];
    } catch {
      issues.push({ path: p, message: 'no such file or folder' });
      continue;
    }
    if (files.length === 0) issues.push({ path: p, message: 'no shard files (*-shard-I-of-N.json) in this folder' });
    for (const f of files) {
      const parsed = parseShardFile(shardText(await readFile(f, 'utf8')));
      if (typeof parsed === 'string') issues.push({ path: f, message: parsed });
      else out.push({ source: f, file: parsed });
    }
  }
  if (issues.length) throw new InputError('merge', issues);
  return out;
}
