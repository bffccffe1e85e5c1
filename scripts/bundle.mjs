/**
 * The command line as one file: esbuild bundles tsc's dist/cli/main.js with the small
 * libraries every command needs (yargs, zod, yaml, csv-stringify, simple-statistics) over
 * dist/cli/main.js, because loading ~150 separate modules costs more than the simulation
 * of a small scenario. Every other package stays a normal import from node_modules:
 * vega and vega-lite (loaded only when a report is drawn), tinypool (its workers load
 * tsc's dist/adapters/sweep-worker.js), and anything added later.
 *
 * Run by `npm run build` after tsc.
 */
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const BUNDLED = new Set(['yargs', 'zod', 'yaml', 'csv-stringify', 'simple-statistics']);
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const external = Object.keys(pkg.dependencies ?? {}).filter((d) => !BUNDLED.has(d)).flatMap((d) => [d, `${d}/*`]);

await build({
  entryPoints: ['dist/cli/main.js'],
  outfile: 'dist/cli/main.js',
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
