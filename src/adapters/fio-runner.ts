/**
 * Running fio for real: version check, target safety, a run with progress, and the
 * output read back. fio destroys data, so a write workload against a block device is
 * refused unless the device is unmounted, carries no partition table or file-system
 * signature, and the caller allows it; an existing file is written only if blocksim
 * created it (a `<file>.blocksim` marker next to it) or the caller allows it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { OutsideError } from './errors.js';
import { InputError } from '../scenario/issues.js';
import { Interrupted, type StopSignal } from './interrupt.js';

export const MIN_FIO = [3, 2] as const;

/** fio's version as [major, minor], or an OutsideError when fio is missing or too old. */
export function checkFio(fio = 'fio'): [number, number] {
  const r = spawnSync(fio, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new OutsideError(`fio is not installed or does not run (${r.error ? (r.error as NodeJS.ErrnoException).code : `exit ${r.status}`}); install the Debian package fio`);
  }
  const m = /fio-(\d+)\.(\d+)/.exec(r.stdout);
  if (!m) throw new OutsideError(`cannot read fio's version from ${JSON.stringify(r.stdout.trim())}`);
  const v: [number, number] = [Number(m[1]), Number(m[2])];
  if (v[0] < MIN_FIO[0] || (v[0] === MIN_FIO[0] && v[1] < MIN_FIO[1])) {
    throw new OutsideError(`fio ${v.join('.')} is too old: blocksim needs fio ${MIN_FIO.join('.')} or newer (bw_bytes, json+ bins)`);
  }
  return v;
}

function mountedDevices(): Set<string> {
  try {
    return new Set(readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[0]!).filter(Boolean));
  } catch {
    return new Set();
  }
}

/** What blkid finds on a device: a file system or partition-table type, or undefined. */
function signatureOf(dev: string): string | undefined {
  const r = spawnSync('blkid', ['-p', '-o', 'export', dev], { encoding: 'utf8' });
  if (r.error) throw new OutsideError(`cannot check ${dev} for data: blkid is missing (install util-linux)`);
  if (r.status === 2) return undefined; // nothing found
  const kv = Object.fromEntries(r.stdout.split('\n').filter((l) => l.includes('=')).map((l) => l.split('=') as [string, string]));
  return kv.TYPE ?? kv.PTTYPE ?? (r.status === 0 ? 'unknown signature' : undefined);
}

export const MARKER_SUFFIX = '.blocksim';

/**
 * Refuses targets a write workload must not touch. `writes`: the volumes that jobs write to.
 * Returns the files to mark as blocksim's after the run (new files fio creates).
 */
export function checkTargetSafety(targets: Record<string, string>, writes: Set<string>, allowDestructive: boolean): string[] {
  const problems: { path: string; message: string }[] = [];
  const created: string[] = [];
  const mounted = mountedDevices();
  for (const [volume, path] of Object.entries(targets)) {
    if (!writes.has(volume)) continue;
    if (!existsSync(path)) {
      created.push(path);
      continue;
    }
    const st = statSync(path);
    if (st.isBlockDevice()) {
      if (mounted.has(path)) problems.push({ path: `--target ${volume}`, message: `${path} is mounted; blocksim never writes to a mounted device` });
      else {
        const sig = signatureOf(path);
        if (sig) problems.push({ path: `--target ${volume}`, message: `${path} holds data (${sig}); blocksim writes only to blank devices` });
        else if (!allowDestructive) problems.push({ path: `--target ${volume}`, message: `writing to block device ${path} destroys its contents: add --allow-destructive` });
      }
    } else if (st.isFile()) {
      if (!existsSync(path + MARKER_SUFFIX) && !allowDestructive) {
        problems.push({ path: `--target ${volume}`, message: `${path} exists and was not created by blocksim: a write workload would overwrite it (add --allow-destructive, or give a new file)` });
      }
    } else problems.push({ path: `--target ${volume}`, message: `${path} is neither a file nor a block device` });
  }
  if (problems.length > 0) throw new InputError('fio targets', problems);
  return created;
}

export function markCreated(files: string[]): void {
  for (const f of files) if (existsSync(f)) writeFileSync(f + MARKER_SUFFIX, 'created by blocksim fio run; safe for blocksim to overwrite\n');
}

export interface FioRun {
  jobFile: string;
  outputFile: string;
  expectedSeconds: number;
  clients?: string[];
  onProgress?: (elapsedS: number, remainingS: number) => void;
  /** Aborted with a signal name: fio gets that signal (SIGKILL if still running 10 s later). */
  stop?: AbortSignal;
}

/** How long fio may take to stop after SIGINT/SIGTERM before it is killed. */
const STOP_GRACE_MS = 10_000;

/** Runs fio; resolves when it exits 0, or throws an OutsideError naming the cause (or Interrupted when stopped). */
export function runFio(run: FioRun, fio = 'fio'): Promise<void> {
  const args = [...(run.clients ?? []).flatMap((c) => ['--client', c]), '--output-format=json+', `--output=${run.outputFile}`, run.jobFile];
  return new Promise((resolve, reject) => {
    if (run.stop?.aborted) return reject(new Interrupted(run.stop.reason as StopSignal));
    const child = spawn(fio, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let killTimer: NodeJS.Timeout | undefined;
    const onStop = (): void => {
      child.kill(run.stop!.reason as StopSignal);
      killTimer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    };
    run.stop?.addEventListener('abort', onStop, { once: true });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const t0 = Date.now();
    const timer = run.onProgress && setInterval(() => {
      const el = (Date.now() - t0) / 1000;
      run.onProgress!(el, Math.max(0, run.expectedSeconds - el));
    }, 1000);
    child.on('error', (err) => {
      if (timer) clearInterval(timer);
      run.stop?.removeEventListener('abort', onStop);
      reject(new OutsideError(`cannot start fio: ${err.message}`, { cause: err }));
    });
    child.on('close', (code, signal) => {
      if (timer) clearInterval(timer);
      if (killTimer) clearTimeout(killTimer);
      run.stop?.removeEventListener('abort', onStop);
      if (run.stop?.aborted) reject(new Interrupted(run.stop.reason as StopSignal));
      else if (signal) reject(new OutsideError(`fio was killed by ${signal}${stderr ? `: ${stderr.trim().split('\n').pop()}` : ''}`));
      else if (code !== 0) reject(new OutsideError(`fio failed (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' | ') || 'no message'}`));
      else resolve();
    });
  });
}
