/**
 * A sweep's points through the queue: enqueue every point, wait for each result, and
 * return them in grid order, as runPoints does. Workers that die leave their point
 * locked; BullMQ's stalled-job check in the surviving workers puts it back on the queue.
 */
import { Queue, QueueEvents } from 'bullmq';
import type { GridPoint } from '../sweep/grid.js';
import type { PointResult } from '../sweep/evaluate.js';
import { decodePointResult } from '../sweep/shard.js';
import { OutsideError } from './errors.js';
import { QUEUE_NAME, reachable, redisConnection, type PointJob } from './queue-common.js';

export interface QueuedSweep {
  key: string;
  raw: Record<string, unknown>;
  points: GridPoint[];
  profileFiles: Record<string, unknown>;
}

export async function runPointsOnQueue(url: string, sweep: QueuedSweep, onDone?: (done: number, total: number) => void): Promise<PointResult[]> {
  const connection = redisConnection(url);
  const queue = new Queue<PointJob>(QUEUE_NAME, { connection });
  const events = new QueueEvents(QUEUE_NAME, { connection });
  let lastError: Error | undefined;
  queue.on('error', (e) => (lastError = e));
  events.on('error', (e) => (lastError = e));
  try {
    await reachable(Promise.all([queue.waitUntilReady(), events.waitUntilReady()]), url);
    const jobs = await queue.addBulk(
      sweep.points.map((point) => ({
        name: 'point',
        data: { key: sweep.key, raw: sweep.raw, point, profileFiles: sweep.profileFiles },
        opts: { jobId: `${sweep.key}-${point.index}`, removeOnFail: false, removeOnComplete: false },
      })),
    );
    // a point that failed in an earlier, interrupted run of this sweep gets another go
    await Promise.all(jobs.map(async (j) => ((await j.isFailed()) ? j.retry() : undefined)));
    let done = 0;
    const results = await Promise.all(
      jobs.map(async (job, i) => {
        try {
          const r = decodePointResult(await job.waitUntilFinished(events));
          onDone?.(++done, jobs.length);
          return r;
        } catch (err) {
          throw new OutsideError(`point ${sweep.points[i]!.index} failed on the queue: ${(err as Error).message}`, { cause: err });
        }
      }),
    );
    await Promise.all(jobs.map((j) => j.remove().catch(() => undefined)));
    return results;
  } catch (err) {
    if (err instanceof OutsideError) throw err;
    throw new OutsideError(`the queue at ${url} failed: ${(err as Error).message}${lastError ? ` (${lastError.message})` : ''}`, { cause: err });
  } finally {
    await Promise.allSettled([events.close(), queue.close()]);
  }
}
