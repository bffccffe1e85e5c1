/** Pairing measured jobs with predictions, and which runs are repetitions of one another. */
import { describe, expect, it } from 'vitest';
import { groupRepetitions, pairJobs, parseNameMap, repetitionSpread } from '../../src/compare/pairing.js';
import type { JobResult, Results } from '../../src/results/types.js';

const lat = { n: 1, minNs: 1, maxNs: 1, meanNs: 1, stddevNs: 0 };
const dir = (iops: number) => ({ totalIos: iops, ioBytes: iops * 4096, runtimeMs: 1000, iops, bwBytesPerSec: iops * 4096, slat: lat, clat: lat, lat });
const job = (name: string, iops = 100): JobResult => ({ name, options: {}, read: dir(0), write: dir(iops) }) as unknown as JobResult;
const results = (...jobs: JobResult[]): Results => ({ source: 'fio', version: '', globalOptions: {}, jobs, devices: [] }) as unknown as Results;
const predicted = results(job('c.w@before'), job('c.w@after'), job('w'));

describe('pairing', () => {
  it('a map entry for run:job wins over one for the run, which wins over one for the job; a repetition suffix may be left out', () => {
    const { map } = parseNameMap(['w=c.w@before', 'after=c.w@after', 'after-x:w=w']);
    expect(pairJobs('after-r2', results(job('w')), predicted, (n) => n, map).pairs[0]!.predicted.name).toBe('c.w@after');
    expect(pairJobs('after-x', results(job('w')), predicted, (n) => n, map).pairs[0]!.predicted.name).toBe('w');
    expect(pairJobs('other', results(job('w')), predicted, (n) => n, map).pairs[0]!.predicted.name).toBe('c.w@before');
    expect(pairJobs('other', results(job('v')), predicted, (n) => n, map).unpaired).toEqual(['v']);
  });

  it('refuses map entries without both sides', () => {
    expect(parseNameMap(['a=', '=b', 'ab']).bad).toHaveLength(3);
  });

  it('pools only runs named as repetitions of the same predicted job, and none marked apart', () => {
    const pair = (file: string, iops: number, to = 'w') => pairJobs(file, results(job('w', iops)), predicted, () => to).pairs[0]!;
    const reps = [pair('qd16-r1', 100), pair('qd16-r2', 60)];
    const groups = groupRepetitions(reps);
    expect(groups).toHaveLength(1);
    expect(repetitionSpread(groups[0]!, 'write')).toBeCloseTo(40 / 80, 12);
    expect(groupRepetitions(reps, ['qd16-r2'])).toHaveLength(2);
    expect(groupRepetitions([pair('qd16-r1', 100, 'c.w@before'), pair('qd16-r2', 60, 'c.w@after')])).toHaveLength(2);
    expect(groupRepetitions([pair('fio', 100), pair('fio', 60)])).toHaveLength(2); // the same name is not a repetition suffix
  });
});
