/**
 * The largest value of a varied field that meets every SLO, assuming more load never
 * makes latency better (monotone): bisection over the sorted candidate values, then a
 * confirmation around the boundary with repetitions under other seeds. Pure: the caller
 * supplies how to evaluate a value.
 */
import type { PointResult } from './evaluate.js';
import type { ResourceUse } from '../results/resources.js';
import { meets, observed, type Slo } from './slo.js';
import { lowMedian } from '../results/read.js';

export interface CapacityAnswer {
  /** Largest value meeting every SLO, or undefined when even the smallest fails. */
  value: string | number | undefined;
  /** True when the largest candidate still meets the SLOs (the answer may be higher). */
  atUpperBound: boolean;
  runs: number;
  /** Repetitions at the answer that met the SLOs, and repetitions one step above that failed. */
  confirmation: { metAtAnswer: number; failedAbove: number; repetitions: number };
  /** Per SLO: observed value at the answer (median of the repetitions) and the headroom to its bound (share of the bound). */
  headroom: { slo: string; observed: number; headroom: number }[];
  /** The most used resource at the answer (first repetition): what runs out first. */
  binding?: ResourceUse;
}

export type Evaluate = (value: string | number, repetition: number) => Promise<PointResult>;

export async function searchCapacity(values: (string | number)[], slos: Slo[], jobMatches: (job: string) => boolean, evaluate: Evaluate, repetitions: number): Promise<CapacityAnswer> {
  let runs = 0;
  const seen = new Map<string, PointResult>(); // a value and seed simulated once, reused by the confirmation
  const ok = async (i: number, rep = 1): Promise<PointResult> => {
    const key = `${i}/${rep}`;
    const cached = seen.get(key);
    if (cached) return cached;
    runs++;
    const r = await evaluate(values[i]!, rep);
    seen.set(key, r);
    return r;
  };
  const none: CapacityAnswer = { value: undefined, atUpperBound: false, runs: 0, confirmation: { metAtAnswer: 0, failedAbove: 0, repetitions }, headroom: [] };
  const first = await ok(0);
  if (!meets(slos, first, jobMatches)) return { ...none, runs };
  let lo = 0;
  let hi = values.length - 1;
  const last = hi > 0 ? await ok(hi) : first;
  let atUpperBound = false;
  if (meets(slos, last, jobMatches)) {
    lo = hi;
    atUpperBound = true;
  } else {
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (meets(slos, await ok(mid), jobMatches)) lo = mid;
      else hi = mid;
    }
  }
  // confirm with repetitions (other seeds); step down while the answer fails in most of them
  let metAtAnswer: number;
  let answerResults: PointResult[] = [];
  for (;;) {
    answerResults = [];
    for (let rep = 1; rep <= repetitions; rep++) answerResults.push(await ok(lo, rep));
    metAtAnswer = answerResults.filter((r) => meets(slos, r, jobMatches)).length;
    if (metAtAnswer * 2 >= repetitions || lo === 0) break;
    lo--;
  }
  let failedAbove = 0;
  if (lo + 1 < values.length) for (let rep = 1; rep <= repetitions; rep++) if (!meets(slos, await ok(lo + 1, rep), jobMatches)) failedAbove++;
  const headroom = slos.map((s) => {
    const obs = lowMedian(answerResults.map((r) => observed(s, r, jobMatches)));
    return { slo: s.text, observed: obs, headroom: (s.bound - obs) / s.bound };
  });
  const binding = answerResults[0]?.binding;
  return { value: values[lo], atUpperBound, runs, confirmation: { metAtAnswer, failedAbove, repetitions }, headroom, ...(binding ? { binding } : {}) };
}
