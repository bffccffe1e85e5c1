/** Scenario limits (caps, bursts, credits, cgroup io.max) to throttle buckets. */
import type { CgroupLimitsSpec, DeviceSpec, LimitsSpec } from '../scenario/types.js';
import type { Metered } from './throttle.js';
import { TokenBucket } from './token-bucket.js';

/** Buckets for a device's caps: shared ones, plus a direction's own IOPS cap. */
export function deviceBuckets(spec: DeviceSpec): { buckets: [Metered[], Metered[]]; perDirection: boolean } | undefined {
  const shared = limitBuckets(spec.limits)?.[0] ?? [];
  const own = (d: DeviceSpec['read'], label: string): Metered[] =>
    d?.iopsCap ? [{ bucket: new TokenBucket(d.iopsCap, Math.max(1, d.iopsCap / 100)), perByte: false, label }] : [];
  const read = [...shared, ...own(spec.read, 'read iops')];
  const write = [...shared, ...own(spec.write, 'write iops')];
  if (read.length + write.length === 0) return undefined;
  return { buckets: [read, write], perDirection: read.length !== shared.length || write.length !== shared.length };
}

/** Buckets for a device or volume cap; undefined when nothing is capped. */
export function limitBuckets(limits: LimitsSpec): [Metered[], Metered[]] | undefined {
  const both: Metered[] = [];
  if (limits.iops) both.push({ bucket: new TokenBucket(limits.iops.rateIops, limits.iops.burstIos), perByte: false, label: 'iops' });
  if (limits.bandwidth) both.push({ bucket: new TokenBucket(limits.bandwidth.bytesPerSec, limits.bandwidth.burstBytes), perByte: true, label: 'bandwidth' });
  // Burst credits (gp2 style): a deep bucket that refills at the baseline and starts full.
  if (limits.credits) both.push({ bucket: new TokenBucket(limits.credits.baselineIops, limits.credits.balanceIos), perByte: false, label: 'credits', credits: true });
  return both.length > 0 ? [both, both] : undefined;
}

/** cgroup v2 io.max: separate read and write caps in IOPS and bytes per second. */
export function cgroupBuckets(l: CgroupLimitsSpec): [Metered[], Metered[]] | undefined {
  // io.max enforces over short slices; a bucket of 1/100 s of the rate (at least one I/O) behaves alike.
  const iops = (rate: number, label: string): Metered => ({ bucket: new TokenBucket(rate, Math.max(1, rate / 100)), perByte: false, label });
  const bps = (rate: number, label: string): Metered => ({ bucket: new TokenBucket(rate, Math.max(4096, rate / 100)), perByte: true, label });
  const read: Metered[] = [];
  const write: Metered[] = [];
  if (l.riops) read.push(iops(l.riops, 'riops'));
  if (l.rbps) read.push(bps(l.rbps, 'rbps'));
  if (l.wiops) write.push(iops(l.wiops, 'wiops'));
  if (l.wbps) write.push(bps(l.wbps, 'wbps'));
  return read.length + write.length > 0 ? [read, write] : undefined;
}
