/** Chart specs to SVG, rendered in Node by vega (no browser, no canvas). */
import { compile } from 'vega-lite';
import { View, parse } from 'vega';
import type { ChartSpec } from './charts.js';

/** vega-lite's compiler warnings go nowhere: the specs are ours and tested. */
const silent = { level: () => silent, error: () => silent, warn: () => silent, info: () => silent, debug: () => silent } as never;

export async function renderSvg(chart: ChartSpec): Promise<string> {
  const vg = compile(chart.spec, { logger: silent }).spec;
  const view = new View(parse(vg), { renderer: 'none', logLevel: 0 });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
