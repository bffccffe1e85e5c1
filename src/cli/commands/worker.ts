import type { CommandModule } from 'yargs';
import { defaultWorkers } from '../../adapters/sweep-pool.js';
import { parseDuration } from '../../scenario/units.js';
import { UsageError } from '../exit.js';

interface WorkerArgs {
  url: string;
  concurrency?: number;
  'lock-duration': string;
  'max-stalls': number;
  quiet?: boolean;
}

export const workerCmd: CommandModule<object, WorkerArgs> = {
  command: 'worker <url>',
  describe: 'Serve the Redis-backed queue of sweep points (blocksim sweep --queue URL) until stopped',
  builder: (y) =>
    y
      .positional('url', { type: 'string', demandOption: true, describe: 'redis://HOST:PORT' })
      .option('concurrency', { type: 'number', describe: 'points at once, each on its own thread (default: one per core)' })
      .option('lock-duration', { type: 'string', default: '30s', describe: 'a point whose worker is silent this long goes back on the queue' })
      .option('max-stalls', { type: 'number', default: 3, describe: 'times a point may lose its worker before it fails' }) as never,
  handler: async (args) => {
    const concurrency = args.concurrency ?? defaultWorkers();
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`--concurrency: expected a positive integer, got ${concurrency}`);
    const lock = parseDuration(args['lock-duration']);
    if (!lock.ok || lock.value < 100_000) throw new UsageError(`--lock-duration: expected a time of at least 100ms, got ${JSON.stringify(args['lock-duration'])}`);
    if (!Number.isInteger(args['max-stalls']) || args['max-stalls'] < 1) throw new UsageError(`--max-stalls: expected a positive integer, got ${args['max-stalls']}`);
    const ac = new AbortController();
    const stop = (): void => ac.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const log = args.quiet ? undefined : (m: string) => process.stderr.write(`worker ${process.pid}: ${m}\n`);
    log?.(`serving ${args.url} with ${concurrency} thread${concurrency === 1 ? '' : 's'}`);
    const { serveQueue } = await import('../../adapters/queue-worker.js'); // bullmq loads only here
    const served = await serveQueue(args.url, { concurrency, lockDurationMs: Math.round(lock.value / 1000), maxStalls: args['max-stalls'], ...(log ? { log } : {}) }, ac.signal);
    log?.(`stopped after ${served} point${served === 1 ? '' : 's'}`);
  },
};
