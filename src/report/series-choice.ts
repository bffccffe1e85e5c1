/**
 * Which series a chart of a large run shows, and how replicas fold. A reviewer needs the
 * jobs with the worst tail and the jobs doing the most I/O, not the first names in the
 * file: half the series are the worst p99, the rest the highest IOPS. Replicas of one
 * container job (`db.0.oltp`, `db.1.oltp`, ...) are one series `db.oltp`, drawn as the
 * median replica with a band from the lowest to the highest. Pure.
 */
import type { Results } from '../results/types.js';
import { medianSorted } from 'simple-statistics';
import { clatPercentileNs } from '../results/read.js';

/** `db.3.oltp` → `db.oltp` (also inside "db.3.oltp read"); other names unchanged. */
export function foldReplica(name: string): string {
  return name.replace(/^([^.\s]+)\.\d+\.([^.\s]+)/, '$1.$2');
}

export interface Ranked {
  name: string;
  p99: number;
  iops: number;
}

/**
 * Up to `max` items: the ceil(max/2) with the worst p99, then the highest IOPS among
 * the rest; and the phrase that says so. Order: as chosen.
 */
export function worstAndBusiest<T extends Ranked>(items: T[], max: number, noun: string): { shown: T[]; note?: string } {
  if (items.length <= max) return { shown: items };
  const byP99 = [...items].sort((a, b) => b.p99 - a.p99 || a.name.localeCompare(b.name));
  const worst = byP99.slice(0, Math.ceil(max / 2));
  const taken = new Set(worst.map((x) => x.name));
  const busiest = [...items].filter((x) => !taken.has(x.name)).sort((a, b) => b.iops - a.iops || a.name.localeCompare(b.name)).slice(0, max - worst.length);
  return { shown: [...worst, ...busiest], note: `${max} of ${items.length.toLocaleString('en')} ${noun}: the ${worst.length} with the worst p99 and the ${busiest.length} with the highest IOPS` };
}

export interface JobGroup extends Ranked {
  /** Job names (replicas) in the group. */
  members: string[];
}

/** Jobs folded by replica, with the worst p99 (µs, any replica and direction) and IOPS per replica. */
export function jobGroups(results: Results): JobGroup[] {
  const groups = new Map<string, JobGroup>();
  for (const j of results.jobs) {
    const name = foldReplica(j.name);
    const g = groups.get(name) ?? { name, members: [], p99: 0, iops: 0 };
    const p99 = Math.max(...(['read', 'write'] as const).map((d) => (j[d].totalIos > 0 ? clatPercentileNs(j[d], 99) / 1e3 : 0)).filter(Number.isFinite), 0);
    g.p99 = Math.max(g.p99, p99);
    g.iops += j.read.iops + j.write.iops;
    g.members.push(j.name);
    groups.set(name, g);
  }
  for (const g of groups.values()) g.iops /= g.members.length;
  return [...groups.values()];
}

export interface BandRow {
  t: number;
  name: string;
  value: number;
  lo: number;
  hi: number;
}

/** Per series and time: the median member, and the lowest and highest member. */
export function foldRows(rows: { t: number; name: string; value: number }[], groupOf: Map<string, string>): BandRow[] {
  const at = new Map<string, { t: number; name: string; values: number[] }>();
  for (const r of rows) {
    const g = groupOf.get(r.name);
    if (g === undefined) continue;
    const key = `${g}\u0000${r.t}`;
    const e = at.get(key) ?? { t: r.t, name: g, values: [] };
    e.values.push(r.value);
    at.set(key, e);
  }
  return [...at.values()].map(({ t, name, values }) => {
    const s = values.sort((a, b) => a - b);
    return { t, name, value: medianSorted(s), lo: s[0]!, hi: s[s.length - 1]! };
  });
}
