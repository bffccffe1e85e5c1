/**
 * What else the host was doing while fio ran: the load average (/proc/loadavg) and the
 * CPU time split over a run (/proc/stat, all cores), so a measurement taken under load
 * can be recognised and repeated. Linux only; elsewhere the figures are undefined.
 */
import { readFileSync } from 'node:fs';

/** Cumulative CPU time of all cores, in clock ticks, by kind (the first line of /proc/stat). */
export interface CpuTicks {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
}

export interface HostLoad {
  /** 1-minute load average before and after the run. */
  load1Before?: number;
  load1After?: number;
  /** Share of all cores' time over the run, 0..1 each. */
  cpu?: { user: number; system: number; softirq: number; iowait: number; idle: number; steal: number };
  cores: number;
}

export function readLoad1(): number | undefined {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return undefined;
  }
}

export function readCpuTicks(): CpuTicks | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number) as number[];
    return { user: user!, nice: nice!, system: system!, idle: idle!, iowait: iowait!, irq: irq!, softirq: softirq!, steal: steal ?? 0 };
  } catch {
    return undefined;
  }
}

export function cpuShares(a: CpuTicks, b: CpuTicks): NonNullable<HostLoad['cpu']> {
  const d = (k: keyof CpuTicks): number => b[k] - a[k];
  const total = Math.max(1, d('user') + d('nice') + d('system') + d('idle') + d('iowait') + d('irq') + d('softirq') + d('steal'));
  return { user: (d('user') + d('nice')) / total, system: (d('system') + d('irq')) / total, softirq: d('softirq') / total, iowait: d('iowait') / total, idle: d('idle') / total, steal: d('steal') / total };
}

/** Runs `work`, recording the host's load around it. */
export async function withHostLoad<T>(cores: number, work: () => Promise<T>): Promise<{ value: T; load: HostLoad }> {
  const load1Before = readLoad1();
  const t0 = readCpuTicks();
  const value = await work();
  const t1 = readCpuTicks();
  return { value, load: { load1Before, load1After: readLoad1(), cpu: t0 && t1 ? cpuShares(t0, t1) : undefined, cores } };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until the host is quiet: over a `sampleMs` window at least `idleShare` of all
 * cores' time is idle. Gives up after `timeoutMs`; returns the idle share last seen.
 */
export async function waitForQuiet(opts: { idleShare: number; sampleMs: number; timeoutMs: number }): Promise<{ quiet: boolean; idle: number; waitedMs: number }> {
  const t0 = Date.now();
  let idle = 1;
  for (;;) {
    const a = readCpuTicks();
    await sleep(opts.sampleMs);
    const b = readCpuTicks();
    if (!a || !b) return { quiet: true, idle: 1, waitedMs: Date.now() - t0 };
    idle = cpuShares(a, b).idle;
    const waitedMs = Date.now() - t0;
    if (idle >= opts.idleShare) return { quiet: true, idle, waitedMs };
    if (waitedMs >= opts.timeoutMs) return { quiet: false, idle, waitedMs };
  }
}

/**
 * Share of all cores' user time over a run that fio did not spend: other processes'
 * work (fio's own figure is per job thread in % of one core, as fio's usr_cpu). The
 * devices measured here do their work in the kernel, so user time beyond fio's is load.
 */
export function othersUserShare(load: HostLoad, fioUsrPctPerThread: number[]): number | undefined {
  if (!load.cpu) return undefined;
  const fio = fioUsrPctPerThread.reduce((s, v) => s + v, 0) / 100 / load.cores;
  return Math.max(0, load.cpu.user - fio);
}
