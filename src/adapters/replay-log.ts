/**
 * The measured half of a replay: fio cannot read blkparse text or csv, and cannot wrap
 * offsets, so each traced job's trace is streamed once through the replay's mapping
 * (model/replay-map.ts, the simulator's own) into a fio version 3 iolog next to the job
 * file, `<container>.<job>.iolog`, which the job file names in read_iolog.
 *
 *   trace ─openTrace─▶ records ─ReplayMapper─▶ iolog v3 lines ─▶ <dir>/<container>.<job>.iolog
 */
import { mkdir, open } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { iologHead, iologIo, replayKey } from '../fio/replay-iolog.js';
import type { Scenario, TraceReplaySpec } from '../scenario/types.js';
import { ReplayMapper, type ReplayCounts } from '../model/replay-map.js';
import { openTrace } from './trace-reader.js';
import { FileTraceSources } from './trace-source.js';
import { OutsideError } from './errors.js';

export interface ReplayLog {
  /** Absolute path of the iolog written. */
  path: string;
  counts: ReplayCounts;
}

/** Writes the iolog of every traced job into `dir`; returns them by replayKey. */
export async function writeReplayLogs(scenarioFile: string, scenario: Scenario, dir: string): Promise<Record<string, ReplayLog>> {
  const logs: Record<string, ReplayLog> = {};
  await mkdir(dir, { recursive: true }).catch((err: Error) => {
    throw new OutsideError(`cannot create ${dir} for the replay logs: ${err.message}`, { cause: err });
  });
  const sources = new FileTraceSources(dirname(scenarioFile));
  try {
    for (const c of scenario.containers) {
      for (const job of c.jobs) {
        const spec = job.trace;
        const key = replayKey(c.name, job);
        if (!spec || logs[key]) continue;
        const traceSize = spec.remap === 'scale' && spec.traceSizeBytes === undefined ? sources.traceSizeBytes(spec) : undefined;
        const path = sources.pathOf(spec);
        const mapper = new ReplayMapper(spec, { offsetBytes: job.spanOffsetBytes, sizeBytes: job.spanSizeBytes }, path, traceSize);
        const out = resolve(dir, `${key}.iolog`);
        await convert(path, spec, mapper, job.volume, out);
        logs[key] = { path: out, counts: mapper.counts };
      }
    }
  } finally {
    sources.close();
  }
  return logs;
}

async function convert(path: string, spec: TraceReplaySpec, mapper: ReplayMapper, name: string, out: string): Promise<void> {
  const reader = await openTrace(path, { ...(spec.format ? { format: spec.format } : {}), skipBad: spec.skipBad });
  let fh;
  try {
    fh = await open(out, 'w');
  } catch (err) {
    throw new OutsideError(`cannot write the replay log ${out}: ${(err as Error).message}`, { cause: err });
  }
  try {
    let text = iologHead(name);
    for await (const batch of reader.batches()) {
      for (const r of batch) if (mapper.accept(r)) text += iologIo(mapper.elapsedUs, name, mapper.dir, mapper.offsetBytes, mapper.sizeBytes);
      if (text.length > 1 << 20) {
        await fh.write(text);
        text = '';
      }
    }
    await fh.write(text);
  } finally {
    await fh.close();
  }
}
