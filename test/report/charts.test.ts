import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import { runCharts, hockeyStick, compareChart } from '../../src/report/charts.js';
import { renderSvg } from '../../src/report/render.js';
import { renderHtml, escapeHtml } from '../../src/report/html.js';
import { parseScenarioText } from '../../src/scenario/normalize.js';
import { simulate } from '../../src/model/simulate.js';

function results(file: string) {
  const r = parseScenarioText(readFileSync(new URL(`../../scenarios/${file}`, import.meta.url), 'utf8'), { durationUs: 3e6 });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return simulate(r.scenario);
}

const titlesOf = (spec: unknown): string[] => JSON.stringify(spec).match(/"title":"[^"]+"/g) ?? [];

describe('chart specs', () => {
  it('every chart of a run compiles with vega-lite, is titled and has axis titles with units', () => {
    for (const file of ['quickstart.yaml', 'snapshots-cow.yaml', 'thin-pool.yaml']) {
      const charts = runCharts(results(file));
      expect(charts.length).toBeGreaterThanOrEqual(file === 'quickstart.yaml' ? 5 : 6);
      for (const c of charts) {
        expect(() => compile(c.spec), c.id).not.toThrow();
        const titles = titlesOf(c.spec);
        expect(titles.length, c.id).toBeGreaterThanOrEqual(3);
      }
    }
  });

  it('the thin-pool chart draws the pool capacity as a rule', () => {
    const pool = runCharts(results('thin-pool.yaml')).find((c) => c.id === 'pool-pool0')!;
    expect(JSON.stringify(pool.spec)).toContain('"label":"capacity"');
  });

  it('renders SVG in Node, deterministically', async () => {
    const chart = runCharts(results('quickstart.yaml'))[0]!;
    const a = await renderSvg(chart);
    expect(a.startsWith('<svg')).toBe(true);
    expect(a).toBe(await renderSvg(chart));
  });

  it('hockey stick and compare charts compile, with an SLO rule when given', () => {
    const h = hockeyStick([{ series: 'randread', load: 1, source: 'measured', iops: 1000, p99Us: 100 }, { series: 'randread', load: 8, source: 'measured', iops: 6000, p99Us: 300 }], 'queue depth', 250);
    expect(() => compile(h.spec)).not.toThrow();
    expect(JSON.stringify(h.spec)).toContain('p99 SLO 250');
    const c = compareChart([{ job: 'a read', figure: 'IOPS', measured: 100, predicted: 110, error: 0.1, tolerance: 0.1 }]);
    expect(() => compile(c.spec)).not.toThrow();
  });
});

describe('report.html', () => {
  it('escapes every piece of text and uses no script, stylesheet link or remote resource', () => {
    const r = results('quickstart.yaml');
    r.jobs[0]!.name = '<b onmouseover=alert(1)>x</b>';
    const html = renderHtml({ title: 'x<y', results: r, charts: [], files: ['a&b.csv'], scenarioText: '</pre><script>bad()</script>' });
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b onmouseover');
    expect(html).toContain(escapeHtml('<b onmouseover=alert(1)>x</b>'));
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).toContain('a&amp;b.csv');
  });
});
