import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../src/scenario/normalize.js';

describe('field messages', () => {
  it('a whole number is asked for once', () => {
    const r = parseScenarioText('name: x\nseed: 1.5\nduration: 1s\ndevices: {}\nvolumes: {}\ncontainers: {}\n');
    expect(r.ok).toBe(false);
    const seed = r.ok ? undefined : r.issues.find((i) => i.path === 'seed');
    expect(seed?.message).toBe('expected a whole number, got 1.5');
  });
});
