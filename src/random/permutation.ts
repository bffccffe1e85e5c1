/**
 * A seeded random permutation of [0, n) in O(1) memory: a 4-round Feistel network over
 * the smallest even number of bits that holds n, with cycle walking (values at or above n
 * are mapped again until they fall below it; at most 4 steps on average). Used for fio's
 * random map (each block of a job's span once per pass, in random order) without a
 * bitmap, so a 64 TiB volume costs no more memory than a small one. n up to 2^50.
 */
import type { Rng } from './rng.js';

const ROUNDS = 4;

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

export class Permutation {
  private readonly halfBits: number;
  private readonly halfSize: number;
  private readonly keys = new Uint32Array(ROUNDS);

  constructor(readonly n: number, rng: Rng) {
    if (!Number.isSafeInteger(n) || n < 1 || n > 2 ** 50) throw new Error(`permutation size must be a whole number from 1 to 2^50, got ${n}`);
    let bits = 2;
    while (2 ** bits < n) bits += 2;
    this.halfBits = bits / 2;
    this.halfSize = 2 ** this.halfBits;
    this.reseed(rng);
  }

  /** New round keys: another permutation of the same size. */
  reseed(rng: Rng): void {
    for (let r = 0; r < ROUNDS; r++) this.keys[r] = rng.nextUint32();
  }

  private feistel(x: number): number {
    const size = this.halfSize;
    const mask = size - 1;
    let left = Math.floor(x / size);
    let right = x % size;
    for (let r = 0; r < ROUNDS; r++) {
      const f = this.halfBits > 0 ? (mix32((right ^ this.keys[r]!) >>> 0) & mask) >>> 0 : 0;
      const next = (left ^ f) >>> 0;
      left = right;
      right = next;
    }
    return left * size + right;
  }

  /** The image of i (0 ≤ i < n): a value in [0, n), distinct for distinct i. */
  at(i: number): number {
    let x = this.feistel(i);
    while (x >= this.n) x = this.feistel(x);
    return x;
  }
}
