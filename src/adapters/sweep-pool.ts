/**
 * Runs grid points on worker threads (tinypool). Results come back in point order
 * whatever the number of workers; with one worker, points run in this thread.
 */
import { availableParallelism, tmpdir } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import Tinypool from 'tinypool';
import { evaluatePoint, type PointResult } from '../sweep/evaluate.js';
import type { GridPoint } from '../sweep/grid.js';

function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  return here.replace(/sweep-pool\.(ts|js)$/, (_, ext: string) => `sweep-worker.${ext}`);
}

/**
 * Workers of the TypeScript sources (development and tests) need tsx in their own thread:
 * a small JS entry registers it, then loads the worker. Built code (dist/) needs none.
 */
function workerEntry(file: string): string {
  if (!file.endsWith('.ts')) return file;
  const api = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const dir = mkdtempSync(join(tmpdir(), 'blocksim-worker-'));
  const shim = join(dir, 'worker.mjs');
  writeFileSync(shim, `import { register } from ${JSON.stringify(api)};\nregister();\nconst m = await import(${JSON.stringify(pathToFileURL(file).href)});\nexport default m.default;\n`);
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return shim;
}

export const defaultWorkers = (): number => Math.max(1, availableParallelism());

/** Threads that evaluate points handed to them one by one (`pool.run({ raw, point, profileFiles })`). */
export function createPointPool(threads: number): Tinypool {
  return new Tinypool({ filename: workerEntry(workerFile()), minThreads: threads, maxThreads: threads });
}

export async function runPoints(
  raw: Record<string, unknown>,
  points: GridPoint[],
  workers: number,
  profileFiles: Record<string, unknown> = {},
  onDone?: (done: number, total: number) => void,
): Promise<PointResult[]> {
  const results: PointResult[] = new Array(points.length);
  let done = 0;
  if (workers <= 1) {
    for (const [i, p] of points.entries()) {
      results[i] = evaluatePoint(raw, p, profileFiles);
      onDone?.(++done, points.length);
    }
    return results;
  }
  const pool = createPointPool(workers);
  try {
    await Promise.all(
      points.map(async (point, i) => {
        results[i] = (await pool.run({ raw, point, profileFiles })) as PointResult;
        onDone?.(++done, points.length);
      }),
    );
  } finally {
    await pool.destroy();
  }
  return results;
}
