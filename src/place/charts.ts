/**
 * Placement charts (Vega-Lite, data inlined): one per node, each replica's SLO figures as
 * a share of their bounds (the red rule is the bound) with its device utilization beside,
 * and the comparison with the I/O-blind baseline. Pure; rendered by src/report/render.ts.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ChartSpec } from '../report/charts.js';
import type { Cluster } from './types.js';
import type { NodeVerdict } from './verify.js';
import type { NodeRow } from './summary.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export function nodeChart(c: Cluster, v: NodeVerdict, row: NodeRow): ChartSpec {
  const bars = v.pods.flatMap((pod) =>
    pod.figures.map((f) => ({ replica: `${c.workloads[pod.w]!.name}-${pod.r}`, workload: c.workloads[pod.w]!.name, slo: f.slo, share_pct: Number.isFinite(f.observed) ? (100 * f.observed) / f.bound : 1000 })));
  const devices = row.devices.map((d) => ({ device: d.name, utilization_pct: 100 * d.utilization, space_pct: (100 * d.usedBytes) / d.capacityBytes }));
  const title = `Node ${row.label} (${row.type})`;
  const sloPanel = {
    title: 'SLO figures, % of each bound',
    width: 420,
    height: Math.max(60, 18 * bars.length),
    layer: [
      { data: { values: bars }, mark: { type: 'bar' }, encoding: { y: { field: 'replica', type: 'nominal', title: null, sort: null }, yOffset: { field: 'slo' }, x: { field: 'share_pct', type: 'quantitative', title: '% of the SLO bound', scale: { domain: [0, Math.max(120, ...bars.map((b) => Math.min(b.share_pct, 400)))], clamp: true } }, color: { field: 'workload', type: 'nominal', title: 'workload' }, tooltip: [{ field: 'replica' }, { field: 'slo' }, { field: 'share_pct', format: '.1f', title: '% of bound' }] } },
      { data: { values: [{ x: 100 }] }, mark: { type: 'rule', color: '#c00', strokeDash: [6, 3] }, encoding: { x: { field: 'x', type: 'quantitative' } } },
    ],
  };
  const devicePanel = {
    title: 'Devices',
    width: 160,
    height: Math.max(40, 22 * devices.length),
    data: { values: devices.flatMap((d) => [{ device: d.device, figure: 'utilization', pct: d.utilization_pct }, { device: d.device, figure: 'space', pct: d.space_pct }]) },
    mark: { type: 'bar' },
    encoding: { y: { field: 'device', type: 'nominal', title: null }, yOffset: { field: 'figure' }, x: { field: 'pct', type: 'quantitative', title: '%', scale: { domain: [0, 100] } }, color: { field: 'figure', type: 'nominal', title: 'device', scale: { range: ['#888', '#bbb'] } } },
  };
  const pods = bars.length === 0 ? [{ ...sloPanel, layer: [sloPanel.layer[1]] }] : [sloPanel];
  return {
    id: `node-${row.label}`,
    title,
    spec: { $schema: SCHEMA, title: { text: title, subtitle: `${row.pods.length} replicas, ${row.copies.length} volume copies; worst headroom ${Number.isFinite(row.worstHeadroom) ? `${(row.worstHeadroom * 100).toFixed(0)} %` : 'n/a'}` }, hconcat: [...pods, devicePanel], resolve: { scale: { color: 'independent' } } } as TopLevelSpec,
  };
}

export function baselineChart(rows: { workload: string; placement: string; missing: number; total: number }[]): ChartSpec {
  const title = 'Replicas missing an SLO: this placement and the I/O-blind baseline on the same nodes';
  return {
    id: 'baseline',
    title,
    spec: {
      $schema: SCHEMA,
      title: { text: title, subtitle: 'baseline: Kubernetes LeastAllocated scoring by CPU and memory requests' },
      width: 520,
      height: Math.max(80, 40 * new Set(rows.map((r) => r.workload)).size),
      data: { values: rows },
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'workload', type: 'nominal', title: null },
        yOffset: { field: 'placement' },
        x: { field: 'missing', type: 'quantitative', title: 'replicas missing an SLO', axis: { tickMinStep: 1, format: 'd' }, scale: { domain: [0, Math.max(1, ...rows.map((r) => r.missing))] } },
        color: { field: 'placement', type: 'nominal', title: 'placement', scale: { domain: ['blocksim place', 'I/O-blind baseline'], range: ['#4c78a8', '#e45756'] } },
        tooltip: [{ field: 'workload' }, { field: 'placement' }, { field: 'missing' }, { field: 'total', title: 'replicas' }],
      },
    } as TopLevelSpec,
  };
}
