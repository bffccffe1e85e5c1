/** One line per traced job saying what its replay did, for the terminal and the report. Pure. */
import type { Results, ReplayResult } from '../results/types.js';
import { formatDuration } from '../scenario/units.js';
import { escapeHtml } from './html.js';

const n = (x: number): string => x.toLocaleString('en');

export function replayNote(job: string, r: ReplayResult): string {
  const parts = [`${job}: replayed ${n(r.replayed)} I/Os of ${r.file} (${r.mode === 'open' ? 'recorded times' : 'closed loop'}${r.speed !== 1 ? `, speed ${r.speed}` : ''})`];
  const skipped = [
    r.trims > 0 ? `${n(r.trims)} trims` : '',
    r.syncs > 0 ? `${n(r.syncs)} syncs` : '',
    r.otherDevice > 0 ? `${n(r.otherDevice)} records of other devices` : '',
    r.badRecords > 0 ? `${n(r.badRecords)} bad records` : '',
  ].filter(Boolean);
  if (skipped.length > 0) parts.push(`skipped ${skipped.join(', ')}`);
  if (r.remapped > 0) parts.push(`${n(r.remapped)} offsets remapped onto the job's span`);
  if (r.stalls > 0) parts.push(`${n(r.stalls)} waited for iodepth, ${formatDuration(r.stallUs)} behind the trace in all`);
  parts.push(r.endedUs !== undefined ? `the trace ended at ${formatDuration(r.endedUs)}` : `the job's runtime ended first (${n(r.records)} records read)`);
  return parts.join('; ');
}

export function replayNotes(results: Results): string[] {
  return results.jobs.filter((j) => j.replay).map((j) => replayNote(j.name, j.replay!));
}

/** A "Trace replays" section for report.html, or none without traced jobs. */
export function replaySections(results: Results): [string, string][] {
  const notes = replayNotes(results);
  return notes.length === 0 ? [] : [['Trace replays', `<pre>${escapeHtml(notes.join('\n'))}</pre>`]];
}
