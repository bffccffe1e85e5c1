/**
 * Number of distinct keys (file, integer) in bounded memory, by the same hashed sampling
 * as reuse.ts without the distances: exact up to `maxSampled` keys, then an estimate
 * with a relative standard error of about 1/sqrt(maxSampled / 2). The sample is an
 * open-addressing table in typed arrays, rebuilt when the sampling rate halves.
 */
import { hashBlock } from './reuse.js';

const TWO_32 = 4294967296;

export class DistinctSampler {
  private threshold = TWO_32;
  private readonly keys: Float64Array;
  private readonly files: Int32Array;
  private readonly hashes: Float64Array;
  private readonly used: Uint8Array;
  private readonly mask: number;
  private kept = 0;

  constructor(readonly maxSampled = 1 << 16) {
    let size = 1;
    while (size < 2 * (maxSampled + 1)) size *= 2;
    this.keys = new Float64Array(size);
    this.files = new Int32Array(size);
    this.hashes = new Float64Array(size);
    this.used = new Uint8Array(size);
    this.mask = size - 1;
  }

  add(file: number, key: number): void {
    const h = hashBlock(file, key);
    if (h >= this.threshold) return;
    if (this.insert(file, key, h) && ++this.kept > this.maxSampled) this.halve();
  }

  estimate(): number {
    return (this.kept * TWO_32) / this.threshold;
  }

  get exact(): boolean {
    return this.threshold === TWO_32;
  }

  /** True when the key was not there yet. */
  private insert(file: number, key: number, h: number): boolean {
    let i = h & this.mask;
    while (this.used[i] === 1) {
      if (this.keys[i] === key && this.files[i] === file) return false;
      i = (i + 1) & this.mask;
    }
    this.used[i] = 1;
    this.keys[i] = key;
    this.files[i] = file;
    this.hashes[i] = h;
    return true;
  }

  private halve(): void {
    this.threshold /= 2;
    const keys = Float64Array.from(this.keys);
    const files = Int32Array.from(this.files);
    const hashes = Float64Array.from(this.hashes);
    const used = Uint8Array.from(this.used);
    this.used.fill(0);
    this.kept = 0;
    for (let i = 0; i < used.length; i++) {
      if (used[i] === 1 && hashes[i]! < this.threshold) {
        this.insert(files[i]!, keys[i]!, hashes[i]!);
        this.kept++;
      }
    }
  }
}
