/**
 * Snapshot state of one volume: which chunks have been preserved since the newest
 * snapshot, and the space each snapshot holds.
 *
 * Model: after snapshot k is taken, the first write to a chunk preserves the chunk's old
 * contents once (cow: copied into the snapshot area; row: left in place while the write
 * is redirected), and snapshot k holds those chunks. Retiring the oldest snapshot
 * (`keep`) frees what it holds. Chunks are tracked in a hash table from chunk index to the
 * epoch of its last preservation, so memory grows with chunks touched, never with volume size.
 */
import { ChunkTable } from './chunk-table.js';

export interface SnapshotRecord {
  takenUs: number;
  heldChunks: number;
  retired: boolean;
}

export class SnapshotState {
  epoch = 0;
  readonly snapshots: SnapshotRecord[] = [];
  private readonly preservedAt = new ChunkTable();
  freedBytes = 0;
  retired = 0;

  constructor(readonly chunkBytes: number, private readonly keep: number) {}

  take(nowUs: number): void {
    this.epoch++;
    this.snapshots.push({ takenUs: nowUs, heldChunks: 0, retired: false });
    const live = this.snapshots.filter((s) => !s.retired);
    if (live.length > this.keep) {
      const oldest = live[0]!;
      oldest.retired = true;
      this.retired++;
      this.freedBytes += oldest.heldChunks * this.chunkBytes;
    }
  }

  /** Marks the chunks of a write; returns how many must be preserved now. */
  onWrite(offsetBytes: number, sizeBytes: number): number {
    if (this.epoch === 0) return 0;
    const first = Math.floor(offsetBytes / this.chunkBytes);
    const last = Math.floor((offsetBytes + sizeBytes - 1) / this.chunkBytes);
    let fresh = 0;
    for (let c = first; c <= last; c++) {
      if (this.preservedAt.get(c) < this.epoch) {
        this.preservedAt.set(c, this.epoch);
        fresh++;
      }
    }
    if (fresh > 0) {
      this.snapshots[this.snapshots.length - 1]!.heldChunks += fresh;
    }
    return fresh;
  }

  /** True when a read touches a chunk redirected since some snapshot (row). */
  touchesPreserved(offsetBytes: number, sizeBytes: number): boolean {
    if (this.epoch === 0) return false;
    const first = Math.floor(offsetBytes / this.chunkBytes);
    const last = Math.floor((offsetBytes + sizeBytes - 1) / this.chunkBytes);
    for (let c = first; c <= last; c++) if (this.preservedAt.has(c)) return true;
    return false;
  }

  /** Bytes held by live snapshots. */
  get snapshotBytes(): number {
    let chunks = 0;
    for (const s of this.snapshots) if (!s.retired) chunks += s.heldChunks;
    return chunks * this.chunkBytes;
  }

  get liveSnapshots(): number {
    return this.snapshots.length - this.retired;
  }
}
