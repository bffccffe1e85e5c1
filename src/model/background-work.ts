/**
 * Kernel work a write leaves behind, off the I/O's path: after a first write to a chunk
 * shared with a snapshot, a copy-on-write filesystem's workers finish it (on btrfs,
 * `btrfs_finish_ordered_io` and metadata reclaim: 22–32 µs of CPU per first write,
 * measured with perf; README: snapshot costs). The work holds one of the host's cores for
 * `perChunkUs` per chunk, competing with job threads and device workers, so it lowers
 * write throughput only when the cores are the bottleneck (at depth), not at QD1 with an
 * idle core.
 *
 *   first write (chunks) ──▶ ask the host for a core ──granted──▶ hold it chunks·perChunkUs ──▶ release
 *
 * The filesystem's workqueues have threads to spare: every task asks for a core at once,
 * and waits only for a core. Without a host model the work holds nothing and has no
 * effect. Times in µs.
 */
import type { Handler, Kernel } from '../des/kernel.js';
import type { CoreClient, HostCpu } from './host-cpu.js';

const PRIORITY_WORK_DONE = 0;

export class BackgroundWork implements Handler, CoreClient {
  private readonly handler: number;
  private readonly client: number;
  /** Tasks started and core time spent (µs), since the start. */
  tasks = 0;
  busyUs = 0;

  constructor(private readonly perChunkUs: number, private readonly kernel: Kernel, private readonly host: HostCpu) {
    if (!(perChunkUs > 0)) throw new Error(`background work needs a positive cost per chunk, got ${perChunkUs}`);
    this.handler = kernel.register(this);
    this.client = host.register(this);
  }

  /** Work for `chunks` first-written chunks: runs once a core is free. */
  add(chunks: number): void {
    this.host.request(this.client, chunks);
  }

  /** Token: the chunks of the task that got the core. */
  onCore(chunks: number): void {
    const cost = chunks * this.perChunkUs;
    this.tasks++;
    this.busyUs += cost;
    this.kernel.at(this.kernel.nowUs + cost, this.handler, 0, PRIORITY_WORK_DONE);
  }

  onEvent(): void {
    this.host.release();
  }
}
