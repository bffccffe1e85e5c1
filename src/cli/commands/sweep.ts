import type { CommandModule } from 'yargs';
import { dirname, join } from 'node:path';
import { refuseTracedIn } from '../../adapters/trace-source.js';
import { loadScenarioRaw, readVariedProfiles } from '../../adapters/load-scenario.js';
import { defaultWorkers, runPoints } from '../../adapters/sweep-pool.js';
import { checkWritableFolder, writeFilesAtomically } from '../../adapters/write-files.js';
import { sweepFiles, type SweepMeta } from '../../adapters/sweep-output.js';
import { writeShard, runKey } from '../../adapters/shard-files.js';
import { gridPoints, parseVary, type GridPoint, type Vary } from '../../sweep/grid.js';
import { inShard, parseShard, type Shard } from '../../sweep/shard.js';
import { InputError } from '../../scenario/issues.js';
import { UsageError } from '../exit.js';
import { wholeNumberFlag } from '../flags.js';
import { parseSlo } from '../../sweep/slo.js';

interface SweepArgs {
  scenario: string;
  vary: string[];
  repeat: number;
  workers?: number;
  slo?: string;
  out?: string;
  shard?: string;
  queue?: string;
  json?: boolean;
  quiet?: boolean;
}

export function parseVaries(list: string[]): Vary[] {
  return list.map((t) => {
    const v = parseVary(t);
    if (typeof v === 'string') throw new UsageError(`--vary: ${v}`);
    return v;
  });
}

export function progressBar(quiet: boolean | undefined, label: string): ((done: number, total: number) => void) | undefined {
  if (quiet) return undefined;
  const t0 = Date.now();
  return (done, total) => {
    const el = (Date.now() - t0) / 1000;
    const eta = done > 0 ? (el / done) * (total - done) : 0;
    process.stderr.write(`\r${label} [${'#'.repeat(Math.round((done / total) * 30)).padEnd(30, '.')}] ${done}/${total}  ETA ${eta.toFixed(0)} s `);
    if (done === total) process.stderr.write('\n');
  };
}

export const sweepCmd: CommandModule<object, SweepArgs> = {
  command: 'sweep <scenario>',
  describe: 'Simulate a grid over scenario fields in parallel (one seed per point); write sweep.csv and a report',
  builder: (y) =>
    y
      .positional('scenario', { type: 'string', demandOption: true })
      .option('vary', { type: 'string', array: true, demandOption: true, describe: 'PATH=v1,v2,... or PATH=LO..HI[/STEP], e.g. containers.db.replicas=1,2,4,8 (repeatable: a grid)' })
      .option('repeat', wholeNumberFlag('repeat', 'repetitions of each point, each with its own seed', 1, 1000, 1))
      .option('workers', wholeNumberFlag('workers', 'worker threads (default: one per core)', 1, 1024))
      .option('slo', { type: 'string', describe: "a p99 SLO to draw on the chart, e.g. 'p99<=2ms'" })
      .option('out', { type: 'string', describe: 'output folder (default reports/<name>-sweep/)' })
      .option('shard', { type: 'string', describe: 'I/N: run only the I-th of N slices of the grid and write it as a shard file for blocksim merge' })
      .option('queue', { type: 'string', describe: 'redis://HOST:PORT: put the points on a queue that blocksim worker processes serve' })
      .conflicts('shard', 'queue')
      .example('$0 sweep scenarios/layout-local-nvme.yaml --vary containers.db.replicas=1..16', 'how latency grows with the number of databases') as never,
  handler: async (args) => {
    const varies = parseVaries(args.vary);
    let sloUs: number | undefined;
    if (args.slo !== undefined) {
      const s = parseSlo(args.slo);
      if (typeof s === 'string' || s.metric !== 'p99') throw new UsageError(`--slo: expected a p99 SLO like 'p99<=2ms'${typeof s === 'string' ? `: ${s}` : ''}`);
      sloUs = s.bound;
    }
    const workers = args.workers ?? defaultWorkers();
    const shard = args.shard === undefined ? undefined : parseShard(args.shard);
    if (typeof shard === 'string') throw new UsageError(`--shard: ${shard}`);
    const { scenario, raw, profileFiles } = await loadScenarioRaw(args.scenario);
    if (args.queue) refuseTracedIn(args.scenario, scenario, 'a sweep on a queue');
    for (const v of varies) await readVariedProfiles(args.scenario, v.text, v.values, profileFiles);
    const points = gridPoints(varies, args.repeat, scenario.seed);
    if (points.length > 10_000) throw new UsageError(`the grid has ${points.length} points; at most 10,000`);
    const dir = args.out ?? join('reports', `${scenario.name}-sweep`);
    checkWritableFolder(dir, args.out === undefined ? dir : `--out ${dir}`);
    const meta: SweepMeta = { scenario: { name: scenario.name, seed: scenario.seed, durationUs: scenario.durationUs }, varies, ...(sloUs !== undefined ? { sloUs } : {}) };
    const key = runKey('sweep', { raw, profileFiles, varies, repeat: args.repeat, sloUs });
    const progress = progressBar(args.quiet || args.json, 'sweep');
    if (shard) return runShard(args, dir, { points, raw, profileFiles, workers, shard, key, meta, progress });
    const results = args.queue ? await (await import('../../adapters/queue-sweep.js')).runPointsOnQueue(args.queue, { key, raw, points, profileFiles }, progress) : await runPoints(raw, points, workers, profileFiles, progress, dirname(args.scenario));
    const failed = results.filter((r) => r.error);
    if (failed.length === results.length) throw new InputError(args.scenario, [{ path: varies.map((v) => v.text).join(', '), message: `every point is invalid: ${failed[0]!.error}` }]);
    await writeFilesAtomically(dir, await sweepFiles(meta, results));
    if (args.json) console.log(JSON.stringify(results, null, 2));
    else if (!args.quiet) console.log(`${points.length} points${failed.length ? ` (${failed.length} invalid)` : ''} ${args.queue ? 'on the queue' : `on ${workers} worker${workers === 1 ? '' : 's'}`}\nresults: ${join(dir, 'sweep.csv')}\nreport:  ${join(dir, 'report.html')}`);
  },
};

interface ShardRun {
  points: GridPoint[];
  raw: Record<string, unknown>;
  profileFiles: Record<string, unknown>;
  workers: number;
  shard: Shard;
  key: string;
  meta: SweepMeta;
  progress: ((done: number, total: number) => void) | undefined;
}

async function runShard(args: SweepArgs, dir: string, r: ShardRun): Promise<void> {
  const mine = r.points.filter(inShard(r.shard));
  const results = await runPoints(r.raw, mine, r.workers, r.profileFiles, r.progress, dirname(args.scenario));
  const file = await writeShard(dir, { blocksim: 'shard', kind: 'sweep', key: r.key, shard: r.shard, total: r.points.length, meta: r.meta, results });
  if (args.json) console.log(JSON.stringify(results, null, 2));
  else if (!args.quiet) console.log(`shard ${r.shard.index}/${r.shard.count}: ${mine.length} of ${r.points.length} points\nshard file: ${file}\n(blocksim merge DIR... --out DIR puts the shards together)`);
}
