/** Reads and validates a cluster file (blocksim place), and the profile files its node types name. */
import { parse } from 'yaml';
import { InputError } from '../scenario/issues.js';
import { isProfilePath } from '../scenario/normalize.js';
import { parseClusterText } from '../place/cluster.js';
import type { Cluster } from '../place/types.js';
import { readProfile, readScenarioText } from './load-scenario.js';

async function readProfileFiles(file: string, text: string): Promise<Record<string, unknown>> {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch {
    return {}; // the cluster parser reports the syntax error
  }
  const out: Record<string, unknown> = {};
  const types = (raw as { nodeTypes?: Record<string, { devices?: Record<string, { profile?: unknown }> }> } | null)?.nodeTypes;
  if (!types || typeof types !== 'object') return out;
  for (const [t, nt] of Object.entries(types)) {
    const devices = nt && typeof nt === 'object' ? nt.devices : undefined;
    if (!devices || typeof devices !== 'object') continue;
    for (const [d, dev] of Object.entries(devices)) {
      const p = dev && typeof dev === 'object' ? dev.profile : undefined;
      if (typeof p !== 'string' || !isProfilePath(p) || p in out) continue;
      out[p] = await readProfile(file, p, `nodeTypes.${t}.devices.${d}.profile`);
    }
  }
  return out;
}

/** Reads, parses and validates; throws InputError with every problem found. */
export async function loadCluster(file: string): Promise<{ cluster: Cluster; text: string }> {
  const text = await readScenarioText(file);
  const parsed = parseClusterText(text, await readProfileFiles(file, text));
  if (!parsed.ok) throw new InputError(file, parsed.issues);
  return { cluster: parsed.cluster, text };
}
