/**
 * Service-time samplers, in microseconds, one per device direction. Each takes its own
 * random stream so that changing one distribution never shifts another's draws.
 * Samplers are small classes rather than closures so the per-I/O call site stays
 * polymorphic (see des/kernel.ts).
 */
import type { LatencySpec } from '../scenario/types.js';
import type { Rng } from '../random/rng.js';
import { exponential, normalQuantile } from '../random/distributions.js';
import { assertNever } from '../util/assert-never.js';
import { ServiceTableSampler, type LoadContext } from './service-table.js';

export interface Sampler {
  sample(): number;
}

class FixedSampler implements Sampler {
  constructor(private readonly valueUs: number) {}
  sample(): number {
    return this.valueUs;
  }
}

class ExponentialSampler implements Sampler {
  constructor(private readonly meanUs: number, private readonly rng: Rng) {}
  sample(): number {
    return exponential(this.rng, this.meanUs);
  }
}

class LognormalSampler implements Sampler {
  constructor(private readonly mu: number, private readonly sigma: number, private readonly rng: Rng) {}
  sample(): number {
    return Math.exp(this.mu + this.sigma * normalQuantile(this.rng.next() || Number.MIN_VALUE));
  }
}

/** Draws one of the values with probability proportional to its weight (binary search). */
class EmpiricalSampler implements Sampler {
  private readonly cum: Float64Array;
  private readonly vals: Float64Array;
  constructor(values: number[], weights: number[], private readonly rng: Rng) {
    const total = weights.reduce((s, w) => s + w, 0);
    this.cum = new Float64Array(values.length);
    let acc = 0;
    weights.forEach((w, i) => (this.cum[i] = acc += w / total));
    this.cum[this.cum.length - 1] = 1;
    this.vals = Float64Array.from(values);
  }
  sample(): number {
    const u = this.rng.next();
    const cum = this.cum;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return this.vals[lo]!;
  }
}

/**
 * A sampler for one distribution. A `table` distribution reads the load of the I/O being
 * served from `load`, which its device keeps current.
 */
export function createSampler(spec: LatencySpec, rng: Rng, load?: LoadContext): Sampler {
  switch (spec.dist) {
    case 'fixed':
      return new FixedSampler(spec.valueUs);
    case 'exponential':
      return new ExponentialSampler(spec.meanUs, rng);
    case 'lognormal':
      return new LognormalSampler(spec.mu, spec.sigma, rng);
    case 'empirical':
      return new EmpiricalSampler(spec.valuesUs, spec.weights, rng);
    case 'table':
      if (load === undefined) throw new Error('a table latency needs the load of its device (only device service times may use one)');
      return new ServiceTableSampler(spec, rng, load);
    default:
      return assertNever(spec);
  }
}
