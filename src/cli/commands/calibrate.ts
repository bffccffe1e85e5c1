import type { CommandModule } from 'yargs';
import { basename, dirname } from 'node:path';
import { Document } from 'yaml';
import { loadFioFiles } from '../../adapters/load-fio.js';
import { checkWritableFile, writeFilesAtomically } from '../../adapters/write-files.js';
import { calibrate, type Fitted, type PointError } from '../../compare/calibrate.js';
import { missingQd1Run } from '../../compare/calibrate-inputs.js';
import { CannotFitError } from '../../compare/fit-device.js';
import { AmbiguousRunsError, DISTURBED_SHARE } from '../../compare/measured-points.js';
import { SnapshotFitError } from '../../compare/snapshot-fit.js';
import { SequenceError } from '../../compare/snapshot-predict.js';
import { runSnapshotCalibration } from './calibrate-snapshot.js';
import { InputError } from '../../scenario/issues.js';
import { VERSION } from '../../version.js';
import { UsageError } from '../exit.js';

interface CalibrateArgs {
  fio?: string[];
  before?: string[];
  after?: string[];
  name?: string;
  o?: string;
  cores?: number;
  'pool-same-workload'?: boolean;
  'cross-validate'?: boolean;
  quiet?: boolean;
}

export function profileYaml(name: string, fit: Pick<Fitted, 'device' | 'host' | 'notes' | 'undetermined'>, sources: string[]): string {
  const doc = new Document({ name, description: `calibrated by blocksim ${VERSION} from ${sources.length} fio runs`, ...(fit.host ? { host: fit.host } : {}), device: fit.device });
  doc.commentBefore = [
    ` blocksim device profile "${name}", fitted by \`blocksim calibrate\` from:`,
    ...sources.map((s) => `   ${s}`),
    ' Where each number came from:',
    ...fit.notes.map((n) => `   - ${n}`),
    ...(fit.undetermined.length > 0 ? [' Not determined by these runs (guessed):', ...fit.undetermined.map((n) => `   - ${n}`)] : []),
    ...(fit.host ? [` host: the machine the runs were measured on (${fit.host.cores} cores); give a scenario's own \`host\` when it models another`] : []),
  ].join('\n');
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '-').padStart(8);

function errorTable(rows: PointError[]): string {
  const head = `  ${'point'.padEnd(26)} dir     IOPS      p50      p99  demerit   spread IOPS/p50/p99`;
  const body = rows.map((e) => {
    const s = e.spread ? `${(e.spread.iops * 100).toFixed(0)}/${(e.spread.p50 * 100).toFixed(0)}/${(e.spread.p99 * 100).toFixed(0)} %` : '(one run)';
    return `  ${e.key.padEnd(26)} ${e.direction.padEnd(5)} ${pct(e.iops)} ${pct(e.p50)} ${pct(e.p99)} ${pct(e.demerit)}   ${s}`;
  });
  return [head, ...body].join('\n');
}

export function calibrationReport(fit: Fitted): string {
  const out = [fit.notes.map((n) => `- ${n}`).join('\n')];
  if (fit.undetermined.length > 0) out.push(`\nnot determined by these runs (the profile guesses):\n${fit.undetermined.map((n) => `- ${n}`).join('\n')}`);
  if (fit.disturbed.length > 0) out.push(`\nmeasured while disturbed (more than ${DISTURBED_SHARE * 100} % of the cores taken by others):\n${fit.disturbed.map((n) => `- ${n}`).join('\n')}`);
  if (fit.skipped.length > 0) out.push(`\nnot used:\n${fit.skipped.map((n) => `- ${n}`).join('\n')}`);
  out.push(`\nthe profile on its own inputs (in-sample, simulated vs measured):\n${errorTable(fit.selfCheck)}`);
  const cv = fit.crossValidation;
  if (cv) {
    out.push(`\ncross-validated (each point predicted by a profile fitted without it):\n${errorTable(cv.errors)}`);
    if (cv.needed.length > 0) out.push(`  not cross-validated, the fit cannot do without them: ${cv.needed.join(', ')}`);
    if (cv.median) out.push(`  median |error|: IOPS ${pct(cv.median.iops).trim()}, p50 ${pct(cv.median.p50).trim()}, p99 ${pct(cv.median.p99).trim()}, demerit ${pct(cv.median.demerit).trim()} of the mean`);
  }
  return out.join('\n');
}

export const calibrateCmd: CommandModule<object, CalibrateArgs> = {
  command: 'calibrate [fio..]',
  describe: 'Fit a device profile from fio JSON runs (files or a fio sweep folder); reports what they leave undetermined and the cross-validated error. With --before and --after: also the first-write cost of a snapshot taken between them',
  builder: (y) =>
    y
      .positional('fio', { type: 'string', array: true, describe: 'fio --output-format=json+ files, or folders of them (with host CPU figures when fio sweep wrote them)' })
      .option('before', { type: 'string', array: true, describe: 'runs before a snapshot (files or folders): the device profile, as from plain arguments' })
      .option('after', { type: 'string', array: true, describe: 'runs after the snapshot on the same target, one file each, in the order they ran; the first must repeat a before run\'s workload (rw, bs, iodepth, numjobs) and fits the first-write cost, the others are predicted' })
      .option('name', { type: 'string', default: 'calibrated', describe: 'profile name' })
      .option('o', { type: 'string', describe: 'write the profile here (default: print it)' })
      .option('cores', { type: 'number', describe: "cores of the machine that ran fio, when the runs carry no host figures" })
      .option('pool-same-workload', { type: 'boolean', describe: 'average runs of the same workload as repetitions even when not named <point>-rN' })
      .option('cross-validate', { type: 'boolean', default: true, describe: 'leave-one-out error of every point (--no-cross-validate to skip)' }) as never,
  handler: async (args) => {
    if (args.o) checkWritableFile(args.o, `-o ${args.o}`);
    if (args.cores !== undefined && !(Number.isInteger(args.cores) && args.cores >= 1)) throw new UsageError(`--cores: expected a positive integer, got ${args.cores}`);
    const fio = args.fio ?? [];
    if (args.before !== undefined || args.after !== undefined) {
      if (fio.length > 0) throw new UsageError(`give the runs either as arguments or with --before and --after, not both (arguments: ${fio.join(' ')})`);
      if (!args.before?.length || !args.after?.length) throw new UsageError('--before and --after go together: the runs before the snapshot and those after it, in the order they ran');
      try {
        return await runSnapshotCalibration({ before: args.before, after: args.after, name: args.name ?? 'calibrated', ...(args.o ? { o: args.o } : {}), ...(args.cores !== undefined ? { cores: args.cores } : {}), pool: args['pool-same-workload'] ? 'repeat' : 'named', ...(args.quiet ? { quiet: true } : {}) });
      } catch (err) {
        if (err instanceof CannotFitError && err.message.includes('needs a QD1 run')) throw missingQd1Run(await loadFioFiles(args.before));
        if (err instanceof AmbiguousRunsError || err instanceof CannotFitError || err instanceof SnapshotFitError || err instanceof SequenceError) throw new InputError([...args.before, ...args.after].join(' '), [{ path: '', message: err.message }]);
        throw err;
      }
    }
    if (fio.length === 0) throw new UsageError('give fio runs to calibrate from (files or folders), or --before RUNS --after RUNS around a snapshot');
    const inputs = await loadFioFiles(fio);
    if (args.cores !== undefined) {
      for (const i of inputs) if (i.host && i.host.cores !== args.cores) throw new UsageError(`--cores ${args.cores}: ${i.file} was measured on ${i.host.cores} cores`);
    }
    let fit: Fitted;
    try {
      fit = calibrate(inputs, { pool: args['pool-same-workload'] ? 'repeat' : 'named', crossValidate: args['cross-validate'] !== false, ...(args.cores !== undefined ? { cores: args.cores } : {}) });
    } catch (err) {
      if (err instanceof CannotFitError && err.message.includes('needs a QD1 run')) throw missingQd1Run(inputs);
      if (err instanceof AmbiguousRunsError || err instanceof CannotFitError) throw new InputError(fio.join(' '), [{ path: '', message: err.message }]);
      throw err;
    }
    const yaml = profileYaml(args.name ?? 'calibrated', fit, inputs.map((i) => i.file));
    if (!args.quiet) console.error(calibrationReport(fit));
    if (args.o) {
      await writeFilesAtomically(dirname(args.o), { [basename(args.o)]: yaml });
      if (!args.quiet) console.error(`\nprofile: ${args.o}  (use it with  profile: ./${basename(args.o)})`);
    } else process.stdout.write(yaml);
  },
};
