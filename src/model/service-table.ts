/**
 * A load- and size-dependent service-time distribution: the classic table-based storage
 * model (Anderson, "Simple table-based modeling of storage devices", HP Labs 2001),
 * with a distribution rather than a mean in each cell.
 *
 * Cells sit on a grid of depths (I/Os at the device when this one starts, itself
 * included) × block sizes; each holds its distribution as Q equally likely quantile points
 * (µs). A draw takes one u ~ U(0,1), reads u's quantile in the (up to) four cells around
 * (depth, size), and blends them by the position in ln(depth) and ln(size), geometrically
 * (log-log interpolation, as latency against load is close to a power law): quantile
 * functions blend, so a draw between two cells lies between their draws at the same u,
 * and at a grid point the cell's own distribution comes out. Outside the grid the edge
 * cells hold.
 */
import type { Rng } from '../random/rng.js';
import type { Sampler } from './latency.js';

export interface ServiceTable {
  /** Ascending, ≥ 1. */
  depths: number[];
  /** Ascending, bytes. */
  sizesBytes: number[];
  /** quantilesUs[depth][size]: Q ascending values, each 1/Q of the mass, the same Q everywhere. */
  quantilesUs: number[][][];
}

/** What the device tells the table about the I/O being served. */
export interface LoadContext {
  depth: number;
  sizeBytes: number;
}

/**
 * a and b blended with weight w of b, geometrically (latency against depth or size is
 * close to a power law between grid points); linearly when either is 0.
 */
function blend(a: number, b: number, w: number): number {
  return a > 0 && b > 0 ? Math.exp(Math.log(a) * (1 - w) + Math.log(b) * w) : a * (1 - w) + b * w;
}

/** Where x falls on an ascending grid, in log space: lower index and weight of the upper one. */
function bracket(grid: Float64Array, x: number): [number, number] {
  const n = grid.length;
  if (n === 1 || x <= grid[0]!) return [0, 0];
  if (x >= grid[n - 1]!) return [n - 1, 0];
  let i = 0;
  while (grid[i + 1]! < x) i++;
  const lx = Math.log(x);
  const l0 = Math.log(grid[i]!);
  return [i, (lx - l0) / (Math.log(grid[i + 1]!) - l0)];
}

export class ServiceTableSampler implements Sampler {
  private readonly depths: Float64Array;
  private readonly sizes: Float64Array;
  private readonly q: number;
  /** Cells flattened: cell (d, s) starts at (d * sizes + s) * q. */
  private readonly values: Float64Array;

  constructor(table: ServiceTable, private readonly rng: Rng, private readonly load: LoadContext) {
    checkTable(table);
    this.depths = Float64Array.from(table.depths);
    this.sizes = Float64Array.from(table.sizesBytes);
    this.q = table.quantilesUs[0]![0]!.length;
    this.values = Float64Array.from(table.quantilesUs.flat(2));
  }

  /** u's quantile in cell (d, s), linear between the Q points (midpoint convention). */
  private cell(d: number, s: number, u: number): number {
    const q = this.q;
    const base = (d * this.sizes.length + s) * q;
    const x = u * q - 0.5;
    if (x <= 0) return this.values[base]!;
    if (x >= q - 1) return this.values[base + q - 1]!;
    const i = Math.floor(x);
    const f = x - i;
    return this.values[base + i]! * (1 - f) + this.values[base + i + 1]! * f;
  }

  sample(): number {
    const u = this.rng.next();
    const [d, wd] = bracket(this.depths, this.load.depth);
    const [s, ws] = bracket(this.sizes, this.load.sizeBytes);
    const lo = wd > 0 ? blend(this.cell(d, s, u), this.cell(d + 1, s, u), wd) : this.cell(d, s, u);
    if (ws === 0) return lo;
    const hi = wd > 0 ? blend(this.cell(d, s + 1, u), this.cell(d + 1, s + 1, u), wd) : this.cell(d, s + 1, u);
    return blend(lo, hi, ws);
  }
}

/** Throws on a malformed table (the schema reports user errors with paths before this). */
export function checkTable(t: ServiceTable): void {
  const ascending = (a: number[]): boolean => a.every((v, i) => i === 0 || v > a[i - 1]!);
  if (t.depths.length === 0 || !ascending(t.depths) || t.depths[0]! < 1) throw new Error(`service table depths must ascend from at least 1: ${t.depths.join(', ')}`);
  if (t.sizesBytes.length === 0 || !ascending(t.sizesBytes) || t.sizesBytes[0]! <= 0) throw new Error(`service table sizes must ascend above 0: ${t.sizesBytes.join(', ')}`);
  const q = t.quantilesUs[0]?.[0]?.length ?? 0;
  if (q === 0) throw new Error('service table cells need quantile points');
  if (t.quantilesUs.length !== t.depths.length || t.quantilesUs.some((row) => row.length !== t.sizesBytes.length || row.some((c) => c.length !== q || c.some((v, i) => v < 0 || (i > 0 && v < c[i - 1]!))))) {
    throw new Error(`service table needs ${t.depths.length} × ${t.sizesBytes.length} cells of ${q} ascending quantile points each, never below 0 or falling`);
  }
}
