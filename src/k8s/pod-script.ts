/**
 * What a measuring pod runs: a fixed POSIX shell script (busybox sh is enough) that takes
 * everything it needs from environment variables, so nothing from a scenario is ever
 * spliced into a command line. The same script runs on a host in the tests, with the
 * paths pointed elsewhere.
 *
 *   BLOCKSIM_JOBS     folder of the job files, one per replica: <replica>.fio
 *   BLOCKSIM_PODINFO  folder of the downward-API file `annotations`
 *   BLOCKSIM_VOLUMES  where volumes appear (job files name ${BLOCKSIM_VOLUMES}/<volume>)
 *   BLOCKSIM_LAYOUT   1: volumes are file systems; fio lays out its files before the barrier
 *   JOB_COMPLETION_INDEX  the replica (set by an Indexed Job)
 *
 * Barrier: every pod waits until its annotation `blocksim.dev/start-at` (Unix seconds)
 * appears, then sleeps until that second and runs fio, so all replicas start their
 * measured window together (to the clock skew between nodes plus under a second). The
 * annotation is set by `blocksim k8s run` once every pod is running, or by hand:
 * `kubectl annotate pods -l blocksim.dev/run=RUN blocksim.dev/start-at=$(( $(date +%s) + 20 ))`.
 */

export const START_ANNOTATION = 'blocksim.dev/start-at';

/** Marks the line after which fio's JSON follows in a pod's log. */
export const FIO_OUTPUT_MARK = 'blocksim: fio output follows';

export const POD_SCRIPT = `set -eu
replica="\${JOB_COMPLETION_INDEX:?JOB_COMPLETION_INDEX is not set: run as an Indexed Job}"
jobfile="$BLOCKSIM_JOBS/$replica.fio"
[ -r "$jobfile" ] || { echo "blocksim: no job file $jobfile" >&2; exit 2; }
if [ "\${BLOCKSIM_LAYOUT:-0}" = 1 ]; then
  echo "blocksim: replica $replica laying out files" >&2
  fio --create_only=1 --output-format=terse "$jobfile" >/dev/null
fi
echo "blocksim: replica $replica waiting for ${START_ANNOTATION}" >&2
start=""
while [ -z "$start" ]; do
  start="$(sed -n 's/^blocksim\\.dev\\/start-at="\\([0-9][0-9]*\\)"$/\\1/p' "$BLOCKSIM_PODINFO/annotations" 2>/dev/null || true)"
  [ -n "$start" ] || sleep 1
done
now="$(date +%s)"
if [ "$start" -gt "$now" ]; then sleep "$((start - now))"; fi
echo "blocksim: replica $replica starting fio at $(date +%s)" >&2
echo "${FIO_OUTPUT_MARK}"
exec fio --output-format=json+ "$jobfile"
`;
