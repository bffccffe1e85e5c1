/** Exit codes (the CLI is the only place that sets them) and error printing. */
import { InputError } from '../scenario/issues.js';
import { OutsideError } from '../adapters/errors.js';
import { Interrupted } from '../adapters/interrupt.js';

export const EXIT_CHECK_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_OUTSIDE = 3;

/** A bad flag or argument, found after yargs parsed the command line. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function exitCodeFor(err: unknown): number {
  if (err instanceof InputError || err instanceof UsageError) return EXIT_BAD_INPUT;
  if (err instanceof OutsideError) return EXIT_OUTSIDE;
  if (err instanceof Interrupted) return err.exitCode;
  return 70; // a bug: an invariant broke
}

export function describeError(err: unknown): string {
  if (err instanceof InputError || err instanceof UsageError || err instanceof OutsideError || err instanceof Interrupted) return `blocksim: ${err.message}`;
  const e = err as Error;
  return `blocksim: internal error (please report it): ${e?.stack ?? String(err)}`;
}
