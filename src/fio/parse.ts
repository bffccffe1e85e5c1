/**
 * fio's JSON (and json+) output to the shared Results type. Pure. Reads fio 3.x:
 * `jobs` or `client_stats` (client/server mode, with `hostname` and the "All clients"
 * aggregate); `clat_ns`/`lat_ns`/`slat_ns`, and the µs `clat`/`lat`/`slat` of fio before
 * 3.0; percentiles matched numerically ("99.000000" or "99.00"); json+ `bins` keyed by
 * latency in ns; `read`, `write`, `trim` (kept when it has I/O; the simulator does not
 * model trims) and `mixed` under unified_rw_reporting, reported as read. Jobs that
 * share a name (numjobs without group_reporting) are merged: IOPS and bytes add up,
 * histograms merge, percentiles are recomputed from the merged bins and never averaged. Text before the JSON (fio's warnings) is skipped; of several documents
 * back to back (--status-interval) the last is read; anything else is refused with a
 * message, never a stack trace.
 */
import type { DirectionResult, JobResult, LatencyStats, Results } from '../results/types.js';
import { FIO_DEFAULT_PERCENTILES, FioHistogram, PLAT_NR, bucketIndex } from '../stats/fio-histogram.js';
import { poolLatency } from '../results/read.js';

export class FioParseError extends Error {
  override name = 'FioParseError';
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : 0);

/** The last complete top-level JSON object in the text. */
export function extractJson(text: string): Json {
  const docs: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"' && depth > 0) inString = true;
    else if (ch === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (ch === '}' && depth > 0) {
      depth--;
      if (depth === 0) docs.push(text.slice(start, i + 1));
    }
  }
  const candidates = docs.filter((d) => /"(jobs|client_stats)"\s*:/.test(d));
  if (candidates.length === 0) {
    if (depth > 0) throw new FioParseError('the fio output is truncated: a JSON document starts but never ends (was fio killed?)');
    throw new FioParseError('no fio JSON found: expected output of fio --output-format=json or json+');
  }
  try {
    return JSON.parse(candidates[candidates.length - 1]!) as Json;
  } catch (err) {
    throw new FioParseError(`the fio JSON does not parse: ${(err as Error).message}`);
  }
}

/** How a fio version wrote its output: io_bytes in KiB before 3.0; json+ bins keyed by bucket index before 2.20. */
interface Dialect {
  legacyKib: boolean;
  binsByIndex: boolean;
}

function latency(dir: Json, key: 'clat' | 'lat' | 'slat', dialect: Dialect): { stats: LatencyStats; hist?: FioHistogram } {
  const ns = dir[`${key}_ns`];
  const us = dir[key];
  const src = isObj(ns) ? ns : isObj(us) ? us : undefined;
  const scale = isObj(ns) ? 1 : 1000;
  if (!src) return { stats: { n: 0, minNs: 0, maxNs: 0, meanNs: 0, stddevNs: 0 } };
  const stats: LatencyStats = {
    n: num(src.N ?? (src as Json).samples),
    minNs: num(src.min) * scale,
    maxNs: num(src.max) * scale,
    meanNs: num(src.mean) * scale,
    stddevNs: num(src.stddev) * scale,
  };
  let hist: FioHistogram | undefined;
  if (isObj(src.bins)) {
    hist = new FioHistogram();
    for (const [k, v] of Object.entries(src.bins)) hist.addCount(dialect.binsByIndex ? Math.min(PLAT_NR - 1, num(k)) : bucketIndex(num(k) * scale), num(v));
  }
  if (isObj(src.percentile)) {
    stats.percentiles = Object.entries(src.percentile)
      .map(([k, v]) => ({ pct: Number(k), ns: num(v) * scale }))
      .filter((p) => Number.isFinite(p.pct))
      .sort((a, b) => a.pct - b.pct);
  }
  if (hist) stats.bins = hist.bins();
  if (stats.n === 0 && hist) stats.n = hist.total;
  return { stats, ...(hist ? { hist } : {}) };
}

interface Partial {
  dir: DirectionResult;
  hist?: FioHistogram;
}

/** fio before 3.0 wrote io_bytes in KiB (3.x: bytes, with io_kbytes beside it). */
function direction(d: unknown, dialect: Dialect): Partial {
  const o = isObj(d) ? d : {};
  const clat = latency(o, 'clat', dialect);
  const runtimeMs = num(o.runtime);
  const ioBytes = o.io_kbytes !== undefined ? (o.io_bytes !== undefined ? num(o.io_bytes) : num(o.io_kbytes) * 1024) : num(o.io_bytes) * (dialect.legacyKib ? 1024 : 1);
  return {
    dir: {
      totalIos: num(o.total_ios),
      ioBytes,
      runtimeMs,
      iops: num(o.iops),
      bwBytesPerSec: o.bw_bytes !== undefined ? num(o.bw_bytes) : num(o.bw) * 1024,
      slat: latency(o, 'slat', dialect).stats,
      clat: clat.stats,
      lat: latency(o, 'lat', dialect).stats,
    },
    ...(clat.hist ? { hist: clat.hist } : {}),
  };
}

const mergeLatency = (a: LatencyStats, b: LatencyStats): LatencyStats => poolLatency([a, b]);

function mergeDirection(a: Partial, b: Partial): Partial {
  let hist: FioHistogram | undefined;
  if (a.hist && b.hist) {
    hist = new FioHistogram();
    hist.merge(a.hist);
    hist.merge(b.hist);
  }
  const clat = mergeLatency(a.dir.clat, b.dir.clat);
  if (hist) {
    const values = hist.percentiles(FIO_DEFAULT_PERCENTILES);
    clat.percentiles = FIO_DEFAULT_PERCENTILES.map((pct, i) => ({ pct, ns: values[i]! }));
    clat.bins = hist.bins();
  }
  return {
    dir: {
      totalIos: a.dir.totalIos + b.dir.totalIos,
      ioBytes: a.dir.ioBytes + b.dir.ioBytes,
      runtimeMs: Math.max(a.dir.runtimeMs, b.dir.runtimeMs),
      iops: a.dir.iops + b.dir.iops,
      bwBytesPerSec: a.dir.bwBytesPerSec + b.dir.bwBytesPerSec,
      slat: mergeLatency(a.dir.slat, b.dir.slat),
      clat,
      lat: mergeLatency(a.dir.lat, b.dir.lat),
    },
    ...(hist ? { hist } : {}),
  };
}

function stringMap(v: unknown): Record<string, string> {
  const src = Array.isArray(v) ? v[0] : v;
  if (!isObj(src)) return {};
  return Object.fromEntries(Object.entries(src).map(([k, x]) => [k, String(x)]));
}

/** fio's usr_cpu / sys_cpu (% of one core per thread) and ctx, when the job has them. */
function cpuOf(raw: Record<string, unknown>): { cpu?: { usrPct: number; sysPct: number; ctx: number } } {
  const usr = raw.usr_cpu;
  const sys = raw.sys_cpu;
  if (typeof usr !== 'number' || typeof sys !== 'number' || !Number.isFinite(usr) || !Number.isFinite(sys)) return {};
  return { cpu: { usrPct: usr, sysPct: sys, ctx: typeof raw.ctx === 'number' ? raw.ctx : 0 } };
}

export function parseFioJson(text: string): Results {
  const doc = extractJson(text);
  const list = Array.isArray(doc.jobs) ? doc.jobs : Array.isArray(doc.client_stats) ? doc.client_stats : undefined;
  if (!list) throw new FioParseError('the fio JSON has no "jobs" or "client_stats" list');
  const v = /^fio-(\d+)\.(\d+)/.exec(String(doc['fio version'] ?? ''));
  const major = v ? Number(v[1]) : 3;
  const minor = v ? Number(v[2]) : 0;
  const dialect: Dialect = { legacyKib: major < 3, binsByIndex: major < 2 || (major === 2 && minor < 20) };
  const byName = new Map<string, { job: JobResult; read: Partial; write: Partial; trim: Partial }>();
  for (const raw of list) {
    if (!isObj(raw)) continue;
    const name = String(raw.jobname ?? '');
    const host = typeof raw.hostname === 'string' ? raw.hostname : undefined;
    const key = host === undefined || name === 'All clients' ? name : `${host}/${name}`;
    const unified = isObj(raw.mixed);
    const read = direction(unified ? raw.mixed : raw.read, dialect);
    const write = direction(unified ? {} : raw.write, dialect);
    const trim = direction(unified ? {} : raw.trim, dialect);
    const seen = byName.get(key);
    if (seen) {
      seen.read = mergeDirection(seen.read, read);
      seen.write = mergeDirection(seen.write, write);
      seen.trim = mergeDirection(seen.trim, trim);
    } else {
      byName.set(key, { job: { name, ...(host !== undefined ? { hostname: host } : {}), options: stringMap(raw['job options']), read: read.dir, write: write.dir, ...cpuOf(raw) }, read, write, trim });
    }
  }
  if (byName.size === 0) throw new FioParseError('the fio JSON lists no jobs');
  const version = typeof doc['fio version'] === 'string' ? doc['fio version'] : 'fio';
  return {
    source: 'measured',
    version,
    globalOptions: stringMap(doc['global options']),
    jobs: [...byName.values()].map(({ job, read, write, trim }) => ({ ...job, read: read.dir, write: write.dir, ...(trim.dir.totalIos > 0 ? { trim: trim.dir } : {}) })),
    devices: [],
  };
}
