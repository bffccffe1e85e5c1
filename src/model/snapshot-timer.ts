/** Takes each volume's snapshots at their times (one-off `at`, periodic `every`). Off the per-I/O path. */
import type { Handler, Kernel } from '../des/kernel.js';
import type { VolumeEngine } from './volume-engine.js';
import { PRIORITY_SNAPSHOT } from './events.js';

export class SnapshotTimer implements Handler {
  private readonly handler: number;

  constructor(private readonly kernel: Kernel, private readonly engines: VolumeEngine[], endUs: number) {
    this.handler = kernel.register(this);
    for (const e of engines) {
      const s = e.spec.snapshots;
      if (!s) continue;
      for (const t of s.atUs) if (t <= endUs) kernel.at(t, this.handler, e.index, PRIORITY_SNAPSHOT);
      if (s.everyUs > 0) kernel.at(s.everyUs, this.handler, e.index + engines.length, PRIORITY_SNAPSHOT);
    }
  }

  /** arg < engines: a one-off snapshot; otherwise a periodic one of engine arg - engines. */
  onEvent(arg: number): void {
    const n = this.engines.length;
    const engine = this.engines[arg % n]!;
    engine.takeSnapshot();
    if (arg >= n) this.kernel.at(this.kernel.nowUs + engine.spec.snapshots!.everyUs, this.handler, arg, PRIORITY_SNAPSHOT);
  }
}
