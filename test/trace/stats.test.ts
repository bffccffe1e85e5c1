/** Trace statistics on small traces whose figures are computed by hand. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTraceText } from '../../src/trace/feed.js';
import type { TraceDirection, TraceRecord } from '../../src/trace/record.js';
import { TraceStatsAccumulator, type TraceStatsOptions } from '../../src/trace/stats.js';
import type { TraceStats } from '../../src/trace/stats-result.js';

const KiB = 1024;

function rec(timeUs: number, direction: TraceDirection, offsetBytes: number, sizeBytes: number, file = 'f', completeUs?: number): TraceRecord {
  return { timeUs, offsetBytes, sizeBytes, direction, file, completeUs, line: 0 };
}

function statsOf(records: TraceRecord[], options: TraceStatsOptions = {}, completions = false): TraceStats {
  const acc = new TraceStatsAccumulator(options);
  for (const r of records) acc.add(r);
  return acc.result({ completions, times: true });
}

describe('sequential fraction', () => {
  it('counts I/Os that start where a recent one of the same file and direction ended', () => {
    const s = statsOf([
      rec(0, 'read', 0, 4 * KiB),
      rec(1, 'read', 4 * KiB, 4 * KiB), // sequential
      rec(2, 'read', 8 * KiB, 8 * KiB), // sequential
      rec(3, 'read', 100 * KiB, 4 * KiB), // random
      rec(4, 'read', 16 * KiB, 4 * KiB), // continues the first stream
      rec(5, 'write', 20 * KiB, 4 * KiB), // a write does not continue reads
      rec(6, 'write', 24 * KiB, 4 * KiB), // sequential write
      rec(7, 'read', 20 * KiB, 4 * KiB, 'g'), // another file
    ]);
    expect(s.read.sequentialFraction).toBe(3 / 6);
    expect(s.write.sequentialFraction).toBe(1 / 2);
  });

  it('recognises interleaved sequential streams', () => {
    const rs: TraceRecord[] = [];
    for (let i = 0; i < 10; i++) rs.push(rec(2 * i, 'read', i * 8 * KiB, 8 * KiB), rec(2 * i + 1, 'read', 2 ** 30 + i * 8 * KiB, 8 * KiB));
    expect(statsOf(rs).read.sequentialFraction).toBe(18 / 20);
  });
});

describe('working set and reuse distance', () => {
  // blocks A B C A B (4 KiB blocks): stack distances 2 and 2
  const abcab = [0, 1, 2, 0, 1].map((b, i) => rec(i, 'read', b * 4 * KiB, 4 * KiB));

  it('counts distinct blocks and stack distances exactly while under the sampling budget', () => {
    const s = statsOf(abcab);
    expect(s.workingSet).toMatchObject({ bytes: 12 * KiB, readBytes: 12 * KiB, writtenBytes: 0, exact: true, samplingRate: 1 });
    expect(s.reuse.references).toBe(5);
    expect(s.reuse.reReferenceFraction).toBe(2 / 5);
    expect(s.reuse.distances).toEqual([{ fromBytes: 2 * 4 * KiB, share: 1 }]);
    const hit = (bytes: number): number => s.reuse.curve.find((c) => c.cacheBytes === bytes)!.hitRatio;
    expect(hit(8 * KiB)).toBe(0); // a 2-block LRU cache misses both re-references
    expect(hit(16 * KiB)).toBe(2 / 5); // 4 blocks: both hit
  });

  it('splits I/Os into the blocks they touch and tells read from written blocks', () => {
    const s = statsOf([rec(0, 'read', 2 * KiB, 8 * KiB), rec(1, 'write', 8 * KiB, 4 * KiB), rec(2, 'write', 64 * KiB, 512)], { blockBytes: 4 * KiB });
    // read touches blocks 0, 1, 2; write block 2; write block 16
    expect(s.workingSet).toMatchObject({ bytes: 16 * KiB, readBytes: 12 * KiB, writtenBytes: 8 * KiB });
    expect(s.reuse.references).toBe(5);
    expect(s.reuse.reReferenceFraction).toBeCloseTo(1 / 5, 12);
    expect(s.reuse.distances).toEqual([{ fromBytes: 0, share: 1 }]); // block 2 again, right after
  });

  it('keeps blocks of different files apart', () => {
    const s = statsOf([rec(0, 'read', 0, 4 * KiB, 'a'), rec(1, 'read', 0, 4 * KiB, 'b'), rec(2, 'read', 0, 4 * KiB, 'a')]);
    expect(s.workingSet.bytes).toBe(8 * KiB);
    expect(s.reuse.distances).toEqual([{ fromBytes: 4 * KiB, share: 1 }]);
    expect(s.files).toEqual([['a', 2], ['b', 1]]);
  });
});

describe('mix, sizes, rates and time', () => {
  it('computes shares, sizes and rates over the span from first to last issue', () => {
    const rs = [rec(0, 'read', 0, 4 * KiB), rec(250_000, 'write', 0, 16 * KiB), rec(500_000, 'read', 0, 4 * KiB), rec(750_000, 'read', 0, 8 * KiB), rec(1_000_000, 'trim', 0, 1 << 20), rec(1_000_000, 'sync', 0, 0)];
    const s = statsOf(rs);
    expect(s.durationUs).toBe(1e6);
    expect(s.read.ios).toBe(3);
    expect(s.read.iops).toBe(3);
    expect(s.read.bandwidthBytesPerSec).toBe(16 * KiB);
    expect(s.write.iops).toBe(1);
    expect(s.readShareIos).toBe(3 / 4);
    expect(s.readShareBytes).toBe(16 / 32);
    expect(s.read.sizes).toEqual([[4 * KiB, 2], [8 * KiB, 1]]);
    expect(s.trims).toEqual({ ios: 1, bytes: 1 << 20 });
    expect(s.syncs).toBe(1);
    expect(s.read.meanGapUs).toBe(375_000);
    expect(s.read.gapCv).toBeCloseTo(Math.SQRT2 * (125_000 / 375_000), 12); // gaps 500k and 250k
  });

  it('keeps at most 512 time bins, and every I/O in them', () => {
    const rs: TraceRecord[] = [];
    for (let i = 0; i < 20_000; i++) rs.push(rec(i * 1000, i % 4 === 0 ? 'write' : 'read', i * 4096, 4096)); // 20 s at 1000 IOPS
    const s = statsOf(rs);
    expect(s.timeline.bins.length).toBeLessThanOrEqual(512);
    expect(s.timeline.bins.length).toBeGreaterThan(256);
    expect(s.timeline.bins.reduce((a, b) => a + b.readIos + b.writeIos, 0)).toBe(20_000);
    const mid = s.timeline.bins[100]!;
    expect((mid.readIos + mid.writeIos) / (s.timeline.binUs / 1e6)).toBeCloseTo(1000, 6);
    // 20,000 distinct blocks pass the 2^14 sampling budget: an estimate, within 3 standard errors (1/sqrt(2^13))
    expect(s.workingSet.exact).toBe(false);
    expect(Math.abs(s.timeline.bins.at(-1)!.distinctBytes / (20_000 * 4096) - 1)).toBeLessThan(3 / Math.sqrt(2 ** 13));
    expect(s.timeline.bins.at(-1)!.distinctBytes).toBe(s.workingSet.bytes);
    expect(s.outOfOrder).toBe(0);
  });

  it('says a trace without times has no rates', () => {
    const { records, summary } = parseTraceText('v2', 'fio version 2 iolog\n/f read 0 4096\n/f read 4096 4096\n');
    const acc = new TraceStatsAccumulator();
    records.forEach((r) => acc.add(r));
    const s = acc.result(summary.capabilities);
    expect(s.timed).toBe(false);
    expect(Number.isNaN(s.read.iops)).toBe(true);
    expect(s.timeline.bins).toEqual([]);
  });
});

describe('queue depth', () => {
  it('counts I/Os in flight at each issue and averages them by Little’s law', () => {
    const s = statsOf([rec(0, 'read', 0, 4096, 'f', 100), rec(10, 'read', 8192, 4096, 'f', 50), rec(60, 'write', 0, 4096, 'f', 200), rec(250, 'read', 0, 4096, 'f', 300)], {}, true);
    expect(s.depth.known).toBe(true);
    if (!s.depth.known) return;
    expect(s.depth.atIssue).toEqual([[1, 2], [2, 2]]);
    expect(s.depth.maxInflight).toBe(2);
    expect(s.depth.meanInflight).toBeCloseTo((100 + 40 + 140 + 50) / 300, 12);
    expect(s.depth.latencyMeanUs).toBe(330 / 4);
    expect(s.depth.latencyMaxUs).toBe(140);
  });

  it('says when the format cannot tell', () => {
    const s = statsOf([rec(0, 'read', 0, 4096)]);
    expect(s.depth).toMatchObject({ known: false });
  });

  it('is measured on a real blkparse capture: fio ran at iodepth 4, so no issue saw more than 4 in flight', () => {
    const { records, summary } = parseTraceText('b', readFileSync(join(import.meta.dirname, '../fixtures/trace/loop-randrw.blkparse.txt'), 'utf8'));
    const acc = new TraceStatsAccumulator();
    records.forEach((r) => acc.add(r));
    const s = acc.result(summary.capabilities);
    expect(s.depth.known).toBe(true);
    if (!s.depth.known) return;
    expect(s.depth.maxInflight).toBeGreaterThanOrEqual(1);
    expect(s.depth.maxInflight).toBeLessThanOrEqual(4);
    expect(s.depth.ios).toBe(111);
  });
});
