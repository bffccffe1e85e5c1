/**
 * Names one entity gives for another (a volume's device, a job's volume, ...), checked on
 * the raw input. normalizeScenario checks them on typed input once the schema passes;
 * when it does not, these are reported beside the field problems, so one pass lists
 * every problem. Values that are not names are left to the schema.
 */
import type { Issue } from './issues.js';

type Dict = Record<string, unknown>;

const dict = (v: unknown): Dict => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Dict) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const known = (names: string[]): string => names.join(', ') || 'none';

export function referenceIssues(raw: unknown): Issue[] {
  const input = dict(raw);
  const devices = Object.keys(dict(input.devices));
  const pools = Object.keys(dict(input.pools));
  const volumes = Object.keys(dict(input.volumes));
  const issues: Issue[] = [];
  const check = (value: unknown, names: string[], path: string, kind: string, listNames = true): void => {
    if (typeof value !== 'string' || names.includes(value)) return;
    issues.push({ path, message: `no ${kind} named ${JSON.stringify(value)}${listNames ? ` (${kind}s: ${known(names)})` : ''}` });
  };
  for (const [name, p] of Object.entries(dict(input.pools))) {
    list(dict(p).devices).forEach((d, i) => check(d, devices, `pools.${name}.devices[${i}]`, 'device', false));
  }
  for (const [name, v] of Object.entries(dict(input.volumes))) {
    const vol = dict(v);
    check(vol.device, devices, `volumes.${name}.device`, 'device');
    check(vol.pool, pools, `volumes.${name}.pool`, 'pool');
    list(dict(vol.replicated).devices).forEach((d, i) => check(d, devices, `volumes.${name}.replicated.devices[${i}]`, 'device'));
  }
  for (const [name, c] of Object.entries(dict(input.containers))) {
    const container = dict(c);
    list(container.volumes).forEach((v, i) => check(v, volumes, `containers.${name}.volumes[${i}]`, 'volume'));
    for (const [job, j] of Object.entries(dict(container.jobs))) check(dict(j).volume, volumes, `containers.${name}.jobs.${job}.volume`, 'volume');
  }
  return issues;
}
