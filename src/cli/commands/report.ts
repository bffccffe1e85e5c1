import type { CommandModule } from 'yargs';
import { join } from 'node:path';
import { rebuildReport } from '../../adapters/results-folder.js';

interface ReportArgs {
  dir: string;
  quiet?: boolean;
}

export const reportCmd: CommandModule<object, ReportArgs> = {
  command: 'report <dir>',
  describe: 'Rebuild report.html and the chart specs of a results folder from its results.json',
  builder: (y) => y.positional('dir', { type: 'string', demandOption: true }) as never,
  handler: async (args) => {
    await rebuildReport(args.dir);
    if (!args.quiet) console.log(`report: ${join(args.dir, 'report.html')}`);
  },
};
