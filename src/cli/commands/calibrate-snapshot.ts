/**
 * `blocksim calibrate --before RUNS --after RUNS`: a device profile from the runs before a
 * snapshot and the snapshot's first-write cost from the runs after it, in the order they
 * ran (compare/snapshot-calibrate.ts). Prints what it fitted and the error of each run
 * simulated in order; writes the profile with a `snapshots` block to paste into a volume.
 */
import { basename, dirname } from 'node:path';
import { Document } from 'yaml';
import { loadFioFiles } from '../../adapters/load-fio.js';
import { writeFilesAtomically } from '../../adapters/write-files.js';
import type { MeasuredInput } from '../../compare/measured-points.js';
import { calibrateSnapshot, type SnapshotCalibration } from '../../compare/snapshot-calibrate.js';
import { VERSION } from '../../version.js';
import { UsageError } from '../exit.js';

const us = (x: number): string => `${Number(x.toFixed(2))}us`;

/** The profile document, with the snapshot block a scenario's volume takes as it is. */
export function snapshotProfileYaml(name: string, c: SnapshotCalibration, before: string[], after: string[]): string {
  const fw = c.snapshot.firstWrite;
  const snapshots = { chunk: c.chunkBytes, mode: 'row', firstWrite: { submit: us(fw.submitUs), background: us(fw.backgroundUs), device: us(fw.deviceUs), ...(fw.stall ? { stall: { every: fw.stall.every, duration: us(fw.stall.durationUs) } } : {}) } };
  const doc = new Document({ name, description: `calibrated by blocksim ${VERSION} from ${before.length} fio runs before a snapshot and ${after.length} after it`, ...(c.fit.host ? { host: c.fit.host } : {}), device: c.fit.device, snapshots });
  doc.commentBefore = [
    ` blocksim device profile "${name}" with a snapshot's first-write cost, fitted by \`blocksim calibrate --before --after\``,
    ' runs before the snapshot (the device profile):',
    ...before.map((s) => `   ${s}`),
    ' runs after it, in the order they ran (the first one fits the first-write cost):',
    ...after.map((s) => `   ${s}`),
    ' Where each number came from:',
    ...c.fit.notes.map((n) => `   - ${n}`),
    ...c.snapshot.notes.map((n) => `   - ${n}`),
    ...(c.fit.undetermined.length > 0 ? [' Not determined by these runs (guessed):', ...c.fit.undetermined.map((n) => `   - ${n}`)] : []),
    ' snapshots: paste under volumes.<name>.snapshots of a volume on this device (with every/at, or phases with - snapshot: <name>);',
    ' firstWrite.background holds the host\'s cores only when the scenario has host (cores)',
  ].join('\n');
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

const pct = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%` : '-').padStart(8);

export function snapshotReport(c: SnapshotCalibration): string {
  const fw = c.snapshot.firstWrite;
  const head = `  ${'run'.padEnd(24)} ${'role'.padEnd(15)} dir   ${'IOPS meas'.padStart(10)} ${'pred'.padStart(9)}     IOPS      p50      p99`;
  const rows = c.predictions.map((p) => `  ${p.file.padEnd(24)} ${p.role.padEnd(15)} ${p.direction.padEnd(5)} ${p.measured.iops.toFixed(0).padStart(10)} ${p.predicted.iops.toFixed(0).padStart(9)} ${pct(p.iops)} ${pct(p.p50)} ${pct(p.p99)}`);
  return [
    'device profile (from the runs before the snapshot):',
    ...c.fit.notes.map((n) => `- ${n}`),
    '',
    `first-write cost per ${c.chunkBytes}-byte chunk: submit ${fw.submitUs.toFixed(1)} µs, background ${fw.backgroundUs.toFixed(1)} µs, device ${fw.deviceUs.toFixed(1)} µs${fw.stall ? `, a stall of ${fw.stall.durationUs.toFixed(0)} µs every ${fw.stall.every} first writes` : ''}`,
    ...c.snapshot.notes.map((n) => `- ${n}`),
    ...c.snapshot.shares.map((s) => `- ${s.file}: ${Math.round(s.firstWrites)} first writes of ${Math.round(s.writes)} writes (${(s.share * 100).toFixed(1)} %)`),
    '',
    'the runs simulated in order, snapshot between them (error = (predicted − measured) / measured):',
    head,
    ...rows,
  ].join('\n');
}

/** Runs after the snapshot one by one: a folder has no order. */
async function loadInOrder(paths: string[]): Promise<MeasuredInput[]> {
  const out: MeasuredInput[] = [];
  for (const p of paths) {
    const runs = await loadFioFiles([p]);
    if (runs.length !== 1) throw new UsageError(`--after ${p}: ${runs.length} runs in a folder; list the runs after the snapshot one by one, in the order they ran`);
    out.push(runs[0]!);
  }
  return out;
}

export async function runSnapshotCalibration(args: { before: string[]; after: string[]; name: string; o?: string; cores?: number; pool: 'named' | 'repeat'; quiet?: boolean }): Promise<void> {
  const before = await loadFioFiles(args.before);
  const after = await loadInOrder(args.after);
  const c = calibrateSnapshot(before, after, { pool: args.pool, ...(args.cores !== undefined ? { cores: args.cores } : {}) });
  const yaml = snapshotProfileYaml(args.name, c, before.map((i) => i.file), after.map((i) => i.file));
  if (!args.quiet) console.error(snapshotReport(c));
  if (args.o) {
    await writeFilesAtomically(dirname(args.o), { [basename(args.o)]: yaml });
    if (!args.quiet) console.error(`\nprofile: ${args.o}  (use it with  profile: ./${basename(args.o)}, and its snapshots block in a volume)`);
  } else process.stdout.write(yaml);
}
