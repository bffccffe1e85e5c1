/**
 * Charts of compare-layouts: the capacity of each layout (a bar that reaches the range
 * ceiling is marked as a lower bound) and the p99 of each job on each layout against the
 * p99 SLO. Pure; data inlined.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ChartSpec } from './charts.js';
import { foldReplica } from './series-choice.js';

export { foldReplica };

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export interface CapacityBar {
  layout: string;
  /** Index of the capacity among the values tried plus one (0: none met the SLOs). */
  reached: number;
  label: string;
}

export function layoutCapacityChart(bars: CapacityBar[], field: string, tried: number): ChartSpec {
  const title = `Capacity per layout: largest ${field} that meets the SLOs`;
  return {
    id: 'layout-capacity',
    title,
    spec: {
      $schema: SCHEMA,
      title: { text: title, subtitle: `${tried} values tried; "≥" marks a layout that met the SLOs at the largest value tried (its capacity may be higher)` },
      width: 520,
      height: Math.max(60, bars.length * 34),
      data: { values: bars },
      layer: [
        { mark: { type: 'bar', color: '#4c78a8' }, encoding: { y: { field: 'layout', type: 'nominal', title: null, sort: null }, x: { field: 'reached', type: 'quantitative', title: `values of ${field} that meet the SLOs`, scale: { domain: [0, tried] } } } },
        { mark: { type: 'text', align: 'left', dx: 4 }, encoding: { y: { field: 'layout', type: 'nominal', sort: null }, x: { field: 'reached', type: 'quantitative' }, text: { field: 'label' } } },
      ],
    } as TopLevelSpec,
  };
}

export interface LayoutP99 {
  layout: string;
  job: string;
  p99Us: number;
}



/** The worst replica's p99 per container job, direction and layout. */
function worstPerJob(rows: LayoutP99[]): LayoutP99[] {
  const worst = new Map<string, LayoutP99>();
  for (const r of rows) {
    const job = foldReplica(r.job);
    const key = `${r.layout}\u0000${job}`;
    const w = worst.get(key);
    if (!w || r.p99Us > w.p99Us) worst.set(key, { layout: r.layout, job, p99Us: r.p99Us });
  }
  return [...worst.values()];
}

export function layoutP99Chart(all: LayoutP99[], sloP99Us?: number): ChartSpec {
  const rows = worstPerJob(all);
  const title = 'p99 completion latency per job on each layout';
  const layers: unknown[] = [
    { data: { values: rows }, mark: { type: 'bar' }, encoding: { y: { field: 'job', type: 'nominal', title: null }, yOffset: { field: 'layout' }, x: { field: 'p99Us', type: 'quantitative', title: 'p99 (µs)' }, color: { field: 'layout', type: 'nominal', title: 'layout' } } },
  ];
  if (sloP99Us !== undefined) layers.push({ data: { values: [{ v: sloP99Us }] }, mark: { type: 'rule', color: '#c00', strokeDash: [6, 3] }, encoding: { x: { field: 'v', type: 'quantitative' } } });
  const jobs = new Set(rows.map((r) => r.job)).size;
  const layouts = new Set(rows.map((r) => r.layout)).size;
  return {
    id: 'layout-p99',
    title,
    spec: {
      $schema: SCHEMA,
      title: { text: title, subtitle: `at each scenario's own load, the worst replica of each job${sloP99Us !== undefined ? `; red line: p99 SLO ${sloP99Us} µs` : ''}` },
      width: 520,
      height: Math.max(60, jobs * layouts * 14),
      layer: layers,
    } as TopLevelSpec,
  };
}
