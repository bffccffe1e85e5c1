import { defineConfig } from 'vitest/config';

/**
 * Two groups: every test file in parallel first, then the measurements of real devices
 * (test/real: fidelity, replay, btrfs snapshots) one file at a time, so they measure a
 * machine that runs nothing else of ours and their repetitions' spread is the device's.
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', 'json', './test/skip-reporter.ts'],
    outputFile: { json: 'reports/.test-results.json' },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/real/**'], maxWorkers: 2, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'real', include: ['test/real/**/*.test.ts'], fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
