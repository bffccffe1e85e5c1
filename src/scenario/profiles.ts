/**
 * Built-in device profiles: starting points for layouts nobody has measured yet. Each
 * cites where its numbers come from; all of them are typical figures, not guarantees —
 * `blocksim calibrate` fits a profile of the real device from fio runs.
 *
 * Sequential access: only the HDD has a `sequentialLatency`; on SSDs a continuing I/O is
 * served like any other (their readahead gain is small beside the transfer time, and
 * varies by model), so their profiles leave it out.
 *
 * A profile is a device in scenario syntax (units allowed). A scenario's device names one
 * with `profile: NAME` (or `profile: ./file.yaml`); fields the device gives override it.
 */
export interface Profile {
  description: string;
  source: string;
  device: Record<string, unknown>;
}

export const BUILTIN_PROFILES: Record<string, Profile> = {
  'nvme-dc': {
    description: 'datacenter NVMe SSD, PCIe 4.0 (PM9A3 / D7-P5510 class)',
    source:
      'Samsung PM9A3 3.84 TB product brief: 4 KiB random read 1,100k IOPS, random write 200k IOPS, sequential 6,900 / 4,100 MB/s; ' +
      'QD1 4 KiB read latency of about 80 µs as reported by StorageReview and AnandTech tests of this class',
    device: {
      parallelism: 96,
      read: { latency: { dist: 'lognormal', p50: '80us', p99: '250us' }, bandwidth: '6900MB/s' },
      write: { latency: { dist: 'lognormal', p50: '20us', p99: '90us' }, bandwidth: '4100MB/s', iops: '200k' },
      cpu: { submit: '2us', complete: '2us' },
    },
  },
  'sata-ssd': {
    description: 'SATA SSD (860/870 EVO, D3-S4510 class), NCQ depth 32',
    source: 'Samsung 870 EVO data sheet: random read 98k IOPS, random write 88k IOPS (QD32), sequential 560 / 530 MB/s; QD1 read about 90 µs (AnandTech)',
    device: {
      parallelism: 10,
      read: { latency: { dist: 'lognormal', p50: '90us', p99: '400us' }, bandwidth: '560MB/s' },
      write: { latency: { dist: 'lognormal', p50: '40us', p99: '300us' }, bandwidth: '530MB/s', iops: '88k' },
      cpu: { submit: '3us', complete: '3us' },
    },
  },
  'hdd-7200': {
    description: '7200 rpm SATA/SAS disk, one actuator',
    source:
      'Seagate Exos 7E8 data sheet: 215 MB/s sustained, 4.16 ms average rotational latency; average seek about 8.5 ms (typical for 7200 rpm): ' +
      'about 12.5 ms per random I/O, 80 random IOPS. An I/O that continues the previous one skips seek and rotation: ' +
      'about 50 µs of command overhead (assumed; it keeps 1 MiB sequential reads at about 210 MB/s of the 215 MB/s media rate)',
    device: {
      parallelism: 1,
      read: { latency: { dist: 'lognormal', mean: '12.5ms', stddev: '5ms' }, sequentialLatency: { dist: 'fixed', value: '50us' }, bandwidth: '215MB/s' },
      write: { latency: { dist: 'lognormal', mean: '12.5ms', stddev: '5ms' }, sequentialLatency: { dist: 'fixed', value: '50us' }, bandwidth: '215MB/s' },
      cpu: { submit: '3us', complete: '3us' },
    },
  },
  gp3: {
    description: 'cloud block volume, gp3 style: 3,000 IOPS and 125 MiB/s baseline',
    source: 'AWS EBS documentation, General Purpose SSD (gp3): 3,000 IOPS and 125 MiB/s included; "single-digit millisecond" latency, typically about 0.5-1 ms',
    device: {
      parallelism: 32,
      read: { latency: { dist: 'lognormal', p50: '600us', p99: '2ms' } },
      write: { latency: { dist: 'lognormal', p50: '800us', p99: '3ms' } },
      limits: { iops: 3000, bandwidth: '125MiB/s' },
      cpu: { submit: '3us', complete: '3us' },
    },
  },
  'gp2-100g': {
    description: 'cloud block volume, gp2 style, 100 GiB: 300 IOPS baseline, bursts to 3,000 on credits',
    source: 'AWS EBS documentation, gp2: 3 IOPS per GiB baseline (minimum 100), burst to 3,000 IOPS, 5.4 million I/O credits, starting full',
    device: {
      parallelism: 32,
      read: { latency: { dist: 'lognormal', p50: '600us', p99: '2ms' } },
      write: { latency: { dist: 'lognormal', p50: '800us', p99: '3ms' } },
      limits: { iops: 3000, bandwidth: '250MiB/s', credits: { baseline: 300, balance: '5.4m' } },
      cpu: { submit: '3us', complete: '3us' },
    },
  },
  io2: {
    description: 'cloud block volume, io2 style, 16,000 provisioned IOPS',
    source: 'AWS EBS documentation, Provisioned IOPS SSD (io2 Block Express): sub-millisecond latency, up to 256,000 IOPS and 4,000 MB/s; 16,000 IOPS provisioned here',
    device: {
      parallelism: 64,
      read: { latency: { dist: 'lognormal', p50: '250us', p99: '700us' } },
      write: { latency: { dist: 'lognormal', p50: '300us', p99: '900us' } },
      limits: { iops: 16000, bandwidth: '1000MiB/s' },
      cpu: { submit: '3us', complete: '3us' },
    },
  },
  'ceph-rbd-3x': {
    description: '3-way replicated network volume (Ceph RBD on all-flash OSDs, 25 GbE), seen from the client',
    source:
      'Ceph documentation: a write is acknowledged once all replicas have it; typical figures reported for 3-replica all-flash clusters ' +
      '(Ceph blog and mailing-list fio results): QD1 4 KiB write about 1-2 ms, read about 0.5 ms. Calibrate with fio for a real cluster',
    device: {
      parallelism: 64,
      read: { latency: { dist: 'lognormal', p50: '500us', p99: '3ms' }, bandwidth: '2500MB/s' },
      write: { latency: { dist: 'lognormal', p50: '1500us', p99: '6ms' }, bandwidth: '1000MB/s' },
      cpu: { submit: '4us', complete: '4us' },
    },
  },
};

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A device over a profile: device keys win; `limits` and `cpu` merge key by key; in
 * `read`/`write`, each key (latency, bandwidth, iops) replaces the profile's.
 */
export function mergeProfile(profile: Record<string, unknown>, device: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...profile };
  for (const [k, v] of Object.entries(device)) {
    if (k === 'profile') continue;
    const base = out[k];
    out[k] = isPlainObject(base) && isPlainObject(v) ? { ...base, ...v } : v;
  }
  return out;
}
