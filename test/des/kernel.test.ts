import { describe, expect, it } from 'vitest';
import { Kernel, fn } from '../../src/des/kernel.js';
import { EventHeap } from '../../src/des/event-heap.js';
import { IntQueue } from '../../src/des/int-queue.js';
import { Rng } from '../../src/random/rng.js';

describe('EventHeap', () => {
  it('pops in (time, priority, insertion) order, like a stable sort', () => {
    const rng = Rng.fromSeed(3);
    const heap = new EventHeap(2);
    const events: { t: number; p: number; id: number }[] = [];
    for (let id = 0; id < 5000; id++) {
      const e = { t: Math.floor(rng.next() * 50), p: Math.floor(rng.next() * 3), id };
      events.push(e);
      heap.push(e.t, e.p, 0, id);
    }
    const expected = [...events].sort((a, b) => a.t - b.t || a.p - b.p || a.id - b.id).map((e) => e.id);
    const got: number[] = [];
    while (heap.size > 0) {
      got.push(heap.topArg());
      heap.pop();
    }
    expect(got).toEqual(expected);
  });

  it('rejects times that are not finite and priorities out of range', () => {
    const heap = new EventHeap();
    expect(() => heap.push(NaN, 0, 0, 0)).toThrow(/finite/);
    expect(() => heap.push(Infinity, 0, 0, 0)).toThrow(/finite/);
    expect(() => heap.push(1, 300, 0, 0)).toThrow(/priority/);
  });
});

describe('Kernel', () => {
  it('advances the clock event by event and stops at the horizon', () => {
    const k = new Kernel();
    const seen: [number, number][] = [];
    const h = k.register(fn((arg) => seen.push([k.nowUs, arg])));
    k.at(5, h, 1, 0);
    k.at(2, h, 2, 0);
    k.at(9, h, 3, 0);
    k.run(6);
    expect(seen).toEqual([[2, 2], [5, 1]]);
    expect(k.nowUs).toBe(6);
    expect(k.pending).toBe(1);
    expect(k.step()).toBe(true);
    expect(seen[2]).toEqual([9, 3]);
    expect(k.step()).toBe(false);
  });

  it('handlers may schedule more events, including at the same time (fired after)', () => {
    const k = new Kernel();
    const order: string[] = [];
    const b = k.register(fn(() => order.push(`b@${k.nowUs}`)));
    const a = k.register(fn(() => {
      order.push(`a@${k.nowUs}`);
      k.after(0, b, 0, 0);
      k.after(1, b, 0, 0);
    }));
    k.at(1, a, 0, 0);
    k.at(1, b, 0, 0);
    k.run(10);
    expect(order).toEqual(['a@1', 'b@1', 'b@1', 'b@2']);
  });

  it('refuses to schedule in the past', () => {
    const k = new Kernel();
    const h = k.register(fn(() => undefined));
    k.run(10);
    expect(() => k.at(5, h, 0, 0)).toThrow(/past/);
  });
});

describe('IntQueue', () => {
  it('is FIFO across growth and wrap-around', () => {
    const q = new IntQueue(2);
    const ref: number[] = [];
    const rng = Rng.fromSeed(9);
    for (let i = 0; i < 10000; i++) {
      if (rng.next() < 0.6) {
        q.push(i);
        ref.push(i);
      } else if (ref.length > 0) {
        expect(q.shift()).toBe(ref.shift());
      }
      expect(q.length).toBe(ref.length);
    }
  });
});
