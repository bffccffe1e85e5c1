/**
 * A worker process of the sweep queue: takes points off the queue and simulates them on
 * worker threads, so the main thread stays free to renew its locks. A point whose
 * worker died (its lock expired) is put back by the stalled-job check of the others and
 * runs again, with the same seed and so the same result.
 */
import { Worker } from 'bullmq';
import { createPointPool } from './sweep-pool.js';
import { encodePointResult } from '../sweep/shard.js';
import type { PointResult } from '../sweep/evaluate.js';
import { QUEUE_NAME, reachable, redisConnection, type PointJob } from './queue-common.js';

export interface WorkerOptions {
  concurrency: number;
  lockDurationMs: number;
  /** How many times a point may lose its worker before it fails. */
  maxStalls: number;
  log?: (message: string) => void;
}

/** Serves until `signal` aborts; resolves when the worker has closed. */
export async function serveQueue(url: string, opts: WorkerOptions, signal: AbortSignal): Promise<number> {
  const pool = await createPointPool(opts.concurrency);
  let served = 0;
  const worker = new Worker<PointJob>(
    QUEUE_NAME,
    async (job) => {
      opts.log?.(`point ${job.data.point.index} of ${job.data.key.slice(0, 8)} started (job ${job.id}, attempt ${job.attemptsStarted})`);
      const r = (await pool.run({ raw: job.data.raw, point: job.data.point, profileFiles: job.data.profileFiles })) as PointResult;
      opts.log?.(`point ${job.data.point.index} of ${job.data.key.slice(0, 8)} done`);
      served++;
      return encodePointResult(r);
    },
    { connection: redisConnection(url), concurrency: opts.concurrency, lockDuration: opts.lockDurationMs, stalledInterval: opts.lockDurationMs, maxStalledCount: opts.maxStalls, autorun: false },
  );
  worker.on('error', (e) => opts.log?.(`queue error: ${e.message}`));
  try {
    await reachable(worker.waitUntilReady(), url);
    const running = worker.run();
    await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
    await worker.close();
    await running;
  } finally {
    await worker.close().catch(() => undefined);
    await pool.destroy();
  }
  return served;
}
