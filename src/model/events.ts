/**
 * The model's events: one table of priorities, and the named kinds of job-thread events.
 *
 * Events at the same time fire by priority, lower first (then first in, first out). The
 * order is the model's: what completes at an instant is in before a thread's CPU work
 * ends, arrivals fall due, and last of all a thread refills its queue (fio reaps what is
 * done, then issues); the timeline samples after everything else at its instant.
 *
 * | priority | events                                                                  |
 * |---------:|-------------------------------------------------------------------------|
 * |        0 | a device's access or transfer done, a device worker's work done, a      |
 * |          | transfer stage waking, a volume's delay over; a thread's start and its   |
 * |          | window's marks; the end of the ramp                                     |
 * |        1 | a throttle's tokens refilled; a snapshot taken                           |
 * |        2 | a thread's CPU work (submit or reap) done; a woken thread's wait for its |
 * |          | waker's core over (host-cpu.ts, balance)                                 |
 * |        3 | an arrival: a paced I/O falls due, a think time ends, a trace I/O falls due |
 * |        4 | a thread refills its queue, or starts CPU work queued at this instant     |
 * |      250 | the timeline samples                                                    |
 */
/** A device's access or transfer done. */
export const PRIORITY_COMPLETION = 0;
/** A device worker's CPU work done (device-work.ts). */
export const PRIORITY_WORK_DONE = 0;
/** A device's transfer stage waking for its next transfer. */
export const PRIORITY_TRANSFER = 0;
/** A volume's delay over (network, copy-on-write stages). */
export const PRIORITY_DELAY = 0;
/** A thread's start, its measured window's start and end, the end of the ramp. */
export const PRIORITY_WINDOW = 0;
export const PRIORITY_THROTTLE = 1;
export const PRIORITY_SNAPSHOT = 1;
export const PRIORITY_CPU = 2;
/** A woken thread's wait for its waker's core over: it may take a free core (host-cpu.ts). */
export const PRIORITY_BALANCE = 2;
export const PRIORITY_ARRIVAL = 3;
/** After every completion at the same instant: fio reaps what is done, then issues. */
export const PRIORITY_REFILL = 4;
export const PRIORITY_SAMPLE = 250;

/** Kinds of job-thread events; the event argument is the thread's index, shifted, plus the kind (threadEvent). */
export const EV_ARRIVAL_READ = 0;
export const EV_ARRIVAL_WRITE = 1;
export const EV_THINK_END = 2;
export const EV_CPU_DONE = 3;
export const EV_START = 4;
export const EV_REFILL = 5;
export const EV_WINDOW_START = 6;
export const EV_WINDOW_END = 7;
export const EV_CPU_START = 8;
/** A trace I/O falls due (trace-driver.ts). */
export const EV_TRACE = 9;

export type ThreadEventKind =
  | typeof EV_ARRIVAL_READ | typeof EV_ARRIVAL_WRITE | typeof EV_THINK_END | typeof EV_CPU_DONE | typeof EV_START
  | typeof EV_REFILL | typeof EV_WINDOW_START | typeof EV_WINDOW_END | typeof EV_CPU_START | typeof EV_TRACE;

/** The argument's low 4 bits are the kind, the rest the thread's index (at most MAX_THREADS, well inside 2^31 / 16). */
const KIND_BITS = 4;
const KIND_MASK = (1 << KIND_BITS) - 1;

/** The event argument of `kind` for thread `index`. */
export const threadEvent = (index: number, kind: ThreadEventKind): number => index * (KIND_MASK + 1) + kind;
export const threadOf = (arg: number): number => arg >> KIND_BITS;
export const kindOf = (arg: number): ThreadEventKind => (arg & KIND_MASK) as ThreadEventKind;

/** Ends the decoding switch: a kind without a case is a compile error, an unknown kind a throw. */
export function unknownThreadEvent(kind: never, arg: number): never {
  throw new Error(`unknown job-thread event kind ${String(kind)} (event argument ${arg}, thread ${arg >> KIND_BITS})`);
}
