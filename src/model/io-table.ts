/**
 * In-flight I/Os as a struct of typed arrays indexed by id, with a free list: the
 * per-I/O path allocates nothing once the table has grown to the peak number in flight.
 */
export class IoTable {
  thread: Int32Array;
  dir: Uint8Array;
  sizeBytes: Float64Array;
  offsetBytes: Float64Array;
  issuedUs: Float64Array;
  submittedUs: Float64Array;
  /** When the I/O entered the device's queue (for the device's own accounting). */
  queuedUs: Float64Array;
  // The request tree of volumes with storage semantics (see model/volume-engine.ts):
  /** Parent node, -1 for a request a job thread issued. */
  parent: Int32Array;
  /** Completions this node still waits for before it acknowledges its parent. */
  need: Int32Array;
  /** Children still running. */
  alive: Int32Array;
  /** Stage of a request, or step of a chain. */
  step: Int32Array;
  /** Node kind (volume-engine.ts). */
  kind: Uint8Array;
  /** Volume engine that owns the node; for chains, the replica. */
  owner: Int32Array;
  target: Int32Array;
  /** Snapshot chunks a write found shared and preserved at submission; -1 = not looked at yet. */
  fresh: Int32Array;
  /** Extra device access time of this I/O (µs), e.g. a first write after a snapshot. */
  extraUs: Float64Array;
  private free: Int32Array;
  private freeCount = 0;
  private used = 0;

  constructor(capacity = 256) {
    this.thread = new Int32Array(capacity);
    this.dir = new Uint8Array(capacity);
    this.sizeBytes = new Float64Array(capacity);
    this.offsetBytes = new Float64Array(capacity);
    this.issuedUs = new Float64Array(capacity);
    this.submittedUs = new Float64Array(capacity);
    this.queuedUs = new Float64Array(capacity);
    this.parent = new Int32Array(capacity);
    this.need = new Int32Array(capacity);
    this.alive = new Int32Array(capacity);
    this.step = new Int32Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.owner = new Int32Array(capacity);
    this.target = new Int32Array(capacity);
    this.fresh = new Int32Array(capacity);
    this.extraUs = new Float64Array(capacity);
    this.free = new Int32Array(capacity);
  }

  /** A fresh id: a root (parent -1). */
  alloc(): number {
    let id: number;
    if (this.freeCount > 0) id = this.free[--this.freeCount]!;
    else {
      if (this.used === this.thread.length) this.grow();
      id = this.used++;
    }
    this.parent[id] = -1;
    this.fresh[id] = -1;
    this.extraUs[id] = 0;
    return id;
  }

  release(id: number): void {
    this.free[this.freeCount++] = id;
  }

  private grow(): void {
    const n = this.thread.length * 2;
    const g = <T extends Int32Array | Uint8Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.thread = g(this.thread, (k) => new Int32Array(k));
    this.dir = g(this.dir, (k) => new Uint8Array(k));
    this.sizeBytes = g(this.sizeBytes, (k) => new Float64Array(k));
    this.offsetBytes = g(this.offsetBytes, (k) => new Float64Array(k));
    this.issuedUs = g(this.issuedUs, (k) => new Float64Array(k));
    this.submittedUs = g(this.submittedUs, (k) => new Float64Array(k));
    this.queuedUs = g(this.queuedUs, (k) => new Float64Array(k));
    this.parent = g(this.parent, (k) => new Int32Array(k));
    this.need = g(this.need, (k) => new Int32Array(k));
    this.alive = g(this.alive, (k) => new Int32Array(k));
    this.step = g(this.step, (k) => new Int32Array(k));
    this.kind = g(this.kind, (k) => new Uint8Array(k));
    this.owner = g(this.owner, (k) => new Int32Array(k));
    this.target = g(this.target, (k) => new Int32Array(k));
    this.fresh = g(this.fresh, (k) => new Int32Array(k));
    this.extraUs = g(this.extraUs, (k) => new Float64Array(k));
    this.free = g(this.free, (k) => new Int32Array(k));
  }
}
