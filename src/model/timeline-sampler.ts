/**
 * The timeline sampler: figures over time (per-job IOPS and p99, and the writes of mixed
 * jobs apart where volumes take snapshots; device utilization and queue depth, snapshot
 * and pool space) at a fixed interval. Off the per-I/O path.
 */
import type { Handler, Kernel } from '../des/kernel.js';
import type { TimelineRow } from '../results/types.js';
import type { Device } from './device.js';
import type { JobStatsEntry } from './results.js';
import type { ThinPool } from './thin-pool.js';
import { PLAT_NR, bucketValue, type FioHistogram } from '../stats/fio-histogram.js';
import type { VolumeEngine } from './volume-engine.js';
import { PRIORITY_SAMPLE } from './events.js';

export class TimelineSampler implements Handler {
  readonly rows: TimelineRow[] = [];
  private readonly handler: number;
  private lastUs = 0;
  private readonly lastCompletions: number[];
  private readonly lastBusy: number[];
  private readonly lastQueue: number[];
  /** Per job, each bucket's count at the last sample, modulo 2^32 (an interval adds far fewer). */
  private readonly lastHist: (Uint32Array | undefined)[] = [];
  private readonly lastWriteHist: (Uint32Array | undefined)[] = [];
  private readonly lastWrites: number[];
  private readonly scratch = new Float64Array(PLAT_NR);

  constructor(
    private readonly kernel: Kernel,
    private readonly intervalUs: number,
    private readonly jobs: JobStatsEntry[],
    private readonly devices: Device[],
    private readonly engines: VolumeEngine[],
    private readonly pools: ThinPool[],
    /** Also sample the writes of mixed jobs apart (volumes with snapshots: what they change). */
    private readonly writesApart: boolean,
  ) {
    this.handler = kernel.register(this);
    this.lastCompletions = jobs.map(() => 0);
    this.lastWrites = jobs.map(() => 0);
    this.lastBusy = devices.map(() => 0);
    this.lastQueue = devices.map(() => 0);
    kernel.at(intervalUs, this.handler, 0, PRIORITY_SAMPLE);
  }

  /**
   * p99 of the completions since the last sample, from cumulative histograms (the
   * difference with the counts at the last sample, kept in `prev`): nothing extra on the
   * per-I/O path, and no allocation per sample. Only the buckets ever used are scanned.
   * Counts start at the end of the ramp, as the job's statistics do.
   */
  private intervalP99(hists: (FioHistogram | undefined)[], prevOf: (Uint32Array | undefined)[], i: number): number | undefined {
    let lo = PLAT_NR;
    let hi = -1;
    for (const h of hists) {
      if (h && h.total > 0) {
        if (h.minIdx < lo) lo = h.minIdx;
        if (h.maxIdx > hi) hi = h.maxIdx;
      }
    }
    if (hi < 0) return undefined;
    const prev = (prevOf[i] ??= new Uint32Array(PLAT_NR));
    const diff = this.scratch;
    const a = hists[0]?.counts;
    const b = hists[1]?.counts;
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

  /** Writes of a job that also reads, on their own: what a snapshot changes. */
  private writeSeries(i: number, j: JobStatsEntry, t: number, dt: number): void {
    const w = j.stats[1];
    this.rows.push({ timeUs: t, entity: 'job', name: j.name, metric: 'write_iops', value: ((w.ios - this.lastWrites[i]!) * 1e6) / dt });
    this.lastWrites[i] = w.ios;
    const p99 = this.intervalP99([w.histogram], this.lastWriteHist, i);
    if (p99 !== undefined) this.rows.push({ timeUs: t, entity: 'job', name: j.name, metric: 'write_clat_p99_us', value: p99 / 1e3 });
  }

  onEvent(): void {
    const now = this.kernel.nowUs;
    const dt = now - this.lastUs;
    const t = now;
    this.jobs.forEach((j, i) => {
      const done = j.threads.reduce((s, th) => s + th.completions, 0);
      this.rows.push({ timeUs: t, entity: 'job', name: j.name, metric: 'iops', value: ((done - this.lastCompletions[i]!) * 1e6) / dt });
      const p99 = this.intervalP99([j.stats[0].histogram, j.stats[1].histogram], this.lastHist, i);
      if (p99 !== undefined) this.rows.push({ timeUs: t, entity: 'job', name: j.name, metric: 'clat_p99_us', value: p99 / 1e3 });
      this.lastCompletions[i] = done;
      if (this.writesApart && j.spec.readRatio > 0 && j.spec.readRatio < 1) this.writeSeries(i, j, t, dt);
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
    this.kernel.at(now + this.intervalUs, this.handler, 0, PRIORITY_SAMPLE);
  }
}
