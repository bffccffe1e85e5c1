/**
 * A storage pool: physical capacity shared by its volumes. Thick volumes reserve their
 * size up front; thin volumes allocate an allocation unit on the first write that
 * touches it. Allocation is tracked per thin volume in a Set of unit indexes (memory
 * grows with units touched).
 */
import type { PoolSpec } from '../scenario/types.js';

export class ThinPool {
  reservedBytes = 0;
  private readonly thin = new Map<string, Set<number>>();
  provisionedBytes = 0;

  constructor(readonly spec: PoolSpec) {}

  addVolume(name: string, sizeBytes: number, thin: boolean): void {
    this.provisionedBytes += sizeBytes;
    if (thin) this.thin.set(name, new Set());
    else this.reservedBytes += sizeBytes;
  }

  /** Marks the units a write touches; returns how many were newly allocated. */
  onWrite(volume: string, offsetBytes: number, sizeBytes: number): number {
    const units = this.thin.get(volume);
    if (!units) return 0;
    const u = this.spec.allocationUnitBytes;
    let fresh = 0;
    for (let i = Math.floor(offsetBytes / u), last = Math.floor((offsetBytes + sizeBytes - 1) / u); i <= last; i++) {
      if (!units.has(i)) {
        units.add(i);
        fresh++;
      }
    }
    return fresh;
  }

  allocatedBytesOf(volume: string): number {
    return (this.thin.get(volume)?.size ?? 0) * this.spec.allocationUnitBytes;
  }

  /** Reserved (thick) plus allocated (thin) bytes. */
  get allocatedBytes(): number {
    let units = 0;
    for (const s of this.thin.values()) units += s.size;
    return this.reservedBytes + units * this.spec.allocationUnitBytes;
  }

  get overcommit(): number {
    return this.provisionedBytes / this.spec.capacityBytes;
  }
}
