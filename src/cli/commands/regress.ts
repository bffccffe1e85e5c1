import type { CommandModule } from 'yargs';
import { basename, dirname } from 'node:path';
import { loadFioFiles } from '../../adapters/load-fio.js';
import { checkWritableFile, writeFilesAtomically } from '../../adapters/write-files.js';
import { DEFAULT_REGRESS_TOLERANCE, describeChange, junitXml, regress, type RegressTolerance } from '../../compare/regress.js';
import { parseTolerance } from '../../compare/error-figures.js';
import { UsageError } from '../exit.js';

interface RegressArgs {
  baseline: string[];
  current: string[];
  tolerance?: string;
  junit?: string;
  json?: boolean;
  quiet?: boolean;
}

export const regressCmd: CommandModule<object, RegressArgs> = {
  command: 'regress',
  describe: 'Compare current results with a baseline; exit 1 on a regression (lower IOPS or higher latency)',
  builder: (y) =>
    y
      .option('baseline', { type: 'string', array: true, demandOption: true, describe: 'fio JSON files or folders (several = repetitions)' })
      .option('current', { type: 'string', array: true, demandOption: true, describe: 'fio JSON files or folders' })
      .option('tolerance', { type: 'string', describe: 'e.g. iops=10%,p50=15%,p99=30%' })
      .option('junit', { type: 'string', describe: 'also write JUnit XML here (one test case per job and direction)' }) as never,
  handler: async (args) => {
    const tol: RegressTolerance = { ...DEFAULT_REGRESS_TOLERANCE };
    if (args.tolerance !== undefined) {
      const t = parseTolerance(args.tolerance);
      if (typeof t === 'string') throw new UsageError(`--tolerance: ${t}`);
      for (const k of ['iops', 'p50', 'p99'] as const) if (t[k] !== undefined) tol[k] = t[k]!;
    }
    if (args.junit) checkWritableFile(args.junit, `--junit ${args.junit}`);
    const baseline = (await loadFioFiles(args.baseline)).map((x) => x.results);
    const current = (await loadFioFiles(args.current)).map((x) => x.results);
    const rows = regress(baseline, current, tol);
    if (rows.length === 0) throw new UsageError('no job appears in both the baseline and the current results');
    if (args.junit) await writeFilesAtomically(dirname(args.junit), { [basename(args.junit)]: junitXml(rows) });
    const regressions = rows.filter((r) => r.verdict === 'regression');
    if (args.json) console.log(JSON.stringify({ tolerance: tol, rows, ok: regressions.length === 0 }, null, 2));
    else if (!args.quiet) {
      for (const r of rows.filter((x) => x.verdict !== 'unchanged')) {
        console.log(`${r.verdict === 'regression' ? 'REGRESSION ' : 'improvement'}  ${r.job} ${r.direction} ${describeChange(r)}`);
      }
      console.log(regressions.length === 0 ? `no regression (${rows.length} figures checked)` : `${regressions.length} regression(s) of ${rows.length} figures`);
    }
    if (regressions.length > 0) process.exitCode = 1;
  },
};
