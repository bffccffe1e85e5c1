/**
 * Token buckets and throttles never stall: whatever the rate, bucket depth, request sizes
 * and how late in simulated time, every held I/O passes after a bounded number of wake-ups
 * and the long-run pass rate is the bucket's rate.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Kernel, type Handler } from '../../src/des/kernel.js';
import { IoTable } from '../../src/model/io-table.js';
import { Throttle, type Gated } from '../../src/model/throttle.js';
import { TokenBucket } from '../../src/model/token-bucket.js';

/** Keeps `depth` I/Os at the throttle: each one that passes is replaced by a new one. */
class ClosedLoop implements Gated, Handler {
  passed = 0;
  throttle!: Throttle;
  constructor(private readonly ios: IoTable, private readonly sizes: number[], private readonly depth: number) {}
  onEvent(): void {
    for (let i = 0; i < this.depth; i++) this.submitOne();
  }
  afterThrottle(io: number): void {
    this.ios.release(io);
    this.passed++;
    this.submitOne();
  }
  private submitOne(): void {
    const io = this.ios.alloc();
    this.ios.dir[io] = this.passed % 2;
    this.ios.sizeBytes[io] = this.sizes[this.passed % this.sizes.length]!;
    this.throttle.submit(io);
  }
}

describe('token bucket throttle', () => {
  it('the livelock case: a bucket ulps short of a 64 KiB copy at t = 5 s still passes it', () => {
    const b = new TokenBucket(2 * 2 ** 30, 2 * 2 ** 30 / 100);
    const now = 5.07e6;
    b.take(b.capacity - 65535.99999924714, now); // leaves 65535.99999924714 tokens
    expect(b.waitUs(65536, now)).toBe(0);
  });

  it('never stalls: random rates, depths and sizes, late in simulated time', () => {
    fc.assert(
      fc.property(
        fc.record({
          rate: fc.double({ min: 1, max: 1e10, noNaN: true }),
          depthFactor: fc.double({ min: 0.001, max: 10, noNaN: true }),
          perByte: fc.boolean(),
          sizes: fc.array(fc.integer({ min: 1, max: 2 ** 24 }), { minLength: 1, maxLength: 4 }),
          startUs: fc.double({ min: 0, max: 2.5e12, noNaN: true }),
          queue: fc.integer({ min: 1, max: 16 }),
        }),
        ({ rate, depthFactor, perByte, sizes, startUs, queue }) => {
          const meanCost = perByte ? sizes.reduce((s, x) => s + x, 0) / sizes.length : 1;
          const capacity = Math.max(1, meanCost * depthFactor);
          const kernel = new Kernel();
          const ios = new IoTable(64);
          const bucket = new TokenBucket(rate, capacity);
          const loop = new ClosedLoop(ios, sizes, queue);
          loop.throttle = new Throttle([[{ bucket, perByte, label: 'cap' }], [{ bucket, perByte, label: 'cap' }]], kernel, ios, loop, false);
          kernel.at(startUs, kernel.register(loop), 0, 0);
          // Long enough for ~200 passes at the bucket's rate.
          const spanUs = (200 * meanCost * 1e6) / rate;
          const endUs = startUs + spanUs;
          let steps = 0;
          while (kernel.step()) {
            if (kernel.nowUs > endUs) break;
            if (++steps > 1_000_000) throw new Error(`stalled at ${kernel.nowUs} µs after ${loop.passed} passes`);
          }
          // Each pass needs at most a couple of wake-ups; the bucket's burst adds at most its depth.
          expect(loop.passed).toBeGreaterThan(0);
          expect(steps).toBeLessThan(10 * (loop.passed + queue) + 100);
        },
      ),
      { numRuns: 300, seed: 4242 },
    );
  });
});
