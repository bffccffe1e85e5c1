/**
 * Real devices for tests: a btrfs file system on a loop device over a file in /dev/shm.
 * Every step registers its undo, and `cleanup()` runs them in reverse even after a
 * failure, so no loop device, mount or file is left behind. Needs root.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function which(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

/** Why real-device tests cannot run here, or undefined when they can. */
export function missingForRealDevices(tools: string[]): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (loop devices, mount)';
  const missing = tools.filter((t) => !which(t));
  return missing.length > 0 ? `missing ${missing.join(', ')} (Debian packages fio, btrfs-progs, util-linux, e2fsprogs)` : undefined;
}

export function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export class Scratch {
  private readonly undo: (() => void)[] = [];

  onCleanup(fn: () => void): void {
    this.undo.push(fn);
  }

  tempDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    // BLOCKSIM_KEEP_SCRATCH=1 keeps the folder (fio's files, profiles) to look at after the run
    if (process.env.BLOCKSIM_KEEP_SCRATCH) console.log(`scratch folder kept: ${dir}`);
    else this.onCleanup(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  /** A loop device over a new sparse file of `sizeMiB` in /dev/shm. */
  loopDevice(sizeMiB: number): string {
    const img = join('/dev/shm', `blocksim-test-${process.pid}-${Date.now()}.img`);
    sh('truncate', ['-s', `${sizeMiB}M`, img]);
    this.onCleanup(() => rmSync(img, { force: true }));
    const dev = sh('losetup', ['--find', '--show', img]).trim();
    this.onCleanup(() => spawnSync('losetup', ['-d', dev]));
    return dev;
  }

  /** A new zram device of `sizeMiB` (hot_add), removed again on cleanup. */
  zramDevice(sizeMiB: number): string {
    const id = readFileSync('/sys/class/zram-control/hot_add', 'utf8').trim();
    this.onCleanup(() => {
      try {
        writeFileSync(`/sys/block/zram${id}/reset`, '1');
      } finally {
        writeFileSync('/sys/class/zram-control/hot_remove', id);
      }
    });
    writeFileSync(`/sys/block/zram${id}/disksize`, `${sizeMiB}M`);
    return `/dev/zram${id}`;
  }

  /** A file of `sizeMiB` on the root disk, written through so reads reach the disk. */
  diskFile(dir: string, sizeMiB: number): string {
    const file = join(dir, 'fidelity.dat');
    this.onCleanup(() => rmSync(file, { force: true }));
    sh('dd', ['if=/dev/urandom', `of=${file}`, 'bs=1M', `count=${sizeMiB}`, 'oflag=direct', 'status=none']);
    return file;
  }

  mount(dev: string, dir: string): void {
    sh('mount', [dev, dir]);
    this.onCleanup(() => spawnSync('umount', ['-l', dir]));
  }

  cleanup(): void {
    while (this.undo.length > 0) {
      try {
        this.undo.pop()!();
      } catch {
        // keep undoing the rest
      }
    }
  }
}

/** Fills a file or device with random data, so reads touch real (and incompressible) pages. */
export function prefill(path: string, sizeMiB: number): void {
  sh('dd', ['if=/dev/urandom', `of=${path}`, 'bs=1M', `count=${sizeMiB}`, 'oflag=direct', 'status=none']);
}

/**
 * A file on btrfs on a loop device over /dev/shm: copy-on-write (no `chattr +C`), so data
 * checksums and extent updates are on the I/O path, as on a default btrfs volume.
 */
export function btrfsFile(scratch: Scratch, sizeMiB: number): string {
  const dev = scratch.loopDevice(sizeMiB * 2 + 256);
  sh('mkfs.btrfs', ['-q', '-f', dev]);
  const mnt = scratch.tempDir('blocksim-btrfs-');
  scratch.mount(dev, mnt);
  const file = join(mnt, 'data');
  scratch.onCleanup(() => rmSync(file, { force: true }));
  prefill(file, sizeMiB);
  return file;
}
