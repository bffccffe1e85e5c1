import type { CommandModule } from 'yargs';
import { readShards } from '../../adapters/shard-files.js';
import { sweepFiles, type SweepMeta } from '../../adapters/sweep-output.js';
import { writeFilesAtomically } from '../../adapters/write-files.js';
import { mergeShards } from '../../sweep/shard.js';
import { searchCapacity } from '../../sweep/capacity.js';
import { parseSlos } from '../../sweep/slo.js';
import { InputError } from '../../scenario/issues.js';
import { jobMatcher, lookupEvaluate, reportCapacity, type CapacityMeta } from './capacity.js';

interface MergeArgs {
  dirs: string[];
  out: string;
  json?: boolean;
  quiet?: boolean;
}

export const mergeCmd: CommandModule<object, MergeArgs> = {
  command: 'merge <dirs..>',
  describe: 'Combine the shards of a sweep or capacity search (folders, shard files or saved pod logs) into the files one machine writes',
  builder: (y) =>
    y
      .positional('dirs', { type: 'string', array: true, demandOption: true })
      .option('out', { type: 'string', demandOption: true, describe: 'output folder' })
      .example('$0 merge shard-1/ shard-2/ shard-3/ --out reports/big-sweep/', 'put three shards together') as never,
  handler: async (args) => {
    const merged = mergeShards(await readShards(args.dirs));
    if (Array.isArray(merged)) throw new InputError('merge', merged.map((message) => ({ path: '', message })));
    if (merged.kind === 'sweep') {
      await writeFilesAtomically(args.out, await sweepFiles(merged.meta as SweepMeta, merged.results));
      if (args.json) console.log(JSON.stringify(merged.results, null, 2));
      else if (!args.quiet) console.log(`${merged.results.length} points merged\nresults: ${args.out}/sweep.csv`);
      return;
    }
    const meta = merged.meta as CapacityMeta;
    const slos = parseSlos(meta.slos);
    if (typeof slos === 'string') throw new InputError('merge', [{ path: 'slos', message: slos }]);
    const answer = await searchCapacity(meta.vary.values, slos, jobMatcher(meta.jobs), lookupEvaluate(merged.results, meta.vary), meta.repeat);
    await reportCapacity(meta.vary, slos, answer, args);
  },
};
