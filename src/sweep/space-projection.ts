/**
 * Space after hours or days, projected from a short simulated window with the chunk-touch
 * model. Assumption, stated in every output: writes keep their simulated rate and land
 * uniformly at random over the span their jobs address (sequential writers fill their
 * span linearly). Then n writes touch N(1 − (1 − 1/N)^n) of N chunks (the coupon-collector
 * expectation), which gives the chunks each snapshot holds and the units a thin volume
 * allocates. Pure.
 */
import { jobName } from '../results/names.js';
import type { Results } from '../results/types.js';
import type { Scenario, VolumeSpec } from '../scenario/types.js';

export const PROJECTION_ASSUMPTION = 'writes keep their simulated rate and land uniformly over the span their jobs address (sequential writers fill it in order)';

interface WriteLoad {
  randomPerSec: number;
  sequentialBytesPerSec: number;
  spanBytes: number;
}

function loadOn(scenario: Scenario, results: Results, v: VolumeSpec): WriteLoad {
  let randomPerSec = 0;
  let sequentialBytesPerSec = 0;
  let lo = Infinity;
  let hi = 0;
  for (const c of scenario.containers) {
    for (const job of c.jobs.filter((j) => j.volume === v.name)) {
      lo = Math.min(lo, job.spanOffsetBytes);
      hi = Math.max(hi, job.spanOffsetBytes + job.spanSizeBytes);
      for (let replica = 0; replica < c.replicas; replica++) {
        const name = jobName(c.name, replica, c.replicas, job.name, job.phase);
        const w = results.jobs.find((j) => j.name === name)?.write;
        if (!w) continue;
        if (job.rw === 'write' || job.rw === 'rw') sequentialBytesPerSec += w.bwBytesPerSec;
        else randomPerSec += w.iops;
      }
    }
  }
  return { randomPerSec, sequentialBytesPerSec, spanBytes: hi > lo ? hi - lo : v.sizeBytes };
}

/** Expected distinct chunks of n writes over N chunks, with sequential bytes adding their own. */
function touched(N: number, writes: number, seqBytes: number, chunk: number): number {
  const random = N * (1 - Math.exp(writes * Math.log1p(-1 / N)));
  return Math.min(N, random + seqBytes / chunk);
}

export interface Projection {
  horizonUs: number;
  assumption: string;
  volumes: { name: string; snapshotBytes: number; liveSnapshots: number }[];
  pools: { name: string; allocatedBytes: number; capacityBytes: number; fullAtUs: number }[];
}

export function projectSpace(scenario: Scenario, results: Results, horizonUs: number): Projection {
  const volumes: Projection['volumes'] = [];
  for (const v of scenario.volumes) {
    const s = v.snapshots;
    if (!s) continue;
    const load = loadOn(scenario, results, v);
    const N = Math.max(1, Math.floor(load.spanBytes / s.chunkBytes));
    const held = (us: number): number => touched(N, (load.randomPerSec * us) / 1e6, (load.sequentialBytesPerSec * us) / 1e6, s.chunkBytes);
    const times = [...s.atUs.filter((t) => t <= horizonUs)];
    if (s.everyUs > 0) for (let t = s.everyUs; t <= horizonUs && times.length < 1_000_000; t += s.everyUs) times.push(t);
    times.sort((a, b) => a - b);
    const live = times.slice(-s.keep);
    let chunks = 0;
    live.forEach((t, i) => (chunks += held((i + 1 < live.length ? live[i + 1]! : horizonUs) - t)));
    volumes.push({ name: v.name, snapshotBytes: chunks * s.chunkBytes, liveSnapshots: live.length });
  }
  const pools: Projection['pools'] = [];
  for (const p of scenario.pools) {
    const members = scenario.volumes.filter((v) => v.placement.kind === 'pool' && v.placement.pool === p.name);
    const allocatedAt = (us: number): number =>
      members.reduce((sum, v) => {
        if (v.placement.kind === 'pool' && !v.placement.thin) return sum + v.sizeBytes;
        const load = loadOn(scenario, results, v);
        const U = Math.max(1, Math.floor(load.spanBytes / p.allocationUnitBytes));
        return sum + touched(U, (load.randomPerSec * us) / 1e6, (load.sequentialBytesPerSec * us) / 1e6, p.allocationUnitBytes) * p.allocationUnitBytes;
      }, 0);
    let fullAtUs = Infinity;
    if (allocatedAt(1e15) >= p.capacityBytes) {
      let lo = 0;
      let hi = 1e15;
      for (let i = 0; i < 200; i++) {
        const mid = (lo + hi) / 2;
        if (allocatedAt(mid) >= p.capacityBytes) hi = mid;
        else lo = mid;
      }
      fullAtUs = hi;
    }
    pools.push({ name: p.name, allocatedBytes: Math.min(p.capacityBytes, allocatedAt(horizonUs)), capacityBytes: p.capacityBytes, fullAtUs });
  }
  return { horizonUs, assumption: PROJECTION_ASSUMPTION, volumes, pools };
}
