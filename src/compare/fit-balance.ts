/**
 * Where the scheduler runs a device's worker: on a free core at once, or on the core of
 * the thread that woke it (model/host-cpu.ts, `balance`). A loop device at a low depth
 * shows the second: fio and the loop worker wake each other in short turns and Linux keeps
 * them on one core, so the I/Os cost the sum of both threads' CPU, not the larger of the
 * two (on this machine kind, loop over /dev/shm at QD4: 63 k IOPS with 0.85 of 2 cores
 * busy, 13 µs of CPU per I/O in all). Deep queues give long turns, after which the
 * scheduler spreads the threads over the cores.
 *
 * Only a run at a low depth (2 to 8 I/Os, one job) tells how long a woken thread waits for
 * its waker's core (from below: the turns it puts on one core); a deep run bounds it from
 * above. The fit tries a few waits and takes the shortest of those that simulate the runs
 * alike; waits in between are not determined, and turns of that length (a larger block at
 * a low depth) are predicted as spread over the cores.
 */
import type { MeasuredPoint } from './measured-points.js';
import { simulatePoint } from './simulate-point.js';

const WAITS_US = [0, 5, 10, 20, 40, 80, 160];
/** The wait assumed when no low-depth run determines it. */
export const ASSUMED_WAIT_US = 20;

/** Single-direction small-block random runs of one job at a depth of 2 to 8. */
export function lowDepthRuns(points: MeasuredPoint[]): MeasuredPoint[] {
  return points.filter((p) => p.numjobs === 1 && p.iodepth >= 2 && p.iodepth <= 8 && p.bsBytes <= 65536 && (p.rw === 'randread' || p.rw === 'randwrite'));
}

/**
 * The host with its fitted `balance` (a wait in µs), or the assumed one when no run
 * determines it (then said in `undetermined`).
 */
export function fitBalance(
  device: Record<string, unknown>,
  host: { cores: number },
  points: MeasuredPoint[],
  deep: MeasuredPoint | undefined,
  notes: string[],
  undetermined: string[],
): { cores: number; balance?: string } {
  const low = lowDepthRuns(points);
  if (host.cores < 2) return host;
  if (low.length === 0) {
    // Linux wakes a thread near its waker by default (wake-affine): every loop device and
    // btrfs-on-loop run here at QD4 showed the turns when nothing else fixed the wait, and
    // the wait fitted from loop's QD4 runs was 20 µs; without a run to fit it, that is
    // the assumption, said as one
    undetermined.push(
      `where the scheduler runs the device's worker: no run of one job at a depth of 2 to 8; assumed that a woken worker waits up to ${ASSUMED_WAIT_US} µs for its waker's core ` +
        "(Linux's wake-affine placement; the wait fitted from a loop device's QD4 runs), so fio and the worker take turns on one core at low depths; add a randread 4k QD4 run to fit it",
    );
    return { ...host, balance: `${ASSUMED_WAIT_US}us` };
  }
  const runs = deep ? [...low, deep] : low;
  const errorAt = (waitUs: number): number => {
    const h = waitUs > 0 ? { ...host, balance: `${waitUs}us` } : host;
    return runs.reduce((s, p) => {
      const d = p.dirs.read ? 'read' : 'write';
      return s + Math.abs(Math.log(Math.max(simulatePoint(device, h, p)[d].iops, 1e-9) / p.dirs[d]!.iops));
    }, 0);
  };
  // Every wait past the low depth's turns and short of the deep run's looks alike to the
  // runs (within 10 % of the best). The shortest is taken: a wait too long keeps queues
  // deeper than the runs' on one core (their IOPS fall by half), one too short spreads
  // turns a little longer than the low depth's over two cores (they come out too fast).
  const errors = WAITS_US.map(errorAt);
  const least = Math.min(...errors);
  const alike = WAITS_US.filter((_, i) => errors[i]! <= least + Math.log(1.1));
  const lo = alike[0]!;
  const hi = alike[alike.length - 1]!;
  const best = lo;
  const from = runs.map((p) => p.files[0]).join(', ');
  notes.push(
    best > 0
      ? `a woken worker or job thread waits up to ${best} µs for its waker's core before it takes a free one (host balance): waits of ${lo} to ${hi} µs simulate ${from} alike (IOPS within 10 %), the shortest taken`
      : `a woken worker takes a free core at once (host balance 0): the simulated IOPS closest to ${from}`,
  );
  return best > 0 ? { ...host, balance: `${best}us` } : host;
}
