/**
 * report.html in a real browser (Debian's chromium, headless): opens from disk with no
 * network, no console errors, every chart present and non-empty, and text from fio output
 * shown as text, never run. Screenshots are kept in reports/test-artifacts/.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext } from 'playwright-core';
import { blocksimIn, repoRoot } from '../cli-runner.js';
import { parseResultsJson, resultsJson } from '../../src/adapters/results-folder.js';

const CHROMIUM = '/usr/bin/chromium';
const why = existsSync(CHROMIUM) ? undefined : 'Debian package chromium is not installed';
const work = mkdtempSync(join(tmpdir(), 'blocksim-browser-'));
const artifacts = join(repoRoot, 'reports', 'test-artifacts');
let browser: BrowserContext | undefined;
let userDataDir = '';

beforeAll(async () => {
  if (why) return;
  mkdirSync(artifacts, { recursive: true });
  userDataDir = mkdtempSync(join(tmpdir(), 'blocksim-chromium-'));
  // a fresh user-data-dir, and the flags that keep chromium off this machine's closed network
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1100, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

async function open(file: string, shot: string) {
  const page = await browser!.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => {
    if (!r.url().startsWith('file://')) requests.push(r.url());
  });
  await page.goto(`file://${file}`);
  await page.screenshot({ path: join(artifacts, shot), fullPage: true });
  return { page, errors, requests };
}

describe.skipIf(why !== undefined)(`report.html in headless chromium${why ? ` (skipped: ${why})` : ''}`, () => {
  it('a simulated run: every chart present and non-empty, no console errors, no network', async () => {
    const r = blocksimIn(work, ['run', join(repoRoot, 'scenarios/snapshots-cow.yaml'), '--out', 'run', '--duration', '20s', '--quiet']);
    expect(r.code, r.err).toBe(0);
    const { page, errors, requests } = await open(join(work, 'run', 'report.html'), 'report-run.png');
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    const charts = await page.$$eval('figure.chart', (fs) => fs.map((f) => ({ id: f.id, marks: f.querySelectorAll('svg path, svg line, svg rect').length, w: f.querySelector('svg')?.getBoundingClientRect().width ?? 0 })));
    expect(charts.map((c) => c.id).sort()).toEqual(['device-queue', 'device-utilization', 'job-iops', 'job-p99', 'latency-cdf', 'snapshot-space']);
    for (const c of charts) {
      expect(c.marks, c.id).toBeGreaterThan(10);
      expect(c.w, c.id).toBeGreaterThan(300);
    }
    expect(await page.textContent('h1')).toBe('blocksim report: snapshots-cow');
    expect(await page.locator('details pre').textContent()).toContain('snapshots: { every: 10s');
    await page.close();
  });

  it('a job named <script> from fio output is shown as text and never runs', async () => {
    const r = blocksimIn(work, ['run', join(repoRoot, 'test/golden/small.yaml'), '--out', 'evil', '--quiet']);
    expect(r.code, r.err).toBe(0);
    const file = join(work, 'evil', 'results.json');
    const results = parseResultsJson(readFileSync(file, 'utf8'));
    const evil = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';
    results.jobs[0]!.name = evil;
    writeFileSync(file, resultsJson(results));
    expect(blocksimIn(work, ['report', join(work, 'evil')]).code).toBe(0);
    const { page, errors } = await open(join(work, 'evil', 'report.html'), 'report-escaping.png');
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(await page.locator('table').first().textContent()).toContain(evil);
    expect(errors).toEqual([]);
    await page.close();
  });
});
