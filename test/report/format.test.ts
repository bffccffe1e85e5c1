import { describe, expect, it } from 'vitest';
import { fixed, formatChange } from '../../src/util/format.js';
import { describeChange, junitXml, type RegressRow } from '../../src/compare/regress.js';

describe('number formatting', () => {
  it('never prints a negative zero', () => {
    expect(fixed(-0.001, 2)).toBe('0.00');
    expect(fixed(-0, 1)).toBe('0.0');
    expect(fixed(-0.4, 0)).toBe('0');
    expect(fixed(-0.006, 2)).toBe('-0.01');
    expect(formatChange(-0.00001)).toBe('0.0 %');
    expect(formatChange(0.125)).toBe('+12.5 %');
    expect(formatChange(-0.3)).toBe('-30.0 %');
    expect(formatChange(NaN)).toBe('-');
  });
});

describe('regress messages', () => {
  const row = (metric: RegressRow['metric'], baseline: number, current: number): RegressRow => ({
    job: 'db.0.oltp', direction: 'read', metric, baseline, current, change: (current - baseline) / baseline, spread: 0.04, verdict: 'regression',
  });

  it('give latencies and IOPS with their units', () => {
    expect(describeChange(row('p99', 236544, 378470.4))).toBe('p99: 237 µs -> 378 µs (+60.0 %, baseline spread 4.0 %)');
    expect(describeChange(row('p50', 2_500_000, 2_500_000))).toBe('p50: 2.50 ms -> 2.50 ms (0.0 %, baseline spread 4.0 %)');
    expect(describeChange(row('iops', 23748.3, 16623.8))).toBe('iops: 23.7 k IOPS -> 16.6 k IOPS (-30.0 %, baseline spread 4.0 %)');
  });

  it('and so does the JUnit file', () => {
    const xml = junitXml([row('p99', 236544, 378470.4)]);
    expect(xml).toContain('<failure message="p99 +60.0 %">p99: 237 µs -&gt; 378 µs (+60.0 %, baseline spread 4.0 %), regression</failure>');
  });
});
