/**
 * Seeded pseudo-random numbers: xoshiro128** (Blackman & Vigna, 2018), a small, fast
 * generator that passes BigCrush, seeded through splitmix32.
 *
 * One seed per run; every component and purpose draws from its own stream made by
 * `fork(name)`. A fork depends only on the parent's key and the name, never on how many
 * numbers the parent has drawn, so adding a draw in one place never shifts another.
 */
function mix32(x: number): number {
  // splitmix32 finaliser (Hash Prospector's lowbias32 constants).
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad);
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97);
  return (x ^ (x >>> 15)) >>> 0;
}

function hashString(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0; // FNV-1a, then a final avalanche
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

const TWO_POW_32 = 4294967296;
const TWO_POW_MINUS_53 = 1 / 9007199254740992;

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** key: two 32-bit words identifying the stream. Use `Rng.fromSeed` or `fork`. */
  private constructor(private readonly keyHi: number, private readonly keyLo: number) {
    let x = (keyHi ^ Math.imul(keyLo, 0x9e3779b9)) >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      return mix32(x ^ keyLo);
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A root stream from a run seed (a non-negative integer up to 2^53). */
  static fromSeed(seed: number): Rng {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`seed must be a non-negative safe integer, got ${seed}`);
    const hi = Math.floor(seed / TWO_POW_32) >>> 0;
    const lo = seed >>> 0;
    return new Rng(mix32(hi ^ 0x5bd1e995), mix32(lo + 0x27d4eb2f));
  }

  /** An independent stream for a named component or purpose. */
  fork(name: string): Rng {
    return new Rng(hashString(name, this.keyHi), hashString(name, this.keyLo ^ 0xa5a5a5a5));
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2;
    const s3 = this.s3;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    this.s1 = s1 ^ n2;
    this.s0 = s0 ^ n3;
    this.s2 = n2 ^ t;
    this.s3 = rotl(n3, 11);
    return r >>> 0;
  }

  /** Uniform double in [0, 1) with 53 random bits (two xoshiro128** steps, inlined). */
  next(): number {
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    const a = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 5;
    let t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    const b = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 6;
    t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = rotl(s3, 11);
    return (a * 67108864 + b) * TWO_POW_MINUS_53;
  }

  /** Uniform integer in [0, n), for n up to 2^53. */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
