/**
 * `trace fit` recovers the job that made a trace: traces of 200,000 I/Os generated from
 * known fio options (through the simulator's own address generator) are fitted, and the
 * options come back within stated tolerances. Also: the fitted job is a valid scenario
 * job, and fits of real fio runs name what fio ran.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBssplit } from '../../src/scenario/fio-options.js';
import { parseTraceText } from '../../src/trace/feed.js';
import { compareFit } from '../../src/trace/fit-check.js';
import { fitJob, sizeSplit, sizeText } from '../../src/trace/fit.js';
import { jobSpecFrom } from '../../src/trace/job-spec.js';
import { TraceStatsAccumulator } from '../../src/trace/stats.js';
import type { TraceStats } from '../../src/trace/stats-result.js';
import { synthesize } from '../../src/trace/synthesize.js';
import { expectedDistinctUniform, expectedDistinctZipf } from '../../src/trace/zipf-distinct.js';

const RECORDS = 200_000;

function traceOf(options: Record<string, unknown>, seed: number): TraceStats {
  const spec = jobSpecFrom(options, 16 * 2 ** 30);
  if (!spec.ok) throw new Error(JSON.stringify(spec.issues));
  const acc = new TraceStatsAccumulator();
  synthesize(spec.job, { records: RECORDS, seed }, (r) => acc.add(r));
  return acc.result({ completions: false, times: true });
}

const splitOf = (text: string): number[] => {
  const p = parseBssplit(text);
  if (!p.ok) throw new Error(p.message);
  return [...p.value.read.sizesBytes, ...p.value.read.cumulative, ...p.value.write.sizesBytes, ...p.value.write.cumulative];
};

function rates(v: string | number | undefined): number[] {
  return String(v).split(',').map(Number);
}

const cases: Record<string, unknown>[] = [
  { rw: 'randrw', rwmixread: 70, bssplit: '4k/60:16k/25:64k/15', rate_iops: '3000,1300', rate_process: 'poisson', random_distribution: 'zipf:1.1', size: '8g' },
  { rw: 'randread', bs: '8k', rate_iops: 2000, rate_process: 'linear', random_distribution: 'zipf:0.8', size: '1g' },
  { rw: 'randwrite', bssplit: '4k/50:64k/50', rate_iops: 1000, rate_process: 'poisson', size: '256m' },
  { rw: 'rw', rwmixread: 40, bs: '128k', rate_iops: '400,600', rate_process: 'linear', size: '4g' },
  { rw: 'randrw', rwmixread: 20, bssplit: '8k/100,4k/30:32k/70', rate_iops: '500,2000', rate_process: 'poisson', random_distribution: 'zipf:1.6', size: '2g' },
];

describe('fit recovers the options a trace was generated from', () => {
  for (const [i, known] of cases.entries()) {
    it(`${JSON.stringify(known)}`, () => {
      const fit = fitJob(traceOf(known, 10 + i)).options;
      expect(fit.rw).toBe(known.rw);
      if (known.rwmixread !== undefined) expect(Math.abs(Number(fit.rwmixread) - Number(known.rwmixread))).toBeLessThanOrEqual(1);
      if (known.bs !== undefined) expect(fit.bs).toBe(known.bs);
      if (known.bssplit !== undefined) {
        const want = splitOf(String(known.bssplit));
        const got = splitOf(String(fit.bssplit));
        expect(got.length).toBe(want.length);
        got.forEach((g, j) => expect(Math.abs(g - want[j]!), `bssplit ${fit.bssplit}`).toBeLessThanOrEqual(want[j]! > 1 ? 0 : 0.01)); // sizes exact, shares within 1 point
      }
      const [kr, kw] = rates(known.rate_iops as string);
      const [fr, fw] = rates(fit.rate_iops);
      expect(Math.abs(fr! / kr! - 1)).toBeLessThan(0.02); // Poisson counts over 200,000 I/Os: 3 standard errors under 1 %
      if (kw !== undefined) expect(Math.abs(fw! / kw - 1)).toBeLessThan(0.02);
      expect(fit.rate_process).toBe(known.rate_process);
      const dist = known.random_distribution as string | undefined;
      if (String(known.rw).startsWith('rand')) {
        if (dist === undefined) expect(fit.random_distribution).toBe('random');
        else expect(Math.abs(Number(String(fit.random_distribution).split(':')[1]) - Number(dist.split(':')[1]))).toBeLessThanOrEqual(0.05);
      } else expect(fit.random_distribution).toBeUndefined();
      expect(fit.size).toBe(known.size);
      expect(jobSpecFrom(fit, 16 * 2 ** 30).ok).toBe(true);
    });
  }

  it('says how well the fitted job matches, and it matches its own trace closely', () => {
    const trace = traceOf(cases[0]!, 1);
    const fit = fitJob(trace);
    const spec = jobSpecFrom(fit.options, 16 * 2 ** 30);
    if (!spec.ok) throw new Error('invalid');
    const acc = new TraceStatsAccumulator();
    synthesize(spec.job, { records: RECORDS, seed: 2 }, (r) => acc.add(r));
    const rows = compareFit(trace, acc.result({ completions: false, times: true }));
    const row = (name: string) => rows.find((r) => r.figure === name)!;
    expect(Math.abs(row('reads').difference)).toBeLessThan(0.01);
    expect(Math.abs(row('working set').difference)).toBeLessThan(0.05);
    expect(Math.abs(row('re-referenced blocks').difference)).toBeLessThan(0.02);
    expect(rows.filter((r) => r.figure.startsWith('LRU hit ratio')).length).toBeGreaterThan(0);
    expect(fit.notes.some((n) => n.startsWith('random_distribution=zipf:1.1'))).toBe(true);
  });
});

describe('fit parts', () => {
  it('expected distinct offsets: uniform is the coupon collector, Zipf with collisions fewer', () => {
    expect(expectedDistinctUniform(1000, 1000)).toBeCloseTo(1000 * (1 - (1 - 1 / 1000) ** 1000), 9);
    const z = expectedDistinctZipf(1000, 1000, 1.2);
    expect(z).toBeLessThan(expectedDistinctUniform(1000, 1000));
    expect(expectedDistinctZipf(1e9, 1e4, 1)).toBeLessThan(1e4);
  });

  it('keeps the sizes of all but 0.5 % of I/Os, folding rarer ones into the nearest, shares summing to 100', () => {
    const d = { sizes: [[4096, 600], [8192, 300], [12288, 2], [65536, 98]] as [number, number][], ios: 1000 };
    const split = sizeSplit(d as never);
    expect(split).toEqual([[4096, 60], [8192, 30], [65536, 10]]);
    expect(sizeText(4096)).toBe('4k');
    expect(sizeText(3 * 2 ** 30)).toBe('3g');
    expect(sizeText(1536)).toBe('1536');
  });

  it('fits the fio run in the fixtures as fio ran it: randrw of 4k and 16k, and iodepth 4 at most from the block layer', () => {
    const fixture = (f: string): TraceStats => {
      const { records, summary } = parseTraceText(f, readFileSync(join(import.meta.dirname, '../fixtures/trace', f), 'utf8'));
      const acc = new TraceStatsAccumulator();
      records.forEach((r) => acc.add(r));
      return acc.result(summary.capabilities);
    };
    const fromIolog = fitJob(fixture('loop-randrw.iolog'));
    expect(fromIolog.options.rw).toBe('randrw');
    expect(String(fromIolog.options.bssplit)).toMatch(/^4k\/\d+:(12k\/\d+:)?16k\/\d+,/); // fio shortens a few blocks at the end of the file
    expect(fromIolog.options.iodepth).toBe(32);
    expect(fromIolog.notes.some((n) => n.startsWith('iodepth=32: a guess'))).toBe(true);
    const fromBlk = fitJob(fixture('loop-randrw.blkparse.txt'));
    expect(fromBlk.options.rw).toBe('randrw');
    expect(Number(fromBlk.options.iodepth)).toBeLessThanOrEqual(4);
  });
});
