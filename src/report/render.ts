/**
 * Chart specs to SVG, rendered in Node by vega (no browser, no canvas). vega and
 * vega-lite take about a third of a second to load, so they are loaded on the first
 * chart drawn, never by a command that writes no report.
 */
import type { ChartSpec } from './charts.js';

/** vega-lite's compiler warnings go nowhere: the specs are ours and tested. */
const silent = { level: () => silent, error: () => silent, warn: () => silent, info: () => silent, debug: () => silent } as never;

type Vega = { compile: typeof import('vega-lite').compile; View: typeof import('vega').View; parse: typeof import('vega').parse };
let vega: Promise<Vega> | undefined;

function loadVega(): Promise<Vega> {
  vega ??= Promise.all([import('vega-lite'), import('vega')]).then(([vl, vg]) => ({ compile: vl.compile, View: vg.View, parse: vg.parse }));
  return vega;
}

export async function renderSvg(chart: ChartSpec): Promise<string> {
  const { compile, View, parse } = await loadVega();
  const vg = compile(chart.spec, { logger: silent }).spec;
  const view = new View(parse(vg), { renderer: 'none', logLevel: 0 });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
