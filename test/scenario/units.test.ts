import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, parseBandwidth, parseDuration, parseRate, parseSize } from '../../src/scenario/units.js';

const ok = (v: number) => ({ ok: true, value: v });

describe('units', () => {
  it('sizes: bare letters and *iB are binary, *B with a prefix is SI', () => {
    expect(parseSize('4k')).toEqual(ok(4096));
    expect(parseSize('4K')).toEqual(ok(4096));
    expect(parseSize('4KiB')).toEqual(ok(4096));
    expect(parseSize('1MB')).toEqual(ok(1e6));
    expect(parseSize('2GiB')).toEqual(ok(2 * 2 ** 30));
    expect(parseSize('1.5m')).toEqual(ok(1.5 * 2 ** 20));
    expect(parseSize('512B')).toEqual(ok(512));
    expect(parseSize(8192)).toEqual(ok(8192));
    expect(parseSize('4kk').ok).toBe(false);
    expect(parseSize('4 potatoes').ok).toBe(false);
    expect(parseSize('4Ki').ok).toBe(false);
    expect(parseSize(true).ok).toBe(false);
  });

  it('durations in µs; a bare number takes the unit fio gives the option, and is refused where there is none', () => {
    expect(parseDuration('250us')).toEqual(ok(250));
    expect(parseDuration('250µs')).toEqual(ok(250));
    expect(parseDuration('2ms')).toEqual(ok(2000));
    expect(parseDuration('30s')).toEqual(ok(30e6));
    expect(parseDuration('1.5s')).toEqual(ok(1.5e6));
    expect(parseDuration('5m')).toEqual(ok(300e6));
    expect(parseDuration('500ns')).toEqual(ok(0.5));
    expect(parseDuration(42, 'us')).toEqual(ok(42));
    expect(parseDuration('42', 'us')).toEqual(ok(42));
    expect(parseDuration(5, 's')).toEqual(ok(5e6));
    expect(parseDuration('1.5', 's')).toEqual(ok(1.5e6));
    expect(parseDuration(0)).toEqual(ok(0));
    const bare = parseDuration(42);
    expect(bare.ok).toBe(false);
    expect(!bare.ok && bare.message).toMatch(/expected a time with a unit, like 42us, 42ms or 42s, got 42/);
    expect(parseDuration('42').ok).toBe(false);
    expect(parseDuration('2 fortnights').ok).toBe(false);
  });

  it('rates are decimal counts; bandwidths are sizes per second', () => {
    expect(parseRate('50k')).toEqual(ok(50000));
    expect(parseRate('1.5m')).toEqual(ok(1.5e6));
    expect(parseRate(200)).toEqual(ok(200));
    expect(parseBandwidth('3GiB/s')).toEqual(ok(3 * 2 ** 30));
    expect(parseBandwidth('1500MiB/s')).toEqual(ok(1500 * 2 ** 20));
    expect(parseBandwidth('200MB/s')).toEqual(ok(200e6));
    expect(parseBandwidth('fast').ok).toBe(false);
  });

  it('messages say what was expected and what was found', () => {
    const r = parseSize('lots');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toBe('expected a size like 4k or 1MiB, got "lots"');
  });

  it('formats back with units', () => {
    expect(formatBytes(4096)).toBe('4 KiB');
    expect(formatBytes(2 ** 53)).toBe('8 PiB');
    expect(formatDuration(2500)).toBe('2.5 ms');
    expect(formatDuration(30e6)).toBe('30 s');
  });
});
