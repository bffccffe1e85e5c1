/**
 * A fio run captured live on a loop device, as fio logs it (write_iolog) and as the block
 * layer sees it (blk tracer → blkparse): both parse to the same I/Os. Needs root, fio,
 * blkparse (Debian package blktrace) and the kernel's blk tracer; skips and says why.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { parseTraceText } from '../../src/trace/feed.js';
import { Scratch } from '../real/system.js';
import { captureFioRun, prepareBlkCapture } from './blk-capture.js';

const scratch = new Scratch();
afterAll(() => scratch.cleanup());
const why = prepareBlkCapture(scratch);
if (why) console.log(`skipped: live blkparse capture: ${why}`);

describe.skipIf(why !== undefined)('live capture', () => {
  it('fio iolog and blkparse of one run give the same I/Os, blkparse with completions', async () => {
    const c = await captureFioRun(scratch, ['--ioengine=libaio', '--rw=randrw', '--rwmixread=50', '--bs=8k', '--iodepth=8', '--number_ios=300', '--size=16M']);
    const iolog = parseTraceText('fio.iolog', c.iolog);
    const blk = parseTraceText('blkparse.txt', c.blkparse);
    const shape = (r: { direction: string; offsetBytes: number; sizeBytes: number }): string => `${r.direction} ${r.offsetBytes} ${r.sizeBytes}`;
    expect(iolog.records.length).toBe(300);
    expect(blk.records.map(shape).sort()).toEqual(iolog.records.map(shape).sort());
    expect(blk.summary.capabilities.completions).toBe(true);
    expect(blk.records.every((r) => r.completeUs !== undefined && r.completeUs >= r.timeUs)).toBe(true);
  });
});
