/**
 * A map from chunk index (a whole number below 2^53) to a small whole number (an epoch),
 * as an open-addressing hash table on typed arrays: linear probing, load kept at or below
 * 1/2, doubling when full. About 24 bytes per chunk touched and no object per entry, so a
 * snapshot's first-write check on the per-I/O path is a few array reads instead of a
 * JavaScript Map lookup, and memory still grows with chunks touched, never with volume size.
 */
const EMPTY = -1;

export class ChunkTable {
  private keys: Float64Array;
  private values: Uint32Array;
  private mask: number;
  size = 0;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.keys = new Float64Array(cap).fill(EMPTY);
    this.values = new Uint32Array(cap);
    this.mask = cap - 1;
  }

  private slot(key: number): number {
    const lo = key >>> 0;
    const hi = (key / 4294967296) >>> 0;
    let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    let i = h & this.mask;
    const keys = this.keys;
    while (keys[i] !== EMPTY && keys[i] !== key) i = (i + 1) & this.mask;
    return i;
  }

  /** The value of a chunk, 0 when absent. */
  get(key: number): number {
    const i = this.slot(key);
    return this.keys[i] === key ? this.values[i]! : 0;
  }

  has(key: number): boolean {
    return this.keys[this.slot(key)] === key;
  }

  set(key: number, value: number): void {
    let i = this.slot(key);
    if (this.keys[i] !== key) {
      if ((this.size + 1) * 2 > this.keys.length) {
        this.grow();
        i = this.slot(key);
      }
      this.keys[i] = key;
      this.size++;
    }
    this.values[i] = value;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    this.keys = new Float64Array(oldKeys.length * 2).fill(EMPTY);
    this.values = new Uint32Array(oldKeys.length * 2);
    this.mask = this.keys.length - 1;
    for (let j = 0; j < oldKeys.length; j++) {
      const k = oldKeys[j]!;
      if (k === EMPTY) continue;
      const i = this.slot(k);
      this.keys[i] = k;
      this.values[i] = oldValues[j]!;
    }
  }
}
