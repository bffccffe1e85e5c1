/**
 * The iolog fio replays for a traced job: fio's own version 3 format (iolog.c), which
 * fio 3.31 and later read, with the replay's mapping already applied (offsets on the
 * job's span, trims and syncs left out, times ÷ speed), so fio and the simulator replay
 * the same I/Os. Pure: line text only.
 *
 * Times: fio 3.33 delays an I/O by the difference between its time and the previous
 * line's, but not while the previous time is 0 (delay_since_ttime), so the file and its
 * open are logged at 0 and the first I/O at 1 µs; each next I/O then waits its gap after
 * the previous one was issued, as the simulator's open loop does.
 */
/** fio's own first line of a version 3 iolog (iolog.c). */
const IOLOG_V3_HEADER = 'fio version 3 iolog';

/** The header, and the file's add and open at time 0. */
export function iologHead(name: string): string {
  return `${IOLOG_V3_HEADER}\n0 ${name} add\n0 ${name} open\n`;
}

/** One I/O, `elapsedUs` after the first (0 for the first). */
export function iologIo(elapsedUs: number, name: string, dir: number, offsetBytes: number, sizeBytes: number): string {
  return `${1 + Math.round(elapsedUs)} ${name} ${dir === 0 ? 'read' : 'write'} ${offsetBytes} ${sizeBytes}\n`;
}

/** The job key a traced job's iolog is named by: one log per job and phase, shared by its replicas and clones. */
export function replayKey(container: string, job: { name: string; phase?: string }): string {
  return `${container}.${job.name}${job.phase === undefined ? '' : `@${job.phase}`}`;
}
