/**
 * Captures one fio run twice: fio's own iolog (write_iolog) and the block layer's view
 * of the same I/Os as blkparse text, on a loop device over /dev/shm.
 *
 * blktrace's relay files under debugfs are closed when the kernel is locked down (as on
 * this VM: "Lockdown: blktrace: debugfs access is restricted"), so the events come from
 * the kernel's blk tracer through tracefs instead, in binary mode (options/bin): each
 * event is ftrace's 16-byte header (pid, cpu, timestamp) followed by the same
 * struct blk_io_trace that blktrace writes, with the sequence left at 0. Stripping the
 * header and numbering events per CPU gives blktrace's own binary format, which
 * `blkparse -i -` formats as usual. Process names show as "(null)": ftrace does not emit
 * blktrace's process-name notes.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, openSync, readFileSync, writeFileSync, closeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { missingForRealDevices, Scratch, sh } from '../real/system.js';

const TRACING = '/sys/kernel/tracing';
const FTRACE_HEADER_BYTES = 16;
const BLK_IO_TRACE_BYTES = 48;
const BLK_IO_TRACE_MAGIC = 0x65617407;

/** Why a capture cannot run here, or undefined; mounts tracefs when it is not (undone by `scratch`). */
export function prepareBlkCapture(scratch: Scratch): string | undefined {
  const missing = missingForRealDevices(['fio', 'losetup', 'blkparse']);
  if (missing) return missing.replace('(Debian', '(Debian packages blktrace,');
  if (!existsSync(join(TRACING, 'available_tracers'))) {
    if (spawnSync('mount', ['-t', 'tracefs', 'nodev', TRACING]).status !== 0) return `no tracefs at ${TRACING}, and it cannot be mounted`;
    scratch.onCleanup(() => spawnSync('umount', [TRACING]));
  }
  if (!readFileSync(join(TRACING, 'available_tracers'), 'utf8').split(/\s+/).includes('blk')) return 'the kernel has no blk tracer (CONFIG_BLK_DEV_IO_TRACE)';
  const current = readFileSync(join(TRACING, 'current_tracer'), 'utf8').trim();
  if (current !== 'nop') return `ftrace is in use (current_tracer is ${current})`;
  return undefined;
}

/** ftrace's binary blk events to blktrace's binary format (header stripped, per-CPU sequence numbers). */
export function ftraceToBlktrace(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  const sequence = new Map<number, number>();
  let i = 0;
  while (i + FTRACE_HEADER_BYTES + BLK_IO_TRACE_BYTES <= data.length) {
    const cpu = data.readUInt32LE(i + 4);
    const j = i + FTRACE_HEADER_BYTES;
    if (data.readUInt32LE(j) !== BLK_IO_TRACE_MAGIC) throw new Error(`ftrace blk data: bad magic at byte ${j}`);
    const pduBytes = data.readUInt16LE(j + 46);
    const rec = Buffer.from(data.subarray(j, j + BLK_IO_TRACE_BYTES + pduBytes));
    const seq = (sequence.get(cpu) ?? 0) + 1;
    sequence.set(cpu, seq);
    rec.writeUInt32LE(seq, 4);
    parts.push(rec);
    i = j + BLK_IO_TRACE_BYTES + pduBytes;
  }
  return Buffer.concat(parts);
}

function write(path: string, value: string): void {
  writeFileSync(join(TRACING, path), value);
}

export interface Capture {
  iolog: string;
  blkparse: string;
  device: string;
}

/** Runs fio with `fioArgs` on a new loop device and returns both views of its I/O. */
export async function captureFioRun(scratch: Scratch, fioArgs: string[], sizeMiB = 64): Promise<Capture> {
  const dir = scratch.tempDir('blocksim-blk-');
  const dev = scratch.loopDevice(sizeMiB);
  const name = basename(dev);
  write('tracing_on', '0');
  write('trace', '');
  write('current_tracer', 'blk');
  scratch.onCleanup(() => write('current_tracer', 'nop'));
  write('options/bin', '1');
  scratch.onCleanup(() => write('options/bin', '0'));
  writeFileSync(`/sys/block/${name}/trace/enable`, '1');
  scratch.onCleanup(() => writeFileSync(`/sys/block/${name}/trace/enable`, '0'));
  const binPath = join(dir, 'events.bin');
  const fd = openSync(binPath, 'w');
  const reader = spawn('cat', [join(TRACING, 'trace_pipe')], { stdio: ['ignore', fd, 'ignore'] });
  scratch.onCleanup(() => reader.kill('SIGKILL'));
  write('tracing_on', '1');
  scratch.onCleanup(() => write('tracing_on', '0'));
  const iologPath = join(dir, 'fio.iolog');
  execFileSync('fio', ['--name=capture', `--filename=${dev}`, '--direct=1', `--write_iolog=${iologPath}`, '--output-format=terse', ...fioArgs], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise((r) => setTimeout(r, 300));
  write('tracing_on', '0');
  await new Promise((r) => setTimeout(r, 300));
  reader.kill('SIGKILL');
  closeSync(fd);
  const converted = join(dir, 'events.blktrace');
  writeFileSync(converted, ftraceToBlktrace(readFileSync(binPath)));
  const blkparse = sh('sh', ['-c', `blkparse -i - < '${converted}'`]);
  return { iolog: readFileSync(iologPath, 'utf8'), blkparse, device: name };
}
