/**
 * `npm run bench:sweep`: a 32-point sweep of the quickstart scenario on 1 and on 2
 * worker threads, measured in the same run; prints the speedup (target: at least 1.7x on
 * this 2-core machine). The outputs of both runs must be identical.
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { runPoints } from '../src/adapters/sweep-pool.js';
import { gridPoints, parseVary } from '../src/sweep/grid.js';

const raw = parseDocument(readFileSync(new URL('../scenarios/quickstart.yaml', import.meta.url), 'utf8')).toJS() as Record<string, unknown>;
raw.duration = '3s';
const vary = parseVary('containers.db.replicas=1..32');
if (typeof vary === 'string') throw new Error(vary);
const points = gridPoints([vary], 1, 42);

async function timed(workers: number): Promise<{ ms: number; out: string }> {
  const t0 = performance.now();
  const r = await runPoints(raw, points, workers);
  return { ms: performance.now() - t0, out: JSON.stringify(r) };
}

const one: number[] = [];
const two: number[] = [];
let same = true;
for (let i = 0; i < 3; i++) {
  const a = await timed(1);
  const b = await timed(2);
  one.push(a.ms);
  two.push(b.ms);
  same &&= a.out === b.out;
}
const med = (xs: number[]): number => [...xs].sort((x, y) => x - y)[1]!;
console.log(`32-point sweep: 1 worker ${(med(one) / 1000).toFixed(2)} s, 2 workers ${(med(two) / 1000).toFixed(2)} s (medians of 3)`);
console.log(`speedup: ${(med(one) / med(two)).toFixed(2)}x (target 1.70x): ${med(one) / med(two) >= 1.7 ? 'met' : 'NOT met'}; identical output: ${same}`);
