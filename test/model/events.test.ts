/** The model's named events: arguments encode and decode, and the router refuses a kind it does not know. */
import { describe, expect, it } from 'vitest';
import {
  EV_ARRIVAL_READ, EV_ARRIVAL_WRITE, EV_CPU_DONE, EV_CPU_START, EV_REFILL, EV_START, EV_THINK_END, EV_TRACE, EV_WINDOW_END, EV_WINDOW_START,
  kindOf, PRIORITY_ARRIVAL, PRIORITY_COMPLETION, PRIORITY_CPU, PRIORITY_REFILL, PRIORITY_SAMPLE, threadEvent, threadOf, type ThreadEventKind,
} from '../../src/model/events.js';
import { ModelRouter } from '../../src/model/build.js';
import type { JobThread } from '../../src/model/job-thread.js';
import { IoTable } from '../../src/model/io-table.js';

const KINDS: ThreadEventKind[] = [EV_ARRIVAL_READ, EV_ARRIVAL_WRITE, EV_THINK_END, EV_CPU_DONE, EV_START, EV_REFILL, EV_WINDOW_START, EV_WINDOW_END, EV_CPU_START, EV_TRACE];

describe('model events', () => {
  it('each kind is distinct and decodes back with its thread', () => {
    expect(new Set(KINDS).size).toBe(KINDS.length);
    for (const index of [0, 1, 15, 16, 12345, 1_000_000]) {
      for (const kind of KINDS) {
        const arg = threadEvent(index, kind);
        expect([threadOf(arg), kindOf(arg)]).toEqual([index, kind]);
      }
    }
  });

  it('orders an instant: completions, CPU, arrivals, refills, then the timeline', () => {
    expect(PRIORITY_COMPLETION).toBeLessThan(PRIORITY_CPU);
    expect(PRIORITY_CPU).toBeLessThan(PRIORITY_ARRIVAL);
    expect(PRIORITY_ARRIVAL).toBeLessThan(PRIORITY_REFILL);
    expect(PRIORITY_REFILL).toBeLessThan(PRIORITY_SAMPLE);
  });

  it('the router calls the thread the event names, and throws on an unknown kind', () => {
    const calls: string[] = [];
    const thread = (i: number) => ({ start: () => calls.push(`start ${i}`), onRefill: () => calls.push(`refill ${i}`) }) as unknown as JobThread;
    const router = new ModelRouter([thread(0), thread(1)], new IoTable());
    router.onEvent(threadEvent(1, EV_START));
    router.onEvent(threadEvent(0, EV_REFILL));
    expect(calls).toEqual(['start 1', 'refill 0']);
    expect(() => router.onEvent(threadEvent(1, 15 as ThreadEventKind))).toThrow(/unknown job-thread event kind 15 .*thread 1/);
  });
});
