/** SLO verdicts of a pod or a workload, and how far from its bounds it is. Pure. */
import type { Slo } from '../sweep/slo.js';

export interface SloFigure {
  slo: string;
  observed: number;
  bound: number;
  met: boolean;
  /** (bound - observed) / bound: 0.2 = 20 % below the bound; negative when missed. */
  headroom: number;
}

export function sloFigures(slos: Slo[], observedOf: (s: Slo) => number): SloFigure[] {
  return slos.map((s) => {
    const observed = observedOf(s);
    const met = Number.isFinite(observed) && observed <= s.bound;
    return { slo: s.text, observed, bound: s.bound, met, headroom: Number.isFinite(observed) ? (s.bound - observed) / s.bound : -Infinity };
  });
}

export function formatObserved(slo: Slo | SloFigure, value: number): string {
  const util = 'metric' in slo ? slo.metric === 'util' : slo.slo.startsWith('util');
  if (util) return `${(value * 100).toFixed(1)} %`;
  return value >= 1000 ? `${(value / 1000).toFixed(2)} ms` : `${value.toFixed(0)} µs`;
}

/** "p99<=2ms (observed 2.41 ms)" for every SLO missed. */
export function describeSloMisses(slos: Slo[], observedOf: (s: Slo) => number): string {
  return sloFigures(slos, observedOf)
    .filter((f) => !f.met)
    .map((f) => `${f.slo} (observed ${Number.isFinite(f.observed) ? formatObserved(f, f.observed) : 'nothing'})`)
    .join(', ');
}
