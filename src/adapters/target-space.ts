/**
 * Room for what fio will lay out. fio writes a regular file up to the end of the
 * furthest job on it before it measures, so a target file on a small file system can
 * fill it (a 2 TiB volume on a 79 GB root disk). Before fio runs, the bytes each target
 * still needs are compared, per file system, with the space free there; a block device
 * must be at least as large as the span its jobs address.
 */
import { readFileSync, statSync, statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError, type Issue } from '../scenario/issues.js';
import { formatBytes } from '../scenario/units.js';

export interface LayoutNeed {
  volume: string;
  path: string;
  /** Bytes from the start of the target to the end of its furthest job. */
  bytes: number;
}

/** Bytes of a block device from sysfs (512-byte sectors), or undefined when unknown. */
function blockDeviceBytes(rdev: number): number | undefined {
  const major = Math.floor(rdev / 256) & 0xfff;
  const minor = (rdev & 0xff) | ((Math.floor(rdev / 2 ** 12) & 0xfff00));
  try {
    return Number(readFileSync(`/sys/dev/block/${major}:${minor}/size`, 'utf8').trim()) * 512;
  } catch {
    return undefined;
  }
}

/** A round span that fits in `freeBytes` shared by `targets` targets, with a fifth to spare: a power of two of MiB (at least 1 MiB). */
export function suggestedSpan(freeBytes: number, targets: number): number {
  const room = (freeBytes * 0.8) / Math.max(1, targets);
  let span = 2 ** 20;
  while (span * 2 <= room) span *= 2;
  return span;
}

interface Pending {
  need: LayoutNeed;
  extraBytes: number;
  folder: string;
}

/** Throws an InputError with the figures when a target has no room for its layout. */
export function checkTargetSpace(needs: LayoutNeed[]): void {
  const problems: Issue[] = [];
  const byFs = new Map<number, Pending[]>();
  for (const need of needs) {
    const at = `--target ${need.volume}`;
    let st;
    try {
      st = statSync(need.path);
    } catch {
      st = undefined;
    }
    if (st?.isBlockDevice()) {
      const size = blockDeviceBytes(st.rdev);
      if (size !== undefined && need.bytes > size) problems.push({ path: at, message: `the jobs address ${formatBytes(need.bytes)} of ${need.path}, a device of ${formatBytes(size)}: measure over a smaller span with --size ${formatBytes(suggestedSpan(size / 0.8, 1))}` });
      continue;
    }
    if (st && !st.isFile()) continue;
    const folder = dirname(resolve(need.path));
    let fsId: number;
    try {
      fsId = statSync(folder).dev;
    } catch {
      problems.push({ path: at, message: `the folder of ${need.path} does not exist` });
      continue;
    }
    byFs.set(fsId, [...(byFs.get(fsId) ?? []), { need, extraBytes: Math.max(0, need.bytes - (st?.size ?? 0)), folder }]);
  }
  for (const group of byFs.values()) {
    const extra = group.reduce((s, p) => s + p.extraBytes, 0);
    if (extra === 0) continue;
    const fs = statfsSync(group[0]!.folder);
    const free = fs.bavail * fs.bsize;
    if (extra <= free) continue;
    const size = suggestedSpan(free, group.length);
    for (const p of group.filter((x) => x.extraBytes > 0)) {
      const all = group.length > 1 ? ` (${formatBytes(extra)} for all targets there)` : '';
      problems.push({
        path: `--target ${p.need.volume}`,
        message: `fio would lay out ${formatBytes(p.extraBytes)} in ${p.need.path}${all}, but its file system has ${formatBytes(free)} free: measure over a smaller span with --size ${formatBytes(size)}, or give a target with more room`,
      });
    }
  }
  if (problems.length > 0) throw new InputError('fio targets', problems);
}
