import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FioParseError, parseFioJson } from '../../src/fio/parse.js';
import { renderFioJson } from '../../src/fio/json-writer.js';
import { FioHistogram, FIO_DEFAULT_PERCENTILES, bucketValue } from '../../src/stats/fio-histogram.js';
import type { DirectionResult, Results } from '../../src/results/types.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/fio/${name}`, import.meta.url), 'utf8');

describe('parseFioJson on output captured from fio 3.33 on this machine', () => {
  it('json+: IOPS, bytes, latency stats, percentiles by number, and bins', () => {
    const text = fixture('randrw-qd4-jsonplus.json');
    const raw = JSON.parse(text).jobs[0];
    const r = parseFioJson(text);
    const read = r.jobs[0]!.read;
    expect(r.jobs[0]!.name).toBe('randrw-qd4');
    expect(read.iops).toBe(raw.read.iops);
    expect(read.ioBytes).toBe(raw.read.io_bytes);
    expect(read.clat.meanNs).toBe(raw.read.clat_ns.mean);
    expect(read.clat.percentiles!.find((p) => p.pct === 99)!.ns).toBe(raw.read.clat_ns.percentile['99.000000']);
    const binTotal = read.clat.bins!.reduce((s, [, c]) => s + c, 0);
    expect(binTotal).toBe(raw.read.total_ios);
    expect(r.jobs[0]!.options.rw).toBe('randrw');
    expect(r.jobs[0]!.cpu).toEqual({ usrPct: raw.usr_cpu, sysPct: raw.sys_cpu, ctx: raw.ctx });
  });

  it('numjobs without group_reporting: one job, IOPS summed, histograms merged, percentiles recomputed', () => {
    const text = fixture('randread-numjobs2-no-group-reporting.json');
    const raw = JSON.parse(text).jobs;
    expect(raw.length).toBe(2);
    const r = parseFioJson(text);
    expect(r.jobs.length).toBe(1);
    const d = r.jobs[0]!.read;
    expect(d.iops).toBeCloseTo(raw[0].read.iops + raw[1].read.iops, 6);
    expect(d.totalIos).toBe(raw[0].read.total_ios + raw[1].read.total_ios);
    const binTotal = d.clat.bins!.reduce((s, [, c]) => s + c, 0);
    expect(binTotal).toBe(d.totalIos);
    // p50 of the merge lies between the two jobs' p50s
    const p50 = d.clat.percentiles!.find((p) => p.pct === 50)!.ns;
    const lo = Math.min(raw[0].read.clat_ns.percentile['50.000000'], raw[1].read.clat_ns.percentile['50.000000']);
    const hi = Math.max(raw[0].read.clat_ns.percentile['50.000000'], raw[1].read.clat_ns.percentile['50.000000']);
    expect(p50).toBeGreaterThanOrEqual(lo);
    expect(p50).toBeLessThanOrEqual(hi);
  });

  it('unified_rw_reporting ("mixed") is read as one direction', () => {
    const r = parseFioJson(fixture('randrw-unified-json.json'));
    expect(r.jobs[0]!.read.totalIos).toBeGreaterThan(0);
    expect(r.jobs[0]!.read.clat.percentiles!.length).toBeGreaterThan(5);
  });

  it('several documents back to back (--status-interval): the last one is read', () => {
    const text = fixture('randread-status-interval.json');
    const r = parseFioJson(text);
    expect(r.jobs[0]!.read.runtimeMs).toBeGreaterThanOrEqual(1900);
  });
});

describe('parseFioJson on edge cases', () => {
  const base = fixture('randrw-qd4-jsonplus.json');

  it('skips text that fio prints before the JSON', () => {
    expect(parseFioJson(`fio: note: both iodepth >= 1 and synchronous I/O engine are selected\n${base}`).jobs.length).toBe(1);
  });

  it('refuses truncated output and output without JSON, with a message', () => {
    expect(() => parseFioJson(base.slice(0, base.length / 2))).toThrow(/truncated/);
    expect(() => parseFioJson('fio: failed to open file')).toThrow(FioParseError);
    expect(() => parseFioJson('{"jobs": 3}')).toThrow(/no "jobs"/);
  });

  it('reads the µs latencies of fio 2.x and its io_bytes in KiB', () => {
    const old = JSON.stringify({
      'fio version': 'fio-2.2.10',
      jobs: [{ jobname: 'old', read: { io_bytes: 1000, bw: 100, iops: 25, runtime: 10000, total_ios: 250, clat: { min: 10, max: 900, mean: 100.5, stddev: 20, percentile: { '99.00': 500 } }, lat: { min: 11, max: 901, mean: 101, stddev: 20 } }, write: {} }],
    });
    const r = parseFioJson(old);
    const d = r.jobs[0]!.read;
    expect(d.ioBytes).toBe(1000 * 1024);
    expect(d.bwBytesPerSec).toBe(100 * 1024);
    expect(d.clat.meanNs).toBe(100_500);
    expect(d.clat.percentiles![0]).toEqual({ pct: 99, ns: 500_000 });
  });

  it('trims are read when fio ran them, and written back', () => {
    const doc = JSON.parse(base);
    doc.jobs[0].trim = { ...doc.jobs[0].read, iops: 123.5 };
    const r = parseFioJson(JSON.stringify(doc));
    expect(r.jobs[0]!.trim!.iops).toBe(123.5);
    expect(parseFioJson(renderFioJson({ ...r, source: 'measured' })).jobs[0]!.trim!.totalIos).toBe(doc.jobs[0].read.total_ios);
    expect(parseFioJson(base).jobs[0]!.trim).toBeUndefined();
  });

  it('json+ bins of fio before 2.20 are keyed by bucket index', () => {
    const old = JSON.stringify({ 'fio version': 'fio-2.19', jobs: [{ jobname: 'o', read: { io_bytes: 4, iops: 1, runtime: 1000, total_ios: 3, clat: { min: 1, max: 2, mean: 1.5, stddev: 0, bins: { '130': 2, '200': 1 } } }, write: {} }] });
    expect(parseFioJson(old).jobs[0]!.read.clat.bins).toEqual([[bucketValue(130), 2], [bucketValue(200), 1]]);
  });

  it('client/server output: client_stats with hostnames and the All clients aggregate', () => {
    const job = JSON.parse(base).jobs[0];
    const doc = { 'fio version': 'fio-3.33', client_stats: [{ ...job, hostname: 'h1' }, { ...job, hostname: 'h2' }, { ...job, jobname: 'All clients' }] };
    const r = parseFioJson(JSON.stringify(doc));
    expect(r.jobs.map((j) => `${j.hostname ?? '-'} ${j.name}`)).toEqual(['h1 randrw-qd4', 'h2 randrw-qd4', '- All clients']);
  });
});

describe('round trip', () => {
  const latency = fc.record({ n: fc.integer({ min: 1, max: 1e6 }), minNs: fc.integer({ min: 0, max: 1e5 }), maxNs: fc.integer({ min: 1e5, max: 1e9 }), meanNs: fc.double({ min: 1, max: 1e6, noNaN: true }), stddevNs: fc.double({ min: 0, max: 1e6, noNaN: true }) });
  const samples = fc.array(fc.integer({ min: 1, max: 5e8 }), { minLength: 1, maxLength: 200 });
  const direction = fc.tuple(samples, latency, latency, fc.integer({ min: 1, max: 1e12 }), fc.integer({ min: 1, max: 1e6 })).map(([xs, slat, lat, bytes, runtimeMs]): DirectionResult => {
    const h = new FioHistogram();
    xs.forEach((x) => h.add(x));
    const values = h.percentiles();
    return {
      totalIos: xs.length, ioBytes: bytes, runtimeMs, iops: Math.round((xs.length / runtimeMs) * 1e9) / 1e6, bwBytesPerSec: Math.floor(bytes / runtimeMs),
      slat, lat,
      clat: { n: xs.length, minNs: Math.min(...xs), maxNs: Math.max(...xs), meanNs: 1000, stddevNs: 10, percentiles: FIO_DEFAULT_PERCENTILES.map((pct, i) => ({ pct, ns: values[i]! })), bins: h.bins() },
    };
  });

  it('any results blocksim writes as fio JSON parse back to the same results', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/), direction, direction), { minLength: 1, maxLength: 4 }), (jobs) => {
        const unique = [...new Map(jobs.map((j) => [j[0], j])).values()];
        const results: Results = { source: 'measured', version: 'fio-3.33', globalOptions: {}, devices: [], jobs: unique.map(([name, read, write]) => ({ name, options: { rw: 'randrw' }, read, write })) };
        const back = parseFioJson(renderFioJson(results));
        const round = (x: number): number => Math.round(x * 1e6) / 1e6;
        for (const [i, j] of results.jobs.entries()) {
          const b = back.jobs[i]!;
          expect(b.name).toBe(j.name);
          for (const d of ['read', 'write'] as const) {
            expect(b[d].totalIos).toBe(j[d].totalIos);
            expect(b[d].ioBytes).toBe(j[d].ioBytes);
            expect(b[d].iops).toBe(round(j[d].iops));
            expect(b[d].clat.percentiles).toEqual(j[d].clat.percentiles);
            expect(b[d].clat.bins).toEqual(j[d].clat.bins);
            expect(b[d].lat.meanNs).toBe(round(j[d].lat.meanNs));
            expect(b[d].slat.n).toBe(j[d].slat.n);
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
