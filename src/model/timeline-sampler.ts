/**
 * The timeline sampler: figures over time (per-job IOPS and p99, device utilization and
 * queue depth, snapshot and pool space) at a fixed interval. Off the per-I/O path.
 */
import type { Handler, Kernel } from '../des/kernel.js';
import type { TimelineRow } from '../results/types.js';
import type { Device } from './device.js';
import type { JobStatsEntry } from './results.js';
import type { ThinPool } from './thin-pool.js';
import { PLAT_NR, bucketValue } from '../stats/fio-histogram.js';
import type { VolumeEngine } from './volume-engine.js';

export class TimelineSampler implements Handler {
  readonly rows: TimelineRow[] = [];
  private readonly handler: number;
  private lastUs = 0;
  private readonly lastCompletions: number[];
  private readonly lastBusy: number[];
  private readonly lastQueue: number[];
  /** Per job, each bucket's count at the last sample, modulo 2^32 (an interval adds far fewer). */
  private readonly lastHist: (Uint32Array | undefined)[] = [];
  private readonly scratch = new Float64Array(PLAT_NR);

  constructor(
    private readonly kernel: Kernel,
    private readonly intervalUs: number,
    private readonly jobs: JobStatsEntry[],
    private readonly devices: Device[],
    private readonly engines: VolumeEngine[],
    private readonly pools: ThinPool[],
  ) {
    this.handler = kernel.register(this);
    this.lastCompletions = jobs.map(() => 0);
    this.lastBusy = devices.map(() => 0);
    this.lastQueue = devices.map(() => 0);
    kernel.at(intervalUs, this.handler, 0, 250);
  }

  /**
   * p99 of the completions since the last sample, from the job's cumulative histograms
   * (the difference with the counts at the last sample): nothing extra on the per-I/O
   * path, and no allocation per sample. Only the buckets the job ever used are scanned.
   * Counts start at the end of the ramp, as the job's statistics do.
   */
  private intervalP99(i: number, j: JobStatsEntry): number | undefined {
    let lo = PLAT_NR;
    let hi = -1;
    for (const s of j.stats) {
      const h = s.histogram;
      if (h && h.total > 0) {
        if (h.minIdx < lo) lo = h.minIdx;
        if (h.maxIdx > hi) hi = h.maxIdx;
      }
    }
    if (hi < 0) return undefined;
    const prev = (this.lastHist[i] ??= new Uint32Array(PLAT_NR));
    const diff = this.scratch;
    const [a, b] = [j.stats[0].histogram?.counts, j.stats[1].histogram?.counts];
    let total = 0;
    for (let k = lo; k <= hi; k++) {
      const now = ((a ? a[k]! : 0) + (b ? b[k]! : 0)) % 4294967296;
      let d = now - prev[k]!;
      if (d < 0) d += 4294967296;
      diff[k - lo] = d;
      total += d;
      prev[k] = now;
    }
    if (total === 0) return undefined;
    // fio's rule (percentilesFromCounts): the first bucket whose running sum reaches 99 %.
    const threshold = (99 / 100) * total;
    let sum = 0;
    for (let k = 0; k <= hi - lo; k++) {
      sum += diff[k]!;
      if (sum >= threshold) return bucketValue(k + lo);
    }
    return bucketValue(hi);
  }

  onEvent(): void {
    const now = this.kernel.nowUs;
    const dt = now - this.lastUs;
    const t = now;
    this.jobs.forEach((j, i) => {
      const done = j.threads.reduce((s, th) => s + th.completions, 0);
      this.rows.push({ timeUs: t, entity: 'job', name: j.name, metric: 'iops', value: ((done - this.lastCompletions[i]!) * 1e6) / dt });
      const p99 = this.intervalP99(i, j);
      if (p99 !== undefined) this.rows.push({ timeUs: t, entity: 'job', name: j.name, metric: 'clat_p99_us', value: p99 / 1e3 });
      this.lastCompletions[i] = done;
    });
    this.devices.forEach((d, i) => {
      d.account();
      this.rows.push({ timeUs: t, entity: 'device', name: d.name, metric: 'utilization', value: (d.busyAreaTotal - this.lastBusy[i]!) / dt / d.parallelism });
      this.rows.push({ timeUs: t, entity: 'device', name: d.name, metric: 'queue_depth', value: (d.queueAreaTotal - this.lastQueue[i]!) / dt });
      this.lastBusy[i] = d.busyAreaTotal;
      this.lastQueue[i] = d.queueAreaTotal;
    });
    for (const e of this.engines) {
      if (e.snapshots) {
        this.rows.push({ timeUs: t, entity: 'volume', name: e.spec.name, metric: 'snapshot_bytes', value: e.snapshots.snapshotBytes });
        this.rows.push({ timeUs: t, entity: 'volume', name: e.spec.name, metric: 'snapshots', value: e.snapshots.liveSnapshots });
      }
    }
    for (const p of this.pools) this.rows.push({ timeUs: t, entity: 'pool', name: p.spec.name, metric: 'allocated_bytes', value: p.allocatedBytes });
    this.lastUs = now;
    this.kernel.at(now + this.intervalUs, this.handler, 0, 250);
  }
}
