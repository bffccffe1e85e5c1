/**
 * What calibration needs and what it was given: when no usable QD1 run is among the
 * inputs, an InputError that lists what each input is and how to take the missing run.
 */
import { InputError } from '../scenario/issues.js';
import type { Results } from '../results/types.js';
import { rebuildJob } from './fio-workload.js';

function describeJob(job: Results['jobs'][number], global: Record<string, string>): string {
  const r = rebuildJob(job, global);
  if (!r.ok) return `${job.name}: not usable (${r.reason})`;
  const o = r.job;
  const bins = job.read.clat.bins ?? job.write.clat.bins ? 'json+ bins' : 'no json+ bins';
  return `${job.name}: rw=${String(o.rw)} bs=${String(o.bs ?? 4096)} iodepth=${String(o.iodepth ?? 1)} numjobs=${String(o.numjobs ?? 1)}, ${bins}`;
}

/** The error for inputs without a QD1 run of one direction with json+ bins. */
export function missingQd1Run(inputs: { file: string; results: Results }[]): InputError {
  const given = inputs.flatMap(({ file, results }) => results.jobs.filter((j) => j.name !== 'All clients').map((j) => `${file}: ${describeJob(j, results.globalOptions)}`));
  return new InputError('calibrate', [
    {
      path: 'QD1 run',
      message:
        'missing: calibration takes the service time from a run at iodepth=1 and numjobs=1, reads or writes only (randread, randwrite, read or write), ' +
        'block size at most 64 KiB, saved with --output-format=json+ (for its latency bins)',
    },
    ...given.map((g) => ({ path: 'given', message: g })),
    {
      path: 'take it with',
      message: 'blocksim fio sweep --target PATH --rw randread --bs 4k --iodepth 1 --out sweep/  (or fio --output-format=json+ --rw=randread --bs=4k --iodepth=1 --direct=1 ...)',
    },
  ]);
}
