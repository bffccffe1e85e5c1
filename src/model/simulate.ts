/**
 * simulate(): a Scenario in, Results out. Pure and deterministic: same scenario and seed,
 * same numbers, bit for bit.
 *
 *   Scenario ──build──▶ devices + job threads on one Kernel ──run──▶ IoStats ──▶ Results
 *
 * Each job thread measures over its own window [start + ramp, start + ramp + duration]
 * (fio's startdelay, ramp_time, runtime); devices over [ramp, end of the last window].
 */
import { Kernel, type Handler } from '../des/kernel.js';
import { Rng } from '../random/rng.js';
import type { Scenario } from '../scenario/types.js';
import { IoStats } from '../stats/io-stats.js';
import type { Results } from '../results/types.js';
import { Device, type DeviceClient } from './device.js';
import { IoTable } from './io-table.js';
import { EV_ARRIVAL_READ, EV_ARRIVAL_WRITE, EV_CPU_DONE, EV_REFILL, EV_START, EV_THINK_END, EV_WINDOW_END, EV_WINDOW_START, JobThread } from './job-thread.js';
import { buildResults, type JobStatsEntry } from './results.js';

export interface SimulateOptions {
  /** Called every `progressEvery` events with simulated time done, 0..1. */
  onProgress?: (fraction: number) => void;
}

export interface Simulation {
  kernel: Kernel;
  threads: JobThread[];
  devices: Device[];
  jobStats: JobStatsEntry[];
  endUs: number;
  ios: IoTable;
}

/** Routes thread events and device completions to the thread that owns them. */
class ThreadRouter implements Handler, DeviceClient {
  constructor(private readonly threads: JobThread[], private readonly ios: IoTable) {}

  onEvent(arg: number): void {
    const t = this.threads[arg >> 3]!;
    switch (arg & 7) {
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
      default:
        throw new Error(`unknown thread event ${arg & 7}`);
    }
  }

  onDeviceDone(io: number): void {
    this.threads[this.ios.thread[io]!]!.onDeviceDone(io);
  }
}

/** At the end of the ramp, devices start measuring. */
class RampEnd implements Handler {
  constructor(private readonly devices: Device[]) {}
  onEvent(): void {
    for (const d of this.devices) d.resetStats();
  }
}

export function jobName(container: string, replica: number, replicas: number, job: string): string {
  return replicas === 1 ? `${container}.${job}` : `${container}.${replica}.${job}`;
}

/** Wires the model without running it (tests and benchmarks use this to look inside). */
export function buildSimulation(scenario: Scenario): Simulation {
  const kernel = new Kernel();
  const ios = new IoTable(256);
  const root = Rng.fromSeed(scenario.seed);
  const threads: JobThread[] = [];
  const router = new ThreadRouter(threads, ios);
  const routerId = kernel.register(router);
  const devices = new Map(
    scenario.devices.map((spec) => [spec.name, { spec, device: new Device(spec, kernel, ios, root.fork(`device/${spec.name}`), router) }]),
  );
  const volumes = new Map(scenario.volumes.map((v) => [v.name, v]));
  const jobStats: JobStatsEntry[] = [];
  let endUs = 0;
  for (const c of scenario.containers) {
    for (let replica = 0; replica < c.replicas; replica++) {
      for (const job of c.jobs) {
        const name = jobName(c.name, replica, c.replicas, job.name);
        const stats: [IoStats, IoStats] = [new IoStats(), new IoStats()];
        const entry: JobStatsEntry = { name, spec: job, stats, threads: [] };
        jobStats.push(entry);
        const { spec: devSpec, device } = devices.get(volumes.get(job.volume)!.device)!;
        const window = {
          startUs: job.startdelayUs,
          measureFromUs: job.startdelayUs + scenario.rampUs,
          endUs: job.startdelayUs + scenario.rampUs + scenario.durationUs,
        };
        endUs = Math.max(endUs, window.endUs);
        for (let clone = 0; clone < job.numjobs; clone++) {
          const rng = root.fork(`job/${c.name}/${replica}/${job.name}/${clone}`);
          const t = new JobThread(threads.length, job, stats, device, devSpec.cpu, kernel, ios, routerId, window, rng);
          threads.push(t);
          entry.threads.push(t);
          kernel.at(window.startUs, routerId, t.index * 8 + EV_START, 0);
          kernel.at(window.measureFromUs, routerId, t.index * 8 + EV_WINDOW_START, 0);
          kernel.at(window.endUs, routerId, t.index * 8 + EV_WINDOW_END, 0);
        }
      }
    }
  }
  const deviceList = [...devices.values()].map((d) => d.device);
  const rampEnd = kernel.register(new RampEnd(deviceList));
  kernel.at(scenario.rampUs, rampEnd, 0, 0);
  return { kernel, threads, devices: deviceList, jobStats, endUs, ios };
}

export function simulate(scenario: Scenario, options: SimulateOptions = {}): Results {
  const sim = buildSimulation(scenario);
  runSimulation(sim, options);
  return buildResults(scenario, sim);
}

export function runSimulation(sim: Simulation, options: SimulateOptions = {}): void {
  const { kernel, endUs } = sim;
  if (!options.onProgress) kernel.run(endUs);
  else {
    const slices = 100;
    for (let i = 1; i <= slices; i++) {
      kernel.run((endUs * i) / slices);
      options.onProgress(i / slices);
    }
  }

}
