/**
 * Where a job's next I/O lands, per fio's rules: sequential jobs advance through the span
 * (one position per direction, wrapping at the end); random jobs pick block-aligned
 * offsets uniformly, or by a Zipf law over blocks (random_distribution=zipf:θ), in which
 * case ranks are scattered over the span by a hash as fio does. Offsets are bytes from
 * the start of the volume.
 *
 * Uniform random offsets follow fio's random map by default: each block of the span once
 * per pass, in a random order (a seeded permutation, so memory does not grow with the
 * span), then a new pass in a new order; with `norandommap` they are drawn with
 * replacement. Zipf offsets are always drawn with replacement.
 */
import type { Rng } from '../random/rng.js';
import { ZipfSampler } from '../random/distributions.js';
import { Permutation } from '../random/permutation.js';
import type { JobSpec } from '../scenario/types.js';

export class AddressGenerator {
  private readonly sequential: boolean;
  private readonly pos = [0, 0];
  private readonly alignBytes: number;
  private readonly zipf: ZipfSampler | undefined;
  private readonly blocks: number;
  /** The random map's order of this pass, and how far into it the job is. */
  private readonly map: Permutation | undefined;
  private mapIndex = 0;

  constructor(private readonly spec: JobSpec, private readonly rng: Rng) {
    this.sequential = spec.rw === 'read' || spec.rw === 'write' || spec.rw === 'rw';
    this.alignBytes = Math.min(...spec.bs.read.sizesBytes, ...spec.bs.write.sizesBytes);
    this.blocks = Math.max(1, Math.floor(spec.spanSizeBytes / this.alignBytes));
    this.zipf = spec.distribution.kind === 'zipf' ? new ZipfSampler(this.blocks, spec.distribution.theta) : undefined;
    this.map = !this.sequential && !this.zipf && spec.randomMap ? new Permutation(this.blocks, rng) : undefined;
  }

  next(dir: number, sizeBytes: number): number {
    const span = this.spec.spanSizeBytes;
    if (this.sequential) {
      let p = this.pos[dir]!;
      if (p + sizeBytes > span) p = 0;
      this.pos[dir] = p + sizeBytes;
      return this.spec.spanOffsetBytes + p;
    }
    const slots = Math.floor((span - sizeBytes) / this.alignBytes) + 1;
    let block: number;
    if (this.map) block = this.nextInMap(slots);
    else if (this.zipf) block = scatter(this.zipf.sample(this.rng) - 1, this.blocks) % slots;
    else block = Math.floor(this.rng.next() * slots);
    return this.spec.spanOffsetBytes + block * this.alignBytes;
  }

  /** Next block of the random map below `slots` (a larger request cannot start in the last few blocks). */
  private nextInMap(slots: number): number {
    const map = this.map!;
    for (;;) {
      if (this.mapIndex >= this.blocks) {
        map.reseed(this.rng); // a new pass, in a new order
        this.mapIndex = 0;
      }
      const block = map.at(this.mapIndex++);
      if (block < slots) return block;
    }
  }
}

/** Spreads Zipf rank r over [0, n) by a 53-bit hash, as fio hashes ranks (not a bijection). */
function scatter(r: number, n: number): number {
  const lo = mix(r >>> 0);
  const hi = mix((Math.floor(r / 4294967296) ^ 0x9e3779b9) >>> 0) & 0x1fffff;
  return (hi * 4294967296 + lo) % n;
}

function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}
