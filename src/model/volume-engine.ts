/**
 * A volume with storage semantics between job threads and devices. A request runs in
 * stages; each stage spawns child operations and waits for them:
 *
 *   submit ─▶ [snapshot pause] ─▶ [volume caps] ─▶ PRE ─▶ COPY ─▶ MAIN ─▶ done
 *   PRE   writes: thin first-write cost; cow: read the chunks to preserve; partial
 *         blocks: read them (read-modify-write). reads: row redirect cost
 *   COPY  cow: write the preserved chunks to the snapshot area
 *   MAIN  the data, widened to whole blocks, split into maxIoSize parts in parallel;
 *         each part goes to its device: one device, a pool device by allocation unit,
 *         or replicas over the network (a write waits for writeAck replicas)
 *
 * The first write to a chunk shared with a snapshot (cow or row) may cost more, per chunk,
 * where the time really goes on a copy-on-write filesystem (measured on btrfs: CPU work in
 * io_submit, the filesystem's workers finishing the write, an occasional stall while one
 * flusher frees metadata space): `submit` time in the issuing thread (the job thread asks
 * `submitExtraUs` while it submits, so it shows in slat and holds the thread), `device`
 * time on the data write, a `stall` on the volume's single flusher, and `background` work
 * that holds one of the host's cores (model/background-work.ts; started when the write
 * reaches the volume; no effect without a host model). Chunks are marked when the write is
 * submitted, in submission order.
 *
 * Nodes live in the shared IoTable; a child acknowledges its parent exactly once, and a
 * node is freed once it has acknowledged and all its children have ended, so replicas
 * that finish after the quorum never touch a request that was already reused.
 */
import type { Handler, Kernel } from '../des/kernel.js';
import { IntQueue } from '../des/int-queue.js';
import type { PoolSpec, VolumeSpec } from '../scenario/types.js';
import { BackgroundWork } from './background-work.js';
import type { Device } from './device.js';
import type { HostCpu } from './host-cpu.js';
import type { IoTable } from './io-table.js';
import { limitBuckets } from './limits.js';
import { SnapshotState } from './snapshots.js';
import type { ThinPool } from './thin-pool.js';
import { Throttle, type CapUsage, type Gated } from './throttle.js';
import * as events from './events.js';

// module-local copies: the per-event paths read them without an imported binding's check
const { PRIORITY_DELAY } = events;

/** Node kinds. */
const REQUEST = 0;
const PART = 1;
const DEVICE_OP = 2;
const DELAY = 3;
const WRITE_CHAIN = 4;
const READ_CHAIN = 5;

/** Request stages. */
const PRE = 0;
const COPY = 1;
const MAIN = 2;
const DONE = 3;

export interface RequestClient {
  onRequestDone(io: number): void;
}

export interface VolumeCounters {
  preservedChunks: number;
  /** Device I/Os caused by snapshots (cow reads and writes). */
  snapshotDeviceIos: number;
  /** Reads of partial blocks before a write. */
  rmwReads: number;
  /** Device I/Os of the data, after splitting. */
  dataDeviceIos: number;
  newlyAllocatedUnits: number;
}

export class VolumeEngine implements Handler, Gated {
  readonly snapshots: SnapshotState | undefined;
  readonly counters: VolumeCounters = { preservedChunks: 0, snapshotDeviceIos: 0, rmwReads: 0, dataDeviceIos: 0, newlyAllocatedUnits: 0 };
  private readonly handler: number;
  private readonly throttle: Throttle | undefined;
  private readonly paused = new IntQueue(8);
  private pausedUntilUs = -1;
  private readonly block: number;
  private readonly maxIo: number;
  private readonly unitBytes: number;
  private rotor = 0;
  /** First writes since the start, and when the volume's metadata flusher is next free. */
  private firstWrites = 0;
  private flusherFreeUs = 0;
  /** True when a write's submission costs the issuing thread more after a snapshot. */
  readonly hasSubmitCost: boolean;
  /** The filesystem's work after first writes, on the host's cores (only with a host model). */
  readonly background: BackgroundWork | undefined;
  /** The wake-up a submit pays when the volume's one device sleeps (as when the thread submits to the device itself). */
  readonly wakeCostUs?: () => number;

  constructor(
    readonly index: number,
    readonly spec: VolumeSpec,
    private readonly kernel: Kernel,
    private readonly ios: IoTable,
    /** Data devices: the device, the pool's devices, or the replicas. */
    private readonly devices: Device[],
    /** Network links of a replicated volume: [to replicas, from replicas]. */
    private readonly links: [Device, Device] | undefined,
    private readonly pool: { model: ThinPool; spec: PoolSpec } | undefined,
    private readonly client: RequestClient,
    host?: HostCpu,
  ) {
    this.handler = kernel.register(this);
    const buckets = limitBuckets(spec.limits);
    this.throttle = buckets && new Throttle(buckets, kernel, ios, this, false);
    this.snapshots = spec.snapshots && new SnapshotState(spec.snapshots.chunkBytes, spec.snapshots.keep);
    this.block = spec.blockSizeBytes;
    this.maxIo = spec.maxIoSizeBytes;
    this.unitBytes = pool?.spec.allocationUnitBytes ?? Infinity;
    const fw = spec.snapshots?.firstWrite;
    this.hasSubmitCost = fw !== undefined && (fw.submitUs > 0 || (fw.stallEvery > 0 && fw.stallUs > 0));
    const only = devices.length === 1 && links === undefined ? devices[0]!.wakeCostUs : undefined;
    if (only) this.wakeCostUs = only;
    this.background = host && fw !== undefined && fw.backgroundUs > 0 ? new BackgroundWork(fw.backgroundUs, kernel, host) : undefined;
  }

  /**
   * Called by the job thread as it submits a write (before the request reaches the
   * volume): marks the chunks the write finds shared with a snapshot, and returns the
   * extra submission time they cost: `submit` per chunk, plus a stall on the volume's one
   * flusher for every `stall.every`-th first write (queued behind a stall in progress).
   */
  submitExtraUs(io: number): number {
    const ios = this.ios;
    if (ios.dir[io] !== 1 || !this.snapshots) return 0;
    const fresh = this.snapshots.onWrite(ios.offsetBytes[io]!, ios.sizeBytes[io]!);
    ios.fresh[io] = fresh;
    if (fresh === 0) return 0;
    const fw = this.spec.snapshots!.firstWrite;
    let extra = fresh * fw.submitUs;
    if (fw.stallEvery > 0 && fw.stallUs > 0) {
      const before = this.firstWrites;
      this.firstWrites += fresh;
      const stalls = Math.floor(this.firstWrites / fw.stallEvery) - Math.floor(before / fw.stallEvery);
      if (stalls > 0) {
        const now = this.kernel.nowUs;
        const end = Math.max(now + extra, this.flusherFreeUs) + stalls * fw.stallUs;
        this.flusherFreeUs = end;
        extra = end - now;
      }
    }
    return extra;
  }

  /** Starts the measured window of the volume's caps. */
  resetStats(): void {
    this.throttle?.resetStats();
  }

  /** Use of the volume's caps over the window; undefined without caps. */
  capUsage(): CapUsage[] | undefined {
    return this.throttle?.usage();
  }

  /** A request from a job thread. */
  submit(req: number): void {
    const ios = this.ios;
    ios.kind[req] = REQUEST;
    ios.owner[req] = this.index;
    ios.step[req] = PRE;
    if (this.kernel.nowUs < this.pausedUntilUs) this.paused.push(req);
    else this.admit(req);
  }

  private admit(req: number): void {
    if (this.throttle) this.throttle.submit(req);
    else this.runStages(req);
  }

  afterThrottle(req: number): void {
    this.runStages(req);
  }

  /** Takes a snapshot now; I/O arriving during the pause waits. */
  takeSnapshot(): void {
    this.snapshots!.take(this.kernel.nowUs);
    const pause = this.spec.snapshots!.pauseUs;
    if (pause > 0) {
      this.pausedUntilUs = this.kernel.nowUs + pause;
      this.spawnDelay(-1, pause); // wakes the paused queue
    }
  }

  private runStages(req: number): void {
    const ios = this.ios;
    for (;;) {
      const stage = ios.step[req]!;
      ios.step[req] = stage + 1;
      let spawned: number;
      if (stage === PRE) spawned = this.spawnPre(req);
      else if (stage === COPY) spawned = this.spawnCopies(req);
      else if (stage === MAIN) spawned = this.spawnMain(req);
      else {
        this.client.onRequestDone(req);
        return;
      }
      if (spawned < 0) return; // the request went to its device whole
      if (spawned > 0) {
        ios.need[req] = spawned;
        ios.alive[req] = spawned;
        return;
      }
    }
  }

  private spawnPre(req: number): number {
    const ios = this.ios;
    const off = ios.offsetBytes[req]!;
    const len = ios.sizeBytes[req]!;
    const snap = this.spec.snapshots;
    let n = 0;
    if (ios.dir[req] === 0) {
      if (snap?.mode === 'row' && snap.redirectedReadCostUs > 0 && this.snapshots!.touchesPreserved(off, len)) n += this.spawnDelay(req, snap.redirectedReadCostUs);
      ios.target[req] = 0;
      return n;
    }
    const units = this.pool ? this.pool.model.onWrite(this.spec.name, off, len) : 0;
    if (units > 0) {
      this.counters.newlyAllocatedUnits += units;
      if (this.pool!.spec.firstWriteCostUs > 0) n += this.spawnDelay(req, this.pool!.spec.firstWriteCostUs);
    }
    // marked at submission when the thread asked (submitExtraUs), else now
    const marked = ios.fresh[req]!;
    const fresh = marked >= 0 ? marked : this.snapshots ? this.snapshots.onWrite(off, len) : 0;
    ios.target[req] = fresh; // chunks to copy in the COPY stage
    if (fresh > 0) {
      this.counters.preservedChunks += fresh;
      this.background?.add(fresh);
      if (snap!.mode === 'cow') {
        const first = Math.floor(off / snap!.chunkBytes);
        for (let i = 0; i < fresh; i++) n += this.spawnOp(req, 0, snap!.chunkBytes, (first + i) * snap!.chunkBytes);
        this.counters.snapshotDeviceIos += fresh;
      }
    }
    const b = this.block;
    const headPartial = off % b !== 0;
    const tailPartial = (off + len) % b !== 0;
    if (headPartial) n += this.spawnRmwRead(req, Math.floor(off / b) * b);
    const tailBlock = Math.floor((off + len) / b) * b;
    if (tailPartial && (!headPartial || tailBlock !== Math.floor(off / b) * b)) n += this.spawnRmwRead(req, tailBlock);
    return n;
  }

  private spawnRmwRead(req: number, blockOffset: number): number {
    this.counters.rmwReads++;
    return this.spawnOp(req, 0, this.block, blockOffset);
  }

  private spawnCopies(req: number): number {
    const fresh = this.ios.target[req]!;
    const snap = this.spec.snapshots;
    if (fresh === 0 || snap?.mode !== 'cow') return 0;
    let n = 0;
    for (let i = 0; i < fresh; i++) n += this.spawnOp(req, 1, snap.chunkBytes, 0);
    this.counters.snapshotDeviceIos += fresh;
    return n;
  }

  /**
   * The data stage. When the request is one whole-block part on one device (no network),
   * the request itself goes to the device: nothing follows it here, and its completion
   * reaches the job thread directly (a root I/O), which saves a node and a hop.
   */
  private spawnMain(req: number): number {
    const ios = this.ios;
    const b = this.block;
    const offset = ios.offsetBytes[req]!;
    const size = ios.sizeBytes[req]!;
    const start = Math.floor(offset / b) * b;
    const end = Math.ceil((offset + size) / b) * b;
    const dir = ios.dir[req]!;
    const fresh = dir === 1 ? ios.target[req]! : 0;
    const extraUs = fresh > 0 ? fresh * this.spec.snapshots!.firstWrite.deviceUs : 0;
    if (this.links === undefined && start === offset && end === offset + size && size <= this.maxIo && ios.parent[req] === -1) {
      this.counters.dataDeviceIos++;
      ios.extraUs[req] = extraUs;
      const d = this.devices.length === 1 ? 0 : Math.floor(offset / this.unitBytes) % this.devices.length;
      ios.step[req] = DONE + 1; // handed over: the engine never sees it again
      this.devices[d]!.submit(req);
      return -1;
    }
    let n = 0;
    for (let at = start; at < end; at += this.maxIo) {
      n += this.spawnOp(req, dir, Math.min(this.maxIo, end - at), at, at === start ? extraUs : 0);
      this.counters.dataDeviceIos++;
    }
    return n;
  }

  private child(parent: number, kind: number, dir: number, size: number, offset: number): number {
    const ios = this.ios;
    const op = ios.alloc();
    ios.parent[op] = parent;
    ios.kind[op] = kind;
    ios.owner[op] = this.index;
    ios.dir[op] = dir;
    ios.sizeBytes[op] = size;
    ios.offsetBytes[op] = offset;
    ios.step[op] = 0;
    ios.need[op] = 0;
    ios.alive[op] = 0;
    return op;
  }

  /** One device-level I/O of the volume, placed by the volume's layout. Returns 1. */
  private spawnOp(parent: number, dir: number, size: number, offset: number, extraUs = 0): number {
    const links = this.links;
    if (links === undefined) {
      const d = this.devices.length === 1 ? 0 : Math.floor(offset / this.unitBytes) % this.devices.length;
      const op = this.child(parent, DEVICE_OP, dir, size, offset);
      this.ios.extraUs[op] = extraUs;
      this.devices[d]!.submit(op);
      return 1;
    }
    const placement = this.spec.placement as Extract<VolumeSpec['placement'], { kind: 'replicated' }>;
    const part = this.child(parent, PART, dir, size, offset);
    if (dir === 1) {
      this.ios.need[part] = placement.writeAck;
      this.ios.alive[part] = this.devices.length;
      for (let r = 0; r < this.devices.length; r++) this.startChain(part, WRITE_CHAIN, r);
    } else {
      this.ios.need[part] = 1;
      this.ios.alive[part] = 1;
      this.startChain(part, READ_CHAIN, this.pickReplica(placement.read));
    }
    return 1;
  }

  private pickReplica(rule: 'primary' | 'any' | 'least-loaded'): number {
    if (rule === 'primary') return 0;
    if (rule === 'any') return (this.rotor = (this.rotor + 1) % this.devices.length);
    let best = 0;
    for (let r = 1; r < this.devices.length; r++) if (this.devices[r]!.outstanding < this.devices[best]!.outstanding) best = r;
    return best;
  }

  private startChain(part: number, kind: number, replica: number): void {
    const op = this.child(part, kind, this.ios.dir[part]!, this.ios.sizeBytes[part]!, this.ios.offsetBytes[part]!);
    this.ios.target[op] = replica;
    this.advanceChain(op);
  }

  /**
   * Steps of a replica chain (network latency is a round trip, half each way):
   *   write: uplink transfer, ½ latency, replica write, ½ latency (the ack)
   *   read:  ½ latency (the request), replica read, downlink transfer, ½ latency
   */
  private advanceChain(op: number): void {
    const ios = this.ios;
    const step = ios.step[op]!;
    ios.step[op] = step + 1;
    const half = (this.spec.placement as Extract<VolumeSpec['placement'], { kind: 'replicated' }>).network.latencyUs / 2;
    const write = ios.kind[op] === WRITE_CHAIN;
    switch (step) {
      case 0:
        if (write) this.links![0].submit(op);
        else this.kernel.at(this.kernel.nowUs + half, this.handler, op, PRIORITY_DELAY);
        return;
      case 1:
        if (write) this.kernel.at(this.kernel.nowUs + half, this.handler, op, PRIORITY_DELAY);
        else this.devices[ios.target[op]!]!.submit(op);
        return;
      case 2:
        if (write) this.devices[ios.target[op]!]!.submit(op);
        else this.links![1].submit(op);
        return;
      case 3:
        this.kernel.at(this.kernel.nowUs + half, this.handler, op, PRIORITY_DELAY);
        return;
      default:
        this.finish(op);
    }
  }

  private spawnDelay(parent: number, delayUs: number): number {
    const op = this.child(parent, DELAY, 0, 0, 0);
    this.kernel.at(this.kernel.nowUs + delayUs, this.handler, op, PRIORITY_DELAY);
    return 1;
  }

  /** Timer events: a delay op or a chain step ended. */
  onEvent(op: number): void {
    this.onOpDone(op);
  }

  /** A child op ended (device, link or timer). */
  onOpDone(op: number): void {
    const kind = this.ios.kind[op];
    if (kind === WRITE_CHAIN || kind === READ_CHAIN) this.advanceChain(op);
    else this.finish(op);
  }

  private finish(node: number): void {
    const ios = this.ios;
    const parent = ios.parent[node]!;
    ios.release(node);
    if (parent === -1) this.endPause();
    else this.childEnded(parent);
  }

  private childEnded(node: number): void {
    const ios = this.ios;
    ios.alive[node]!--;
    if (ios.need[node]! > 0 && --ios.need[node]! === 0) {
      if (ios.kind[node] === REQUEST) {
        this.runStages(node);
        return;
      }
      this.childEnded(ios.parent[node]!); // a replicated part has its quorum
    }
    if (ios.kind[node] === PART && ios.need[node] === 0 && ios.alive[node] === 0) ios.release(node);
  }

  private endPause(): void {
    if (this.kernel.nowUs < this.pausedUntilUs) return;
    while (this.paused.length > 0) this.admit(this.paused.shift());
  }
}
