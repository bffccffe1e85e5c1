#!/usr/bin/env node
/**
 * blocksim's command line. Commands are registered as an explicit list; handlers are
 * thin. This is the only place that sets exit codes:
 * 0 ok, 1 a check failed, 2 bad input, 3 an outside failure.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { run } from './commands/run.js';
import { validate } from './commands/validate.js';
import { profiles } from './commands/profiles.js';
import { fio } from './commands/fio.js';
import { calibrateCmd } from './commands/calibrate.js';
import { compareCmd } from './commands/compare.js';
import { regressCmd } from './commands/regress.js';
import { reportCmd } from './commands/report.js';
import { sweepCmd } from './commands/sweep.js';
import { capacityCmd } from './commands/capacity.js';
import { compareLayoutsCmd } from './commands/compare-layouts.js';
import { k8s } from './commands/k8s.js';
import { mergeCmd } from './commands/merge.js';
import { workerCmd } from './commands/worker.js';
import { traceCmd } from './commands/trace.js';
import { placeCmd } from './commands/place.js';
import { describeError, exitCodeFor, UsageError } from './exit.js';
import { VERSION } from '../version.js';

const commands = [run, validate, sweepCmd, capacityCmd, compareLayoutsCmd, placeCmd, fio, calibrateCmd, compareCmd, regressCmd, reportCmd, traceCmd, profiles, k8s, mergeCmd, workerCmd];

export async function main(argv: string[]): Promise<number> {
  const parser = yargs(argv)
    .scriptName('blocksim')
    .usage('$0 <command> [options]\n\nSimulate container block storage, measure it with fio, and compare the two.')
    .option('json', { type: 'boolean', describe: 'machine-readable result on stdout' })
    .option('quiet', { type: 'boolean', describe: 'print nothing but errors' })
    .strict()
    .demandCommand(1, 'name a command (blocksim --help lists them)')
    .recommendCommands()
    .version(VERSION)
    .help()
    // yargs renders the help text after every command (to cache it); wrapping it costs ~20 ms,
    // so the text is wrapped only when it is shown
    .wrap(argv.some((a) => a === '--help' || a === '-h') ? Math.min(100, process.stdout.columns || 100) : null)
    .exitProcess(false)
    // yargs runs a command's handler unless this throws: a bad flag must stop here,
    // before the handler has any side effect.
    .fail((msg, err) => {
      if (err && err.name !== 'YError') throw err; // thrown by a handler
      throw new FlagError(err?.message ?? msg);
    });
  for (const c of commands) parser.command(c as never);
  try {
    await parser.parseAsync();
  } catch (err) {
    console.error(describeError(err));
    if (err instanceof FlagError) console.error('(blocksim --help lists commands and options)');
    return exitCodeFor(err);
  }
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}

/** A flag or argument yargs refused (unknown, missing, of the wrong kind). */
class FlagError extends UsageError {}

main(hideBin(process.argv)).then((code) => {
  process.exitCode = code;
});
