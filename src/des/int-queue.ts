/** FIFO of integers in a growable ring buffer: the waiting lines of the model. */
export class IntQueue {
  private buf: Int32Array;
  private head = 0;
  private count = 0;

  constructor(initialCapacity = 16) {
    this.buf = new Int32Array(Math.max(2, initialCapacity));
  }

  get length(): number {
    return this.count;
  }

  push(v: number): void {
    if (this.count === this.buf.length) this.grow();
    this.buf[(this.head + this.count) % this.buf.length] = v;
    this.count++;
  }

  /** Oldest element; undefined-free: callers check length first. */
  peek(): number {
    if (this.count === 0) throw new Error('peek on empty queue');
    return this.buf[this.head]!;
  }

  /** The i-th oldest element (0 = the head). */
  at(i: number): number {
    if (i < 0 || i >= this.count) throw new Error(`queue index ${i} out of 0..${this.count - 1}`);
    return this.buf[(this.head + i) % this.buf.length]!;
  }

  shift(): number {
    if (this.count === 0) throw new Error('shift on empty queue');
    const v = this.buf[this.head]!;
    this.head = this.head + 1 === this.buf.length ? 0 : this.head + 1;
    this.count--;
    return v;
  }

  private grow(): void {
    const next = new Int32Array(this.buf.length * 2);
    for (let i = 0; i < this.count; i++) next[i] = this.buf[(this.head + i) % this.buf.length]!;
    this.buf = next;
    this.head = 0;
  }
}
