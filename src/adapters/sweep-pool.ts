/**
 * Runs grid points on worker threads (tinypool). Results come back in point order
 * whatever the number of workers; with one worker, points run in this thread.
 */
import { availableParallelism, tmpdir } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { evaluatePoint, type PointResult } from '../sweep/evaluate.js';
import type { GridPoint } from '../sweep/grid.js';
import type Tinypool from 'tinypool';
import { withTraceSources } from './trace-source.js';

/**
 * The worker module next to this one; when this module is part of the one-file CLI bundle
 * (dist/cli/main.js, see scripts/bundle.mjs) the worker is tsc's dist/adapters/sweep-worker.js.
 */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  if (/sweep-pool\.(ts|js)$/.test(here)) return here.replace(/sweep-pool\.(ts|js)$/, (_, ext: string) => `sweep-worker.${ext}`);
  return fileURLToPath(new URL('../adapters/sweep-worker.js', import.meta.url));
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

/**
 * Threads that evaluate points handed to them one by one (`pool.run({ raw, point, profileFiles })`).
 * tinypool is loaded here, not with this module: loading it costs ~60 ms (it runs a child
 * process), which every command would pay.
 */
export async function createPointPool(threads: number): Promise<Tinypool> {
  const { default: Pool } = await import('tinypool');
  return new Pool({ filename: workerEntry(workerFile()), minThreads: threads, maxThreads: threads });
}

/** A pool kept open across many batches of points (placement verifies nodes round after round); one worker runs in this thread. */
export interface PointPool {
  run(raw: Record<string, unknown>, point: GridPoint, profileFiles?: Record<string, unknown>): Promise<PointResult>;
  close(): Promise<void>;
}

export function openPointPool(workers: number): PointPool {
  if (workers <= 1) return { run: async (raw, point, profileFiles = {}) => evaluatePoint(raw, point, profileFiles), close: async () => {} };
  const pool = createPointPool(workers);
  return {
    run: async (raw, point, profileFiles = {}) => (await (await pool).run({ raw, point, profileFiles })) as PointResult,
    close: async () => (await pool).destroy(),
  };
}

export async function runPoints(
  raw: Record<string, unknown>,
  points: GridPoint[],
  workers: number,
  profileFiles: Record<string, unknown> = {},
  onDone?: (done: number, total: number) => void,
  /** The scenario's folder, which traced jobs' trace paths start from. */
  traceBase?: string,
): Promise<PointResult[]> {
  const results: PointResult[] = new Array(points.length);
  let done = 0;
  if (workers <= 1) {
    for (const [i, p] of points.entries()) {
      results[i] = traceBase === undefined ? evaluatePoint(raw, p, profileFiles) : withTraceSources(traceBase, (traces) => evaluatePoint(raw, p, profileFiles, traces));
      onDone?.(++done, points.length);
    }
    return results;
  }
  const pool = await createPointPool(workers);
  try {
    await Promise.all(
      points.map(async (point, i) => {
        results[i] = (await pool.run({ raw, point, profileFiles, ...(traceBase !== undefined ? { traceBase } : {}) })) as PointResult;
        onDone?.(++done, points.length);
      }),
    );
  } finally {
    await pool.destroy();
  }
  return results;
}
