/**
 * SIGINT and SIGTERM while blocksim drives fio: the signal is caught (so blocksim is not
 * killed half-way through writing results), passed to fio through an AbortSignal, and
 * once fio has exited and the command has cleaned up, it ends with an Interrupted error
 * (the CLI exits 128 + signal number: 130, 143).
 */
import { constants } from 'node:os';

export type StopSignal = 'SIGINT' | 'SIGTERM';

export class Interrupted extends Error {
  constructor(readonly signal: StopSignal) {
    super(`interrupted by ${signal}: fio was stopped and waited for, temporary files removed, earlier results left as they were`);
    this.name = 'Interrupted';
  }

  get exitCode(): number {
    return 128 + constants.signals[this.signal];
  }
}

/** Runs `body` with SIGINT/SIGTERM caught; throws Interrupted after it ends if one came. */
export async function withInterrupts<T>(body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((sig) => {
    const h = (): void => {
      if (!controller.signal.aborted) controller.abort(sig);
    };
    process.on(sig, h);
    return [sig, h] as const;
  });
  try {
    const result = await body(controller.signal);
    if (controller.signal.aborted) throw new Interrupted(controller.signal.reason as StopSignal);
    return result;
  } catch (err) {
    if (controller.signal.aborted && !(err instanceof Interrupted)) throw new Interrupted(controller.signal.reason as StopSignal);
    throw err;
  } finally {
    for (const [sig, h] of handlers) process.off(sig, h);
  }
}
