/**
 * What else the host was doing while fio ran: the load average (/proc/loadavg) and the
 * CPU time split over a run (/proc/stat, all cores), so a measurement taken under load
 * can be recognised and repeated. Linux only; elsewhere the figures are undefined.
 */
import { readdirSync, readFileSync } from 'node:fs';

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
  /** Share of all cores' time other processes (not fio, not kernel threads) used, 0..1. */
  othersCpu?: number;
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

/**
 * CPU ticks (user + system) of every process that is not a kernel thread, by pid, leaving
 * out processes named `skip` (fio) and this process: other people's work, including the
 * time their system calls spend in the kernel.
 */
export function otherProcessTicks(skip: string[]): Map<number, number> {
  const out = new Map<number, number>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone
    }
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const f = stat.slice(close + 2).split(' ');
    const flags = Number(f[6]);
    if ((flags & PF_KTHREAD) !== 0 || skip.includes(comm)) continue;
    out.set(Number(pid), Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])); // utime stime cutime cstime
  }
  return out;
}

const PF_KTHREAD = 0x00200000;

function othersShare(a: Map<number, number>, b: Map<number, number>, ticks: number): number {
  let sum = 0;
  // a process born during the run counts whole; one that ended is in its parent's cutime
  for (const [pid, t] of b) sum += t - (a.get(pid) ?? 0);
  return ticks > 0 ? Math.max(0, sum) / ticks : 0;
}

/** Runs `work`, recording the host's load around it. */
export async function withHostLoad<T>(cores: number, work: () => Promise<T>): Promise<{ value: T; load: HostLoad }> {
  const load1Before = readLoad1();
  const t0 = readCpuTicks();
  const p0 = otherProcessTicks(['fio']);
  const value = await work();
  const t1 = readCpuTicks();
  const p1 = otherProcessTicks(['fio']);
  const total = t0 && t1 ? Object.keys(t1).reduce((s, k) => s + t1[k as keyof CpuTicks] - t0[k as keyof CpuTicks], 0) : 0;
  return { value, load: { load1Before, load1After: readLoad1(), cpu: t0 && t1 ? cpuShares(t0, t1) : undefined, cores, othersCpu: othersShare(p0, p1, total) } };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until the host is quiet: over a `sampleMs` window at least `idleShare` of all
 * cores' time is idle. Gives up after `timeoutMs`; returns the idle share last seen.
 */
export async function waitForQuiet(opts: { idleShare: number; sampleMs: number; timeoutMs: number }): Promise<{ quiet: boolean; idle: number; waitedMs: number }> {
  const t0 = Date.now();
  for (;;) {
    const a = readCpuTicks();
    await sleep(opts.sampleMs);
    const b = readCpuTicks();
    if (!a || !b) return { quiet: true, idle: 1, waitedMs: Date.now() - t0 };
    const idle = cpuShares(a, b).idle;
    const waitedMs = Date.now() - t0;
    if (idle >= opts.idleShare) return { quiet: true, idle, waitedMs };
    if (waitedMs >= opts.timeoutMs) return { quiet: false, idle, waitedMs };
  }
}

