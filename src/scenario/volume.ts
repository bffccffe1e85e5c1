/** Volume and pool input to typed specs, with the checks that need other entities. */
import type { ScenarioInput } from './schema.js';
import type { Issues } from './issues.js';
import type { LimitsSpec, Placement, PoolSpec, SnapshotSpec, VolumeSpec } from './types.js';

type LimitsInput = NonNullable<ScenarioInput['devices'][string]['limits']>;

export function normalizeLimits(l: LimitsInput | undefined, path: string, issues: Issues): LimitsSpec {
  const limits: LimitsSpec = {};
  if (l?.iops !== undefined) limits.iops = { rateIops: l.iops, burstIos: l.burstIops ?? Math.max(1, l.iops / 100) };
  else if (l?.burstIops !== undefined) issues.add(`${path}.burstIops`, 'a burst needs iops');
  if (l?.bandwidth !== undefined) limits.bandwidth = { bytesPerSec: l.bandwidth, burstBytes: l.burstBytes ?? Math.max(4096, l.bandwidth / 100) };
  else if (l?.burstBytes !== undefined) issues.add(`${path}.burstBytes`, 'a burst needs bandwidth');
  if (l?.credits) {
    limits.credits = { baselineIops: l.credits.baseline, balanceIos: l.credits.balance };
    if (l.iops === undefined) issues.add(`${path}.iops`, 'credits need iops: the burst rate the credits are spent at');
    else if (l.credits.baseline >= l.iops) issues.add(`${path}.credits.baseline`, `the baseline (${l.credits.baseline}) must be below the burst rate iops (${l.iops})`);
  }
  return limits;
}

export function normalizePools(input: ScenarioInput, deviceNames: Set<string>, issues: Issues): PoolSpec[] {
  return Object.entries(input.pools ?? {}).map(([name, p]) => {
    p.devices.forEach((d, i) => {
      if (!deviceNames.has(d)) issues.add(`pools.${name}.devices[${i}]`, `no device named ${JSON.stringify(d)}`);
    });
    return { name, devices: p.devices, capacityBytes: p.capacity, allocationUnitBytes: p.allocationUnit ?? 4 * 2 ** 20, firstWriteCostUs: p.firstWriteCost ?? 0 };
  });
}

export function normalizeVolume(
  name: string,
  v: ScenarioInput['volumes'][string],
  deviceNames: Set<string>,
  pools: PoolSpec[],
  issues: Issues,
): VolumeSpec {
  const path = `volumes.${name}`;
  const placement = placementOf(v, path, deviceNames, pools, issues);
  const blockSizeBytes = v.blockSize ?? 4096;
  const snapshots = v.snapshots && snapshotsOf(v.snapshots, `${path}.snapshots`, blockSizeBytes, issues);
  return {
    name,
    placement,
    sizeBytes: v.size,
    blockSizeBytes,
    maxIoSizeBytes: v.maxIoSize ?? Infinity,
    ...(snapshots ? { snapshots } : {}),
    limits: normalizeLimits(v.limits, `${path}.limits`, issues),
  };
}

function placementOf(v: ScenarioInput['volumes'][string], path: string, deviceNames: Set<string>, pools: PoolSpec[], issues: Issues): Placement {
  const given = [v.device !== undefined, v.pool !== undefined, v.replicated !== undefined].filter(Boolean).length;
  const known = (d: string, where: string): void => {
    if (!deviceNames.has(d)) issues.add(where, `no device named ${JSON.stringify(d)} (devices: ${[...deviceNames].join(', ') || 'none'})`);
  };
  if (given !== 1) issues.add(path, 'give exactly one of device, pool or replicated');
  if (v.thin !== undefined && v.pool === undefined) issues.add(`${path}.thin`, 'thin provisioning needs a pool');
  if (v.pool !== undefined) {
    if (!pools.some((p) => p.name === v.pool)) issues.add(`${path}.pool`, `no pool named ${JSON.stringify(v.pool)} (pools: ${pools.map((p) => p.name).join(', ') || 'none'})`);
    return { kind: 'pool', pool: v.pool, thin: v.thin ?? true };
  }
  if (v.replicated !== undefined) {
    const r = v.replicated;
    r.devices.forEach((d, i) => known(d, `${path}.replicated.devices[${i}]`));
    const n = r.devices.length;
    const writeAck = r.writeAck === 'all' || r.writeAck === undefined ? n : r.writeAck === 'quorum' ? Math.floor(n / 2) + 1 : r.writeAck;
    if (writeAck > n) issues.add(`${path}.replicated.writeAck`, `expected at most ${n} (the number of replicas), got ${writeAck}`);
    const network = { latencyUs: r.network.latency, bandwidthBytesPerSec: r.network.bandwidth, ...(r.network.link !== undefined ? { link: r.network.link } : {}) };
    return { kind: 'replicated', devices: r.devices, writeAck, read: r.read ?? 'primary', network };
  }
  known(v.device ?? '', `${path}.device`);
  return { kind: 'device', device: v.device ?? '' };
}

function snapshotsOf(s: NonNullable<ScenarioInput['volumes'][string]['snapshots']>, path: string, blockSize: number, issues: Issues): SnapshotSpec {
  const chunk = s.chunk ?? 64 * 1024;
  if (chunk % blockSize !== 0 && blockSize % chunk !== 0) issues.add(`${path}.chunk`, `expected a multiple or divisor of the volume's block size (${blockSize} bytes), got ${chunk}`);
  if (s.mode !== 'row' && s.redirectedReadCost !== undefined) issues.add(`${path}.mode`, 'redirectedReadCost applies to mode: row');
  return {
    atUs: [...(s.at ?? [])].sort((a, b) => a - b),
    everyUs: s.every ?? 0,
    keep: s.keep ?? 1_000_000,
    chunkBytes: chunk,
    mode: s.mode ?? 'cow',
    pauseUs: s.pause ?? 0,
    firstWrite: {
      submitUs: s.firstWrite?.submit ?? 0,
      backgroundUs: s.firstWrite?.background ?? 0,
      deviceUs: s.firstWrite?.device ?? 0,
      stallEvery: s.firstWrite?.stall?.every ?? 0,
      stallUs: s.firstWrite?.stall?.duration ?? 0,
    },
    redirectedReadCostUs: s.redirectedReadCost ?? 0,
  };
}

/** Replicated volumes that share a named network link must agree on its bandwidth. */
export function checkSharedLinks(volumes: VolumeSpec[], issues: Issues): void {
  const first = new Map<string, VolumeSpec>();
  for (const v of volumes) {
    if (v.placement.kind !== 'replicated' || v.placement.network.link === undefined) continue;
    const link = v.placement.network.link;
    const seen = first.get(link);
    if (!seen) first.set(link, v);
    else if (seen.placement.kind === 'replicated' && seen.placement.network.bandwidthBytesPerSec !== v.placement.network.bandwidthBytesPerSec) {
      issues.add(`volumes.${v.name}.replicated.network.bandwidth`, `link ${link} is shared with volume ${seen.name}, whose bandwidth differs (${seen.placement.network.bandwidthBytesPerSec} bytes/s): give both the same`);
    }
  }
}

/** Names of the devices a volume's I/O can reach. */
export function devicesOf(v: VolumeSpec, pools: PoolSpec[]): string[] {
  switch (v.placement.kind) {
    case 'device':
      return [v.placement.device];
    case 'pool': {
      const name = v.placement.pool;
      return pools.find((p) => p.name === name)?.devices ?? [];
    }
    case 'replicated':
      return v.placement.devices;
  }
}
