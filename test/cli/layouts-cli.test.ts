/** compare-layouts: a capacity at the range ceiling, a tie said as a tie, and the report's charts. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blocksimIn } from '../cli-runner.js';

const work = mkdtempSync(join(tmpdir(), 'blocksim-layouts-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const layout = (name: string, meanUs: number) => `
name: ${name}
seed: 3
duration: 1s
devices:
  d: { parallelism: 8, read: { latency: { dist: exponential, mean: ${meanUs}us } } }
volumes:
  v: { device: d, size: 10GiB }
containers:
  app: { replicas: 2, volumes: [v], jobs: { q: { rw: randread, rate_iops: 500, rate_process: poisson } } }
`;

describe('compare-layouts', () => {
  it('both layouts meet the SLO at the top of the range: "≥ 3 (range ceiling)", a tie decided by p99 and said so; charts in the report', () => {
    writeFileSync(join(work, 'fast.yaml'), layout('fast', 50));
    writeFileSync(join(work, 'slow.yaml'), layout('slow', 150));
    const r = blocksimIn(work, ['compare-layouts', 'slow.yaml', 'fast.yaml', '--slo', 'p99<=10ms', '--vary', 'containers.app.replicas=1..3', '--out', 'lay']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/capacity: largest containers\.app\.replicas\s+≥ 3 \(range ceiling\)\s+≥ 3 \(range ceiling\)/);
    expect(r.out).toMatch(/winner under the SLOs: fast \(capacity ≥ 3 \(range ceiling\)\): fast and slow tie on capacity \(≥ 3 \(range ceiling\)\), decided by the worst p99 at the scenario's own load, \d+ µs against \d+ µs/);
    expect(r.out).not.toMatch(/capacity 3\b/);
    for (const c of ['layout-capacity', 'layout-p99']) expect(existsSync(join(work, 'lay', 'charts', `${c}.vl.json`)), c).toBe(true);
    const html = readFileSync(join(work, 'lay', 'report.html'), 'utf8');
    expect(html).toContain('<figure id="layout-capacity"');
    expect(html).toContain('<figure id="layout-p99"');
    const json = JSON.parse(blocksimIn(work, ['compare-layouts', 'slow.yaml', 'fast.yaml', '--slo', 'p99<=10ms', '--vary', 'containers.app.replicas=1..3', '--out', 'lay', '--json']).out);
    expect(json.winner).toBe('fast');
    expect(json.layouts[0].capacity).toEqual({ value: 3, atCeiling: true });
  });
});
