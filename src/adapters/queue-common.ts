/**
 * The Redis-backed queue of sweep points (BullMQ): one queue; a job per grid point with
 * id <run key>-<point index>, so a sweep started again finds the points already done.
 * Results travel as encoded PointResults (non-finite numbers spelled out).
 */
import { OutsideError } from './errors.js';

export const QUEUE_NAME = 'blocksim-points';

export interface PointJob {
  key: string;
  raw: Record<string, unknown>;
  point: import('../sweep/grid.js').GridPoint;
  profileFiles: Record<string, unknown>;
}

/** redis://[user:password@]host:port[/db] or rediss://… as BullMQ connection options. */
export function redisConnection(url: string): { url: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new OutsideError(`expected a Redis URL such as redis://127.0.0.1:6379, got ${JSON.stringify(url)}`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new OutsideError(`expected a redis:// or rediss:// URL, got ${JSON.stringify(url)}`);
  return { url };
}

/** Resolves when `ready` does, or fails naming the server when it takes longer than `ms`. */
export async function reachable(ready: Promise<unknown>, url: string, ms = 10_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OutsideError(`cannot reach Redis at ${url} (no answer in ${ms / 1000} s)`)), ms);
  });
  try {
    await Promise.race([ready, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
