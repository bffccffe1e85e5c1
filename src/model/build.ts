/**
 * Scenario to a wired model on one kernel: devices, pools, volume engines, network
 * links, cgroup throttles and job threads. A job whose volume has no storage semantics
 * to apply talks to its device directly (the fast path).
 */
import { fn, Kernel, type Handler } from '../des/kernel.js';
import { jobName } from '../results/names.js';
import { Rng } from '../random/rng.js';
import type { CpuSpec, DeviceSpec, JobSpec, Scenario, VolumeSpec } from '../scenario/types.js';
import { IoStats } from '../stats/io-stats.js';
import { Device, type DeviceClient } from './device.js';
import { HostCpu } from './host-cpu.js';
import { IoTable } from './io-table.js';
import { JobThread, type IoTarget } from './job-thread.js';
import * as events from './events.js';
import { cgroupBuckets } from './limits.js';
import type { JobStatsEntry } from './results.js';
import { ThinPool } from './thin-pool.js';
import { Throttle, type Gated } from './throttle.js';
import { VolumeEngine, type RequestClient } from './volume-engine.js';
import { SnapshotTimer } from './snapshot-timer.js';
import { TimelineSampler } from './timeline-sampler.js';
import { createReplay, replayTarget } from './replay-build.js';
import type { TraceSources } from './trace-source.js';

// module-local copies: the per-event paths read them without an imported binding's check
const { EV_ARRIVAL_READ, EV_ARRIVAL_WRITE, EV_CPU_DONE, EV_CPU_START, EV_REFILL, EV_START, EV_THINK_END, EV_TRACE, EV_WINDOW_END, EV_WINDOW_START, PRIORITY_WINDOW, kindOf, threadEvent, threadOf, unknownThreadEvent } = events;

/** Routes thread events, and completions to the thread or volume engine that owns them. */
export class ModelRouter implements Handler, DeviceClient, RequestClient {
  engines: VolumeEngine[] = [];
  constructor(private readonly threads: JobThread[], private readonly ios: IoTable) {}

  /** A job-thread event (events.ts): the thread and the kind, decoded; an unknown kind throws. */
  onEvent(arg: number): void {
    const t = this.threads[threadOf(arg)]!;
    const kind = kindOf(arg);
    switch (kind) {
      case EV_ARRIVAL_READ:
        return t.onArrival(0);
      case EV_ARRIVAL_WRITE:
        return t.onArrival(1);
      case EV_THINK_END:
        return t.onThinkEnd();
      case EV_CPU_DONE:
        return t.onCpuDone();
      case EV_START:
        return t.start();
      case EV_REFILL:
        return t.onRefill();
      case EV_WINDOW_START:
        return t.markWindow('start');
      case EV_WINDOW_END:
        return t.markWindow('end');
      case EV_CPU_START:
        return t.onCpuStart();
      case EV_TRACE:
        return t.replay!.onDue();
      default:
        return unknownThreadEvent(kind, arg);
    }
  }

  onDeviceDone(io: number): void {
    if (this.ios.parent[io] === -1) this.threads[this.ios.thread[io]!]!.onRequestDone(io);
    else this.engines[this.ios.owner[io]!]!.onOpDone(io);
  }

  onRequestDone(io: number): void {
    this.threads[this.ios.thread[io]!]!.onRequestDone(io);
  }
}

/** At the end of the ramp, devices, volume caps and cgroup caps start measuring. */
class RampEnd implements Handler {
  constructor(private readonly devices: Device[], private readonly engines: VolumeEngine[], private readonly cgroups: CgroupThrottle[]) {}
  onEvent(): void {
    for (const d of this.devices) d.resetStats();
    for (const e of this.engines) e.resetStats();
    for (const c of this.cgroups) c.throttle.resetStats();
  }
}

/** One replica's cgroup io.max, named `<container>.<replica>` (or `<container>` for one replica). */
export interface CgroupThrottle {
  name: string;
  throttle: Throttle;
}

/** Sends I/Os that passed a replica's cgroup throttle on to their thread's own target. */
class CgroupForward implements Gated {
  constructor(private readonly directByThread: IoTarget[], private readonly ios: IoTable) {}
  afterThrottle(io: number): void {
    this.directByThread[this.ios.thread[io]!]!.submit(io);
  }
}

export interface Simulation {
  kernel: Kernel;
  threads: JobThread[];
  devices: Device[];
  engines: VolumeEngine[];
  pools: ThinPool[];
  jobStats: JobStatsEntry[];
  timeline: TimelineSampler;
  endUs: number;
  ios: IoTable;
  cgroups: CgroupThrottle[];
  /** The host's cores, when the scenario models them. */
  host?: HostCpu;
}

export { jobName } from '../results/names.js';

/** A network link as a device: one transfer at a time at the link's bandwidth. */
function linkSpec(name: string, bytesPerSec: number): DeviceSpec {
  const dir = { latency: { dist: 'fixed' as const, valueUs: 0 }, bandwidthBytesPerSec: bytesPerSec };
  return { name, parallelism: 1, read: dir, write: dir, limits: {}, cpu: { submitUs: [0, 0], completeUs: [0, 0], callUs: 0 } };
}

/** True when the volume must see this job's requests (anything beyond a plain device). */
function needsEngine(v: VolumeSpec, job: JobSpec): boolean {
  if (v.placement.kind !== 'device' || v.snapshots || v.maxIoSizeBytes !== Infinity) return true;
  if (v.limits.iops || v.limits.bandwidth || v.limits.credits) return true;
  const sizes = [...job.bs.read.sizesBytes, ...job.bs.write.sizesBytes];
  return job.spanOffsetBytes % v.blockSizeBytes !== 0 || sizes.some((s) => s % v.blockSizeBytes !== 0);
}

/** The job threads' CPU on a device: its `cpu`, plus the device's work when that runs in the submit call. */
function issuingCpu(d: DeviceSpec): CpuSpec {
  const w = d.worker;
  if (w?.threads !== 'submitter') return d.cpu;
  const own = d.cpu.submitUsPerByte ?? [0, 0];
  return { ...d.cpu, submitUs: [d.cpu.submitUs[0] + w.read.perIoUs, d.cpu.submitUs[1] + w.write.perIoUs], submitUsPerByte: [own[0] + w.read.usPerByte, own[1] + w.write.usPerByte] };
}

export interface BuildOptions {
  /** Where traced jobs read their traces (adapters/trace-source.ts); needed only when a job has `trace`. */
  traces?: TraceSources;
}

export function buildSimulation(scenario: Scenario, options: BuildOptions = {}): Simulation {
  const kernel = new Kernel();
  const ios = new IoTable(256);
  const root = Rng.fromSeed(scenario.seed);
  const threads: JobThread[] = [];
  const router = new ModelRouter(threads, ios);
  const routerId = kernel.register(router);
  const host = scenario.host && new HostCpu(scenario.host.cores, kernel, scenario.host.sliceUs, scenario.host.balanceUs);
  const devices = new Map(scenario.devices.map((spec) => [spec.name, new Device(spec, kernel, ios, root.fork(`device/${spec.name}`), router, host)]));
  const cpuOf = new Map(scenario.devices.map((d) => [d.name, issuingCpu(d)]));
  const pools = new Map(scenario.pools.map((p) => [p.name, { model: new ThinPool(p), spec: p }]));
  const links: Device[] = [];
  const sharedLinks = new Map<string, [Device, Device]>();
  const engines = scenario.volumes.map((v, index) => {
    let data: Device[];
    let volLinks: [Device, Device] | undefined;
    let pool;
    switch (v.placement.kind) {
      case 'device':
        data = [devices.get(v.placement.device)!];
        break;
      case 'pool':
        pool = pools.get(v.placement.pool)!;
        pool.model.addVolume(v.name, v.sizeBytes, v.placement.thin);
        data = pool.spec.devices.map((d) => devices.get(d)!);
        break;
      case 'replicated': {
        data = v.placement.devices.map((d) => devices.get(d)!);
        const { bandwidthBytesPerSec: bw, link } = v.placement.network;
        volLinks = link !== undefined ? sharedLinks.get(link) : undefined;
        if (!volLinks) {
          const name = link ?? `${v.name}-net`;
          volLinks = [new Device(linkSpec(`${name}-out`, bw), kernel, ios, root.fork('link'), router), new Device(linkSpec(`${name}-in`, bw), kernel, ios, root.fork('link'), router)];
          links.push(...volLinks);
          if (link !== undefined) sharedLinks.set(link, volLinks);
        }
        break;
      }
    }
    return new VolumeEngine(index, v, kernel, ios, data, volLinks, pool, router, host);
  });
  router.engines = engines;
  const volumeIndex = new Map(scenario.volumes.map((v, i) => [v.name, i]));

  const jobStats: JobStatsEntry[] = [];
  const directByThread: IoTarget[] = [];
  const cgroups: CgroupThrottle[] = [];
  let endUs = 0;
  for (const c of scenario.containers) {
    for (let replica = 0; replica < c.replicas; replica++) {
      // One cgroup per replica: all its jobs share the buckets, then go on to their own target.
      const cgroup = c.limits && cgroupBuckets(c.limits);
      const shared = cgroup && new Throttle(cgroup, kernel, ios, new CgroupForward(directByThread, ios), true);
      if (shared) cgroups.push({ name: c.replicas === 1 ? c.name : `${c.name}.${replica}`, throttle: shared });
      for (const job of c.jobs) {
        const name = jobName(c.name, replica, c.replicas, job.name, job.phase);
        const stats: [IoStats, IoStats] = [new IoStats(), new IoStats()];
        const entry: JobStatsEntry = { name, spec: job, stats, threads: [] };
        jobStats.push(entry);
        const v = scenario.volumes[volumeIndex.get(job.volume)!]!;
        const engine = engines[volumeIndex.get(job.volume)!]!;
        const device = v.placement.kind === 'device' ? devices.get(v.placement.device)! : undefined;
        const direct: IoTarget = job.trace ? replayTarget(v, engine, device, ios) : needsEngine(v, job) ? engine : device!;
        const cpuDevice = v.placement.kind === 'device' ? v.placement.device : v.placement.kind === 'pool' ? pools.get(v.placement.pool)!.spec.devices[0]! : v.placement.devices[0]!;
        const window = {
          startUs: job.startdelayUs,
          measureFromUs: job.startdelayUs + job.rampUs,
          endUs: job.startdelayUs + job.rampUs + job.runtimeUs,
        };
        // fio's randrepeat: the same job draws the same numbers in every phase; randseed replaces the scenario seed.
        const jobRoot = job.randseed !== undefined ? Rng.fromSeed(job.randseed) : root;
        const phaseKey = job.randrepeat || job.phase === undefined ? '' : `@${job.phase}`;
        endUs = Math.max(endUs, window.endUs);
        for (let clone = 0; clone < job.numjobs; clone++) {
          const rng = jobRoot.fork(`job/${c.name}/${replica}/${job.name}/${clone}${phaseKey}`);
          directByThread.push(direct);
          const t = new JobThread(threads.length, volumeIndex.get(job.volume)!, job, stats, shared ?? direct, cpuOf.get(cpuDevice)!, kernel, ios, routerId, window, rng, engine.hasSubmitCost ? engine : undefined, host);
          if (job.trace) t.replay = createReplay(t, job, options.traces, kernel, routerId, window.endUs);
          threads.push(t);
          entry.threads.push(t);
          kernel.at(window.startUs, routerId, threadEvent(t.index, EV_START), PRIORITY_WINDOW);
          kernel.at(window.measureFromUs, routerId, threadEvent(t.index, EV_WINDOW_START), PRIORITY_WINDOW);
          kernel.at(window.endUs, routerId, threadEvent(t.index, EV_WINDOW_END), PRIORITY_WINDOW);
        }
      }
    }
  }
  const deviceList = [...devices.values()];
  kernel.at(scenario.rampUs, kernel.register(new RampEnd(deviceList, engines, cgroups)), 0, PRIORITY_WINDOW);
  new SnapshotTimer(kernel, engines, endUs);
  const poolModels = [...pools.values()].map((p) => p.model);
  const timeline = new TimelineSampler(kernel, scenario.timelineIntervalUs ?? Math.max(1000, endUs / 100), jobStats, deviceList, engines, poolModels, scenario.volumes.some((v) => v.snapshots !== undefined));
  if (host) kernel.at(scenario.rampUs, kernel.register(fn(() => host.resetStats())), 0, PRIORITY_WINDOW);
  return { kernel, threads, devices: deviceList, engines, pools: poolModels, jobStats, timeline, endUs, ios, cgroups, ...(host ? { host } : {}) };
}

