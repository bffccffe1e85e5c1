/**
 * The command line as one file: esbuild bundles tsc's dist/cli/main.js with the small
 * libraries every command needs (yargs, zod, yaml, csv-stringify, simple-statistics) over
 * dist/cli/main.js, because loading ~150 separate modules costs more than the simulation
 * of a small scenario. Every other package stays a normal import from node_modules:
 * vega and vega-lite (loaded only when a report is drawn), tinypool (its workers load
 * tsc's dist/adapters/sweep-worker.js), the Kubernetes client, bullmq, and anything added
 * later. Code imported with import() (the Kubernetes and queue adapters) goes into chunks
 * next to main.js (dist/cli/bundle-*.js), so the packages they import load only when a
 * command uses them.
 *
 * Run by `npm run build` after tsc.
 */
import { build } from 'esbuild';
import { readFileSync, readdirSync, rmSync } from 'node:fs';

const BUNDLED = new Set(['yargs', 'zod', 'yaml', 'csv-stringify', 'simple-statistics']);
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const external = Object.keys(pkg.dependencies ?? {}).filter((d) => !BUNDLED.has(d)).flatMap((d) => [d, `${d}/*`]);

for (const f of readdirSync('dist/cli')) if (/^bundle-.*\.js(\.map)?$/.test(f)) rmSync(`dist/cli/${f}`);

await build({
  entryPoints: { main: 'dist/cli/main.js' },
  outdir: 'dist/cli',
  splitting: true,
  chunkNames: 'bundle-[hash]',
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  sourcemap: 'linked',
  logLevel: 'warning',
  // CommonJS dependencies inside an ES module bundle call require()
  banner: { js: "import { createRequire as blocksimCreateRequire } from 'node:module';\nconst require = blocksimCreateRequire(import.meta.url);" },
});
