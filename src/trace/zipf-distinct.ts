/**
 * Expected number of distinct slots that n random offsets touch, as fio (and the
 * simulator's address generator) draws them over N slots:
 *
 * - random:   each draw uniform over the slots: N (1 - (1 - 1/N)^n);
 * - zipf:θ:   a rank k with probability k^-θ / H(N, θ), then hashed to a slot. Ranks
 *   touched: T = Σ_k 1 - (1 - p_k)^n. The hash is not a bijection (fio: hash % N), so
 *   touched ranks share slots as balls in bins: N (1 - e^(-T / N)).
 *
 * Sums over ranks are exact up to EXACT_RANKS and then taken over geometric groups of
 * ranks (ratio 1.001) at their middle, where p_k changes by under 0.1 % for θ ≤ 4.
 */
const EXACT_RANKS = 20_000;
const GROUP_RATIO = 1.001;

/** Σ_{k=1..N} f(k), exact for small k, grouped for large. */
function sumOverRanks(n: number, f: (k: number) => number): number {
  let s = 0;
  const exact = Math.min(n, EXACT_RANKS);
  for (let k = 1; k <= exact; k++) s += f(k);
  let a = exact + 1;
  while (a <= n) {
    const b = Math.min(n, Math.max(a, Math.floor(a * GROUP_RATIO)));
    const count = b - a + 1;
    s += count * f(Math.sqrt(a * b));
    a = b + 1;
  }
  return s;
}

export function expectedDistinctUniform(slots: number, draws: number): number {
  return slots * -Math.expm1(draws * Math.log1p(-1 / slots));
}

export function expectedDistinctZipf(slots: number, draws: number, theta: number): number {
  const h = sumOverRanks(slots, (k) => k ** -theta);
  const touched = sumOverRanks(slots, (k) => -Math.expm1(draws * Math.log1p(-(k ** -theta) / h)));
  return slots * -Math.expm1(-touched / slots);
}

/**
 * θ whose expected distinct count matches `distinct` (bisection; more skew touches fewer
 * slots), or undefined when uniform draws explain it (within `tolerance`) or when θ
 * would pass `maxTheta`.
 */
export function fitZipfTheta(slots: number, draws: number, distinct: number, tolerance = 0.01, maxTheta = 4): number | undefined {
  if (distinct >= expectedDistinctUniform(slots, draws) * (1 - tolerance)) return undefined;
  if (expectedDistinctZipf(slots, draws, maxTheta) > distinct) return maxTheta;
  let lo = 0.001;
  let hi = maxTheta;
  for (let i = 0; i < 40 && hi - lo > 1e-4; i++) {
    const mid = (lo + hi) / 2;
    if (expectedDistinctZipf(slots, draws, mid) > distinct) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
