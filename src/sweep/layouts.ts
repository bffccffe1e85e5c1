/**
 * Which layout wins under the SLOs. With a varied field, the larger capacity wins; a
 * capacity at the top of the range tried is only a lower bound ("≥ 48, range ceiling"),
 * so two layouts that both reach it, or reach the same value, are tied on capacity and
 * the worst p99 decides, and the verdict says so. Without a varied field, meeting the
 * SLOs comes first, then the worst p99. Equal on every count: no winner. Pure.
 */

export interface LayoutCapacity {
  /** Largest value that met the SLOs; undefined when even the smallest missed. */
  value: string | number | undefined;
  /** The largest value tried still met the SLOs: the capacity is at least `value`. */
  atCeiling: boolean;
}

export interface LayoutStanding {
  name: string;
  worstP99Us: number;
  meetsSlos: boolean;
  capacity?: LayoutCapacity;
}

export interface Verdict {
  winner?: string;
  /** One line for people: the winner and on what it won, or why there is none. */
  text: string;
}

/** "≥ 48 (range ceiling)", "12", "none". */
export function capacityText(c: LayoutCapacity | undefined): string {
  if (!c) return '-';
  if (c.value === undefined) return 'none';
  return c.atCeiling ? `≥ ${c.value} (range ceiling)` : String(c.value);
}

/** Capacity as a number for ranking: the index of the value among those tried, -1 for none. */
function capacityRank(c: LayoutCapacity | undefined, values: (string | number)[]): number {
  return c?.value === undefined ? -1 : values.indexOf(c.value);
}

const us = (x: number): string => `${x.toFixed(0)} µs`;

export function decideWinner(layouts: LayoutStanding[], varied?: (string | number)[], withSlos = true): Verdict {
  const order = [...layouts].sort((a, b) => {
    const cap = varied ? capacityRank(b.capacity, varied) - capacityRank(a.capacity, varied) : Number(b.meetsSlos) - Number(a.meetsSlos);
    return cap || a.worstP99Us - b.worstP99Us;
  });
  const [first, second] = order as [LayoutStanding, LayoutStanding];
  const capTie = varied ? capacityRank(first.capacity, varied) === capacityRank(second.capacity, varied) : first.meetsSlos === second.meetsSlos;
  if (varied && first.capacity?.value === undefined) return { text: `no winner: no layout meets the SLOs even at the smallest value tried` };
  if (!varied && !withSlos) {
    if (first.worstP99Us === second.worstP99Us) return { text: `no winner: ${first.name} and ${second.name} have the same worst p99 (${us(first.worstP99Us)})` };
    return { winner: first.name, text: `${first.name} (lowest worst p99: ${us(first.worstP99Us)} against ${us(second.worstP99Us)} on ${second.name})` };
  }
  const capLabel = varied ? `capacity ${capacityText(first.capacity)}` : first.meetsSlos ? 'meets the SLOs' : 'misses the SLOs';
  if (!capTie) return { winner: first.name, text: `${first.name} (${capLabel}; next: ${second.name}, ${varied ? `capacity ${capacityText(second.capacity)}` : 'misses the SLOs'})` };
  const tied = order.filter((l) => (varied ? capacityRank(l.capacity, varied) === capacityRank(first.capacity, varied) : l.meetsSlos === first.meetsSlos));
  const tieText = `${tied.map((l) => l.name).join(' and ')} tie on ${varied ? `capacity (${capacityText(first.capacity)})` : first.meetsSlos ? 'meeting the SLOs' : 'missing the SLOs'}`;
  if (first.worstP99Us === second.worstP99Us) return { text: `no winner: ${tieText} and on worst p99 (${us(first.worstP99Us)})` };
  return { winner: first.name, text: `${first.name} (${capLabel}): ${tieText}, decided by the worst p99 at the scenario's own load, ${us(first.worstP99Us)} against ${us(second.worstP99Us)}` };
}
