/**
 * One fio job file per container replica, cut from the scenario's whole job file (the
 * one `blocksim fio jobfile` writes), so pods run exactly those sections. Each file keeps
 * the [global] section; only its randseed moves by the replica's position in the
 * scenario: fio seeds a job from randseed and its thread number within one fio process,
 * so replicas in separate pods would otherwise draw the same offsets (and a shared
 * volume's cache would serve the second). Replica 0 of the first container keeps the
 * scenario's seed. Pure.
 */
import type { Scenario } from '../scenario/types.js';
import { jobName } from '../results/names.js';
import { renderJobFile, type Targets } from '../fio/jobfile.js';

/** Where a volume appears in a pod, through fio's own ${VAR} expansion in option values. */
export const VOLUMES_VAR = 'BLOCKSIM_VOLUMES';

export type VolumeMode = 'block' | 'filesystem';

export function podTargets(scenario: Scenario, mode: VolumeMode): Targets {
  return Object.fromEntries(scenario.volumes.map((v) => [v.name, mode === 'block' ? `\${${VOLUMES_VAR}}/${v.name}` : `\${${VOLUMES_VAR}}/${v.name}/blocksim.dat`]));
}

export interface ReplicaJobFile {
  container: string;
  replica: number;
  text: string;
}

interface Block {
  header?: string;
  lines: string[];
}

/** The job file as blocks: the preamble, then one block per [section]. */
function blocksOf(text: string): Block[] {
  const blocks: Block[] = [{ lines: [] }];
  for (const line of text.split('\n')) {
    const m = /^\[(.+)\]$/.exec(line);
    if (m) blocks.push({ header: m[1]!, lines: [line] });
    else blocks[blocks.length - 1]!.lines.push(line);
  }
  return blocks;
}

function withSeed(lines: string[], seed: bigint): string[] {
  return lines.map((l) => (l.startsWith('randseed=') ? `randseed=${seed}` : l));
}

export function replicaJobFiles(scenario: Scenario, mode: VolumeMode): ReplicaJobFile[] {
  const blocks = blocksOf(renderJobFile(scenario, podTargets(scenario, mode)));
  const preamble = blocks.filter((b) => b.header === undefined || b.header === 'global');
  const sections = new Map(blocks.filter((b) => b.header !== undefined && b.header !== 'global').map((b) => [b.header!, b]));
  const out: ReplicaJobFile[] = [];
  let position = 0n;
  for (const c of scenario.containers) {
    for (let replica = 0; replica < c.replicas; replica++, position++) {
      const seed = BigInt(scenario.seed) + position;
      const lines = preamble.flatMap((b) => withSeed(b.lines, seed));
      for (const job of c.jobs) {
        const name = jobName(c.name, replica, c.replicas, job.name);
        const block = sections.get(name);
        if (!block) throw new Error(`job file has no section [${name}]`);
        lines.push(...block.lines);
      }
      out.push({ container: c.name, replica, text: lines.join('\n') });
    }
  }
  return out;
}
