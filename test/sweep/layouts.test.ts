import { describe, expect, it } from 'vitest';
import { capacityText, decideWinner, type LayoutStanding } from '../../src/sweep/layouts.js';
import { foldReplica, layoutP99Chart } from '../../src/report/layout-charts.js';

const range = Array.from({ length: 48 }, (_, i) => i + 1);
const at = (name: string, value: number | undefined, atCeiling: boolean, worstP99Us: number): LayoutStanding => ({ name, worstP99Us, meetsSlos: true, capacity: { value, atCeiling } });

describe('compare-layouts verdict', () => {
  it('a capacity at the top of the range is a lower bound', () => {
    expect(capacityText({ value: 48, atCeiling: true })).toBe('≥ 48 (range ceiling)');
    expect(capacityText({ value: 12, atCeiling: false })).toBe('12');
    expect(capacityText({ value: undefined, atCeiling: false })).toBe('none');
  });

  it('two layouts at the range ceiling tie on capacity: the worst p99 decides, and the verdict says so', () => {
    const v = decideWinner([at('local', 48, true, 420), at('replicated', 48, true, 315)], range);
    expect(v.winner).toBe('replicated');
    expect(v.text).toBe("replicated (capacity ≥ 48 (range ceiling)): replicated and local tie on capacity (≥ 48 (range ceiling)), decided by the worst p99 at the scenario's own load, 315 µs against 420 µs");
  });

  it('a larger capacity wins on capacity, whatever the p99', () => {
    const v = decideWinner([at('local', 30, false, 100), at('replicated', 48, true, 900)], range);
    expect(v.winner).toBe('replicated');
    expect(v.text).toBe('replicated (capacity ≥ 48 (range ceiling); next: local, capacity 30)');
  });

  it('equal capacity and equal p99: no winner; no layout meeting the SLOs: no winner', () => {
    expect(decideWinner([at('a', 20, false, 300), at('b', 20, false, 300)], range)).toEqual({ text: 'no winner: a and b tie on capacity (20) and on worst p99 (300 µs)' });
    expect(decideWinner([at('a', undefined, false, 300), at('b', undefined, false, 200)], range).winner).toBeUndefined();
  });

  it('without --vary: meeting the SLOs first, then the worst p99; without SLOs, the worst p99', () => {
    const a = { name: 'a', worstP99Us: 100, meetsSlos: false };
    const b = { name: 'b', worstP99Us: 900, meetsSlos: true };
    expect(decideWinner([a, b]).winner).toBe('b');
    expect(decideWinner([a, b, { name: 'c', worstP99Us: 500, meetsSlos: true }]).text).toBe("c (meets the SLOs): c and b tie on meeting the SLOs, decided by the worst p99 at the scenario's own load, 500 µs against 900 µs");
    expect(decideWinner([{ ...a, meetsSlos: true }, { ...b, meetsSlos: true }], undefined, false).text).toBe('a (lowest worst p99: 100 µs against 900 µs on b)');
  });
});

describe('compare-layouts charts', () => {
  it('p99 per job folds replicas into the worst one', () => {
    expect(foldReplica('db.11.oltp read')).toBe('db.oltp read');
    expect(foldReplica('app.scan write')).toBe('app.scan write');
    const c = layoutP99Chart([
      { layout: 'l', job: 'db.0.oltp read', p99Us: 100 },
      { layout: 'l', job: 'db.1.oltp read', p99Us: 300 },
      { layout: 'r', job: 'db.0.oltp read', p99Us: 200 },
    ], 250);
    const values = ((c.spec as { layer: { data: { values: unknown[] } }[] }).layer[0]!.data.values);
    expect(values).toEqual([{ layout: 'l', job: 'db.oltp read', p99Us: 300 }, { layout: 'r', job: 'db.oltp read', p99Us: 200 }]);
  });
});
