/**
 * A load-dependent server with a known table reproduces the table. N jobs at QD1 on a
 * device with more slots than jobs: every I/O starts with exactly N at the device, so its
 * service comes from the depth-N cell and clat is that cell's distribution; IOPS = N/mean
 * (Little's law). Between grid points each quantile blends geometrically by the position
 * in ln(depth) and ln(size): halfway, q(u) = √(a(u)·b(u)), whose mean the test computes from
 * the cells. Tolerances: the histogram's bucket error (< 0.8 %) for percentiles, sampling
 * error of ~10^5 draws (≈ 0.3 %) for means.
 */
import { describe, expect, it } from 'vitest';
import { dir, p, relErr, run, singleDevice } from '../helpers.js';
import { ServiceTableSampler } from '../../src/model/service-table.js';
import { Rng } from '../../src/random/rng.js';

const Q = 100;
/** A uniform distribution on [lo, hi] as Q equally likely quantile points. */
const uniform = (lo: number, hi: number): number[] => Array.from({ length: Q }, (_, k) => lo + ((k + 0.5) / Q) * (hi - lo));
const cells = {
  1: { '4k': [20, 40], '64k': [60, 100] },
  4: { '4k': [30, 70], '64k': [80, 160] },
  16: { '4k': [100, 300], '64k': [200, 600] },
} as const;
const table = {
  dist: 'table',
  unit: 'us',
  depths: [1, 4, 16],
  sizes: ['4k', '64k'],
  quantiles: ([1, 4, 16] as const).map((d) => (['4k', '64k'] as const).map((s) => uniform(cells[d][s][0], cells[d][s][1]))),
};

function simulateAt(n: number, bs: string) {
  return dir(run(singleDevice({ parallelism: 64, read: { latency: table } }, { j: { rw: 'randread', bs, iodepth: 1, numjobs: n } }, { duration: '10s', ramp: '100ms' })), 'c.j');
}

describe('a load-dependent server reproduces its table', () => {
  for (const n of [1, 4, 16] as const) {
    for (const bs of ['4k', '64k'] as const) {
      it(`at the grid point depth ${n}, ${bs}: clat is the cell's uniform distribution, IOPS = N/mean`, () => {
        const [lo, hi] = cells[n][bs];
        const d = simulateAt(n, bs);
        expect(relErr(d.clat.meanNs / 1e3, (lo + hi) / 2)).toBeLessThan(0.005);
        expect(relErr(p(d, 50) / 1e3, lo + 0.5 * (hi - lo))).toBeLessThan(0.01);
        expect(relErr(p(d, 99) / 1e3, lo + 0.99 * (hi - lo))).toBeLessThan(0.01);
        expect(relErr(d.iops, (n * 1e6) / ((lo + hi) / 2))).toBeLessThan(0.005);
      });
    }
  }

  /** Mean of the halfway blend of two cells: the average over u of √(a(u)·b(u)). */
  const halfway = (a: readonly [number, number], b: readonly [number, number]): number => {
    const qa = uniform(a[0], a[1]);
    const qb = uniform(b[0], b[1]);
    return qa.reduce((s, x, i) => s + Math.sqrt(x * qb[i]!), 0) / Q;
  };

  it('between depths 4 and 16 (depth 8, halfway in ln): each quantile the geometric mean of the cells', () => {
    const d = simulateAt(8, '4k');
    expect(relErr(d.clat.meanNs / 1e3, halfway(cells[4]['4k'], cells[16]['4k']))).toBeLessThan(0.005);
  });

  it('between sizes 4k and 64k (16k, halfway in ln) at depth 1: each quantile the geometric mean of the cells', () => {
    const d = simulateAt(1, '16k');
    expect(relErr(d.clat.meanNs / 1e3, halfway(cells[1]['4k'], cells[1]['64k']))).toBeLessThan(0.005);
  });

  it('beyond the grid the edge cells hold: depth 32 serves from depth 16', () => {
    const d = simulateAt(32, '4k');
    expect(relErr(d.clat.meanNs / 1e3, 200)).toBeLessThan(0.005);
  });
});

describe('ServiceTableSampler', () => {
  it('draws the same quantile in every cell: halfway between cells [10, 20] and [40, 80], draws lie in [20, 40]', () => {
    const load = { depth: 2, sizeBytes: 4096 };
    const t = { depths: [1, 4], sizesBytes: [4096], quantilesUs: [[uniform(10, 20)], [uniform(40, 80)]] };
    const s = new ServiceTableSampler(t, Rng.fromSeed(3), load);
    const draws = Array.from({ length: 20000 }, () => s.sample());
    // depth 2 is halfway between 1 and 4 in ln; b(u) = 4 a(u), so √(a·b) = 2 a(u): uniform on [20, 40]
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(20 - 1e-9);
    expect(Math.max(...draws)).toBeLessThanOrEqual(40 + 1e-9);
    expect(relErr(draws.reduce((a, b) => a + b, 0) / draws.length, 30)).toBeLessThan(0.01);
  });

  it('refuses a malformed table', () => {
    const load = { depth: 1, sizeBytes: 4096 };
    expect(() => new ServiceTableSampler({ depths: [4, 1], sizesBytes: [4096], quantilesUs: [[[1]], [[2]]] }, Rng.fromSeed(1), load)).toThrow(/ascend/);
    expect(() => new ServiceTableSampler({ depths: [1], sizesBytes: [4096], quantilesUs: [[[2, 1]]] }, Rng.fromSeed(1), load)).toThrow(/ascending quantile/);
  });
});
