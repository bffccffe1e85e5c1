import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './cli-runner.js';

describe('skip reporter', () => {
  it('prints each test skipped for a reason, with the reason, on the terminal', () => {
    const vitest = join(repoRoot, 'node_modules/vitest/vitest.mjs');
    const r = spawnSync(process.execPath, [vitest, 'run', '--config', 'test/fixtures/skip/vitest.config.ts'], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('2 tests skipped for a reason:');
    expect(r.stdout).toContain('needs a device (skipped: missing frobnicator, install the Debian package frob) > measures it');
    expect(r.stdout).toContain('skips at run time (skipped: no /dev/frob here)');
    expect(r.stdout).not.toContain('is skipped without a reason');
  });
});
