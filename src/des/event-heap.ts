/**
 * Binary min-heap of events kept in parallel typed arrays (no object per event).
 *
 * Order: by time, then by `key` = priority * 2^40 + insertion sequence, so events at the
 * same time fire by priority and then first-in first-out. That order makes every run
 * deterministic. Times are in whatever unit the kernel uses (blocksim: microseconds).
 */
const SEQ_SPAN = 2 ** 40;
const MAX_PRIORITY = 255;

export class EventHeap {
  private time: Float64Array;
  private key: Float64Array;
  private handler: Int32Array;
  private arg: Float64Array;
  private count = 0;
  private seq = 0;

  constructor(initialCapacity = 64) {
    this.time = new Float64Array(initialCapacity);
    this.key = new Float64Array(initialCapacity);
    this.handler = new Int32Array(initialCapacity);
    this.arg = new Float64Array(initialCapacity);
  }

  get size(): number {
    return this.count;
  }

  /** Time of the earliest event, or undefined when empty. */
  peekTime(): number | undefined {
    return this.count > 0 ? this.time[0] : undefined;
  }

  push(at: number, priority: number, handler: number, arg: number): void {
    if (!(at >= 0 && at < Infinity) || !(priority >= 0 && priority <= MAX_PRIORITY)) badEvent(at, priority);
    if (this.count === this.time.length) this.grow();
    const k = priority * SEQ_SPAN + this.seq++;
    const time = this.time;
    const key = this.key;
    let i = this.count++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = time[p]!;
      if (pt < at || (pt === at && key[p]! < k)) break;
      time[i] = pt;
      key[i] = key[p]!;
      this.handler[i] = this.handler[p]!;
      this.arg[i] = this.arg[p]!;
      i = p;
    }
    time[i] = at;
    key[i] = k;
    this.handler[i] = handler;
    this.arg[i] = arg;
  }

  /** Handler id of the root; valid only while size > 0. */
  topHandler(): number {
    return this.handler[0]!;
  }

  topArg(): number {
    return this.arg[0]!;
  }

  /** Removes the root. */
  pop(): void {
    const n = --this.count;
    if (n <= 0) return;
    const time = this.time;
    const key = this.key;
    const handler = this.handler;
    const arg = this.arg;
    const t = time[n]!;
    const k = key[n]!;
    const h = handler[n]!;
    const a = arg[n]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && (time[r]! < time[c]! || (time[r] === time[c] && key[r]! < key[c]!))) c = r;
      const ct = time[c]!;
      if (t < ct || (t === ct && k < key[c]!)) break;
      time[i] = ct;
      key[i] = key[c]!;
      handler[i] = handler[c]!;
      arg[i] = arg[c]!;
      i = c;
    }
    time[i] = t;
    key[i] = k;
    handler[i] = h;
    arg[i] = a;
  }

  private grow(): void {
    const n = this.time.length * 2;
    const t = new Float64Array(n);
    t.set(this.time);
    const k = new Float64Array(n);
    k.set(this.key);
    const h = new Int32Array(n);
    h.set(this.handler);
    const a = new Float64Array(n);
    a.set(this.arg);
    this.time = t;
    this.key = k;
    this.handler = h;
    this.arg = a;
  }
}

function badEvent(at: number, priority: number): never {
  throw new Error(`event time must be finite and >= 0 and priority in 0..${MAX_PRIORITY}, got time ${at}, priority ${priority}`);
}
