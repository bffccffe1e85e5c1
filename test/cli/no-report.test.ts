/** `run --no-report` writes results without a report and without loading vega. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../cli-runner.js';

const work = mkdtempSync(join(tmpdir(), 'blocksim-noreport-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const hook = pathToFileURL(join(repoRoot, 'test/fixtures/trace-imports.mjs')).href;

const SMALL = `
name: noreport
duration: 50ms
devices:
  d0: { parallelism: 2, read: { latency: { dist: fixed, value: 50us } } }
volumes:
  v: { device: d0, size: 1GiB }
containers:
  app: { volumes: [v], jobs: { r: { rw: randread, iodepth: 2 } } }
`;

/** Runs blocksim and returns the vega modules it imported. */
function runTraced(args: string[]): { code: number | null; err: string; out: string; imported: string[] } {
  const trace = join(work, `trace-${Math.random().toString(36).slice(2)}`);
  writeFileSync(trace, '');
  const r = spawnSync(process.execPath, ['--import', hook, '--import', tsx, join(repoRoot, 'src/cli/main.ts'), ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, BLOCKSIM_TRACE_IMPORTS: trace } });
  return { code: r.status, err: r.stderr, out: r.stdout, imported: readFileSync(trace, 'utf8').split('\n').filter(Boolean) };
}

describe('run --no-report', () => {
  it('a report loads vega and vega-lite; --no-report loads neither, writes the results and removes the earlier report', () => {
    writeFileSync(join(work, 's.yaml'), SMALL);
    const full = runTraced(['run', 's.yaml', '--out', 'res']);
    expect(full.code, full.err).toBe(0);
    expect(new Set(full.imported)).toEqual(new Set(['vega', 'vega-lite']));
    expect(existsSync(join(work, 'res', 'report.html'))).toBe(true);
    expect(existsSync(join(work, 'res', 'charts'))).toBe(true);

    const bare = runTraced(['run', 's.yaml', '--out', 'res', '--no-report', '--seed', '9']);
    expect(bare.code, bare.err).toBe(0);
    expect(bare.imported).toEqual([]);
    expect(bare.out).not.toMatch(/^report:/m);
    expect(JSON.parse(readFileSync(join(work, 'res', 'results.json'), 'utf8')).seed).toBe(9);
    expect(existsSync(join(work, 'res', 'report.html'))).toBe(false);
    expect(existsSync(join(work, 'res', 'charts'))).toBe(false);
  });

  it('commands that never draw do not load vega either', () => {
    const v = runTraced(['validate', 's.yaml']);
    expect(v.code, v.err).toBe(0);
    expect(v.imported).toEqual([]);
  });
});
