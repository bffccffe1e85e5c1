/**
 * Sequential I/O: an I/O is sequential when it starts exactly where one of the last
 * RECENT I/Os of the same file and direction ended. Keeping several ends (not just the
 * last) recognises interleaved sequential streams (numjobs, several readers) as the
 * kernel's readahead does; a random I/O matches one of them by chance with probability
 * about RECENT / (span / size), negligible for any real span.
 */
export const RECENT = 8;

export class SequentialDetector {
  /** Per file: RECENT ends for reads, then RECENT for writes. */
  private readonly ends: Float64Array[] = [];
  private readonly next: Uint8Array[] = [];

  /** Whether the I/O continues a recent one; then remembers where it ends. */
  check(file: number, write: boolean, offsetBytes: number, sizeBytes: number): boolean {
    let ends = this.ends[file];
    if (ends === undefined) {
      ends = this.ends[file] = new Float64Array(2 * RECENT).fill(-1);
      this.next[file] = new Uint8Array(2);
    }
    const base = write ? RECENT : 0;
    let hit = -1;
    for (let i = base; i < base + RECENT; i++) {
      if (ends[i] === offsetBytes) {
        hit = i;
        break;
      }
    }
    const end = offsetBytes + sizeBytes;
    if (hit >= 0) {
      ends[hit] = end; // the stream moves on
      return true;
    }
    const d = write ? 1 : 0;
    const slot = this.next[file]![d]!;
    ends[base + slot] = end;
    this.next[file]![d] = (slot + 1) % RECENT;
    return false;
  }
}
