import type { CommandModule } from 'yargs';
import { join } from 'node:path';
import { loadCluster } from '../../adapters/load-cluster.js';
import { defaultWorkers, openPointPool } from '../../adapters/sweep-pool.js';
import { writeFilesAtomically } from '../../adapters/write-files.js';
import { reportFiles } from '../../adapters/results-folder.js';
import { planPlacement } from '../../place/plan.js';
import { placementOutput } from '../../place/output.js';
import { OBJECTIVES, type Objective } from '../../place/types.js';
import { VERSION } from '../../version.js';
import { UsageError } from '../exit.js';

interface PlaceArgs {
  cluster: string;
  out?: string;
  seed?: number;
  objective?: string;
  workers?: number;
  confirm: number;
  json?: boolean;
  quiet?: boolean;
}

/** One progress line on stderr: rewritten in place on a terminal, a line per change otherwise. */
function progressLine(enabled: boolean): { update: (message: string, simulations: number) => void; done: () => void } {
  const tty = process.stderr.isTTY === true;
  let last = '';
  return {
    update: (message, simulations) => {
      if (!enabled) return;
      const line = `place: ${message} · ${simulations} simulations`;
      if (tty) process.stderr.write(`\r\x1b[2K${line}`);
      else if (message !== last) process.stderr.write(`${line}\n`);
      last = message;
    },
    done: () => {
      if (enabled && tty) process.stderr.write('\r\x1b[2K');
    },
  };
}

export const placeCmd: CommandModule<object, PlaceArgs> = {
  command: 'place <cluster>',
  describe: 'Which replica goes on which node and device: the fewest nodes (or lowest cost, or most headroom) that meet every SLO',
  builder: (y) =>
    y
      .positional('cluster', { type: 'string', demandOption: true, describe: 'cluster file: node types and workloads' })
      .option('out', { type: 'string', describe: 'output folder (default reports/<name>-place/)' })
      .option('seed', { type: 'number', describe: 'seed (default: the cluster file\'s)' })
      .option('objective', { type: 'string', choices: OBJECTIVES as string[], describe: 'what to optimize (default: the cluster file\'s, else nodes)' })
      .option('workers', { type: 'number', describe: 'worker threads for simulations (default: one per core)' })
      .option('confirm', { type: 'number', default: 2, describe: 'other seeds under which every node of the answer is simulated again' })
      .example('$0 place scenarios/clusters/shop.yaml', 'how many nodes, and where each replica goes') as never,
  handler: async (args) => {
    const started = Date.now();
    if (!Number.isInteger(args.confirm) || args.confirm < 0) throw new UsageError(`--confirm: expected a whole number of seeds, got ${args.confirm}`);
    if (args.seed !== undefined && (!Number.isInteger(args.seed) || args.seed < 0)) throw new UsageError(`--seed: expected a whole number, got ${args.seed}`);
    const { cluster, text } = await loadCluster(args.cluster);
    if (args.seed !== undefined) cluster.seed = args.seed;
    if (args.objective !== undefined) cluster.objective = args.objective as Objective;
    const unbounded = cluster.nodeTypes.filter((t) => !Number.isFinite(t.count)).map((t) => t.name);
    if (cluster.objective === 'headroom' && unbounded.length > 0) throw new UsageError(`the headroom objective spreads over the nodes allowed: give count for node types ${unbounded.join(', ')}`);
    const workers = args.workers ?? defaultWorkers();
    if (!Number.isInteger(workers) || workers < 1) throw new UsageError(`--workers: expected a positive whole number, got ${workers}`);
    const pool = openPointPool(workers);
    const progress = progressLine(!args.quiet && !args.json);
    let result;
    try {
      result = await planPlacement(cluster, (raw, seed) => pool.run(raw, { index: 0, values: {}, repetition: 1, seed }), { confirm: args.confirm, onProgress: progress.update });
    } finally {
      progress.done();
      await pool.close();
    }
    const out = placementOutput(result);
    const dir = args.out ?? join('reports', `${cluster.name}-place`);
    const files: Record<string, string> = { ...out.files, 'plan.json': `${JSON.stringify(out.json, (_, v) => (v === Infinity ? 'Infinity' : v), 2)}\n`, 'cluster.yaml': text };
    const empty = { source: 'simulated' as const, version: `blocksim-${VERSION}`, globalOptions: {}, jobs: [], devices: [] };
    const report = await reportFiles(`blocksim place: ${cluster.name}`, empty, out.charts, Object.keys(files), undefined, out.sections);
    await writeFilesAtomically(dir, { ...files, ...report });
    if (args.json) console.log(files['plan.json']!.trimEnd());
    else if (!args.quiet) console.log(`${out.text}\nwall time: ${((Date.now() - started) / 1000).toFixed(1)} s on ${workers} worker${workers === 1 ? '' : 's'}\nresults: ${dir}/ (placement.csv, report.html, k8s/)`);
    if (!result.met) process.exitCode = 1;
  },
};
