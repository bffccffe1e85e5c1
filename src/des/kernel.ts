/**
 * The discrete-event kernel: a clock, one event heap, and step/run.
 *
 * It knows nothing of storage. Handlers are objects with an `onEvent(arg)` method,
 * registered once and addressed by number; an event carries one numeric argument, so
 * scheduling allocates nothing. Same-time events fire by priority (lower first), then in
 * insertion order.
 *
 * Why objects and not closures: a call site that sees many closure instances (a new set
 * per simulation) turns megamorphic in V8 and stops inlining, which halved throughput
 * from the second run in one process on; handler objects of a few classes keep the call
 * site polymorphic. `fn()` wraps a plain callback where speed does not matter.
 */
import { EventHeap } from './event-heap.js';
import { AS_DOUBLE } from '../util/double-field.js';

export interface Handler {
  onEvent(arg: number): void;
}

/** A handler from a plain callback, for events off the hot path. */
export function fn(callback: (arg: number) => void): Handler {
  return { onEvent: callback };
}

export class Kernel {
  /** Simulated time of the event being fired (or of the last one fired). */
  nowUs = AS_DOUBLE;
  /** Events fired so far. */
  fired = 0;
  private readonly heap = new EventHeap();
  private readonly handlers: Handler[] = [];

  constructor() {
    this.nowUs = 0;
  }

  register(handler: Handler): number {
    this.handlers.push(handler);
    return this.handlers.length - 1;
  }

  /** Schedules handler(arg) at absolute time atUs (never before now). */
  at(atUs: number, handler: number, arg: number, priority: number): void {
    if (atUs < this.nowUs) pastError(atUs, this.nowUs);
    this.heap.push(atUs, priority, handler, arg);
  }

  /** Schedules handler(arg) delayUs from now. */
  after(delayUs: number, handler: number, arg: number, priority: number): void {
    this.at(this.nowUs + delayUs, handler, arg, priority);
  }

  get pending(): number {
    return this.heap.size;
  }

  peekTime(): number | undefined {
    return this.heap.peekTime();
  }

  /** Fires the earliest event; false when none is left. */
  step(): boolean {
    const at = this.heap.peekTime();
    if (at === undefined) return false;
    this.fire(at);
    return true;
  }

  /** Fires every event at or before untilUs, then sets the clock to untilUs. */
  run(untilUs: number): void {
    const heap = this.heap;
    while (heap.size > 0) {
      const at = heap.peekTime()!;
      if (at > untilUs) break;
      this.fire(at);
    }
    if (untilUs > this.nowUs && untilUs !== Infinity) this.nowUs = untilUs;
  }

  private fire(at: number): void {
    const heap = this.heap;
    const h = heap.topHandler();
    const a = heap.topArg();
    heap.pop();
    this.nowUs = at;
    this.fired++;
    this.handlers[h]!.onEvent(a);
  }
}

function pastError(atUs: number, nowUs: number): never {
  throw new Error(`cannot schedule in the past: ${atUs} < now ${nowUs}`);
}
