/**
 * Every simulation the planner runs goes through one ledger: it derives the seed from the
 * cluster seed and what is simulated (never from the order of the search or the worker
 * that runs it), runs each distinct scenario once, and counts runs by purpose.
 */
import { Rng } from '../random/rng.js';
import type { PointResult } from '../sweep/evaluate.js';

export type Purpose = 'estimate' | 'verify' | 'confirm' | 'baseline';

/** Runs a raw scenario under a seed (on the worker pool, or in this thread in tests). */
export type RunScenario = (raw: Record<string, unknown>, seed: number) => Promise<PointResult>;

export class SimLedger {
  readonly counts: Record<Purpose, number> = { estimate: 0, verify: 0, confirm: 0, baseline: 0 };
  private readonly cache = new Map<string, Promise<PointResult>>();
  private readonly root: Rng;

  constructor(seed: number, private readonly run: RunScenario, private readonly onRun?: (purpose: Purpose) => void) {
    this.root = Rng.fromSeed(seed);
  }

  get total(): number {
    return this.counts.estimate + this.counts.verify + this.counts.confirm + this.counts.baseline;
  }

  /** The seed of a scenario's `repetition`-th run: a function of its content only. */
  seedOf(content: string, repetition: number): number {
    return this.root.fork(`${repetition}/${content}`).nextUint32();
  }

  simulate(raw: Record<string, unknown>, purpose: Purpose, repetition = 0): Promise<PointResult> {
    const content = JSON.stringify(raw);
    const key = `${repetition}/${content}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    this.counts[purpose]++;
    const p = this.run(raw, this.seedOf(content, repetition)).then((r) => {
      if (r.error) throw new Error(`a generated scenario is invalid (a bug): ${r.error}`);
      this.onRun?.(purpose);
      return r;
    });
    this.cache.set(key, p);
    return p;
  }
}
