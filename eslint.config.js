// ESLint (flat config, typescript-eslint): the layering of src/ is checked here, so an
// import against the intended direction fails `npm run lint` and the test suite.
//
//   cli ──▶ adapters ──▶ (model, fio, report, compare, sweep, trace, k8s, place) ──▶ des
//
// Pure folders never touch the disk, processes or the clock: no node:fs, node:child_process
// and the like, no Math.random, no Date.now.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_IO = ['node:fs', 'node:fs/promises', 'node:child_process', 'node:worker_threads', 'node:net', 'node:http', 'node:https', 'node:os', 'node:readline', 'fs', 'fs/promises', 'child_process'];

/** Folders under src/ and what each may import (besides itself and util/). */
const LAYERS = {
  des: [],
  random: [],
  stats: [],
  results: ['stats'],
  scenario: ['random', 'results'],
  model: ['des', 'random', 'scenario', 'stats', 'results'],
  fio: ['scenario', 'results', 'stats'],
  // report renders what compare and trace compute; they never render
  report: ['results', 'scenario', 'stats', 'fio', 'compare', 'trace'],
  compare: ['model', 'fio', 'scenario', 'stats', 'results', 'random'],
  sweep: ['model', 'scenario', 'results', 'random', 'stats'],
  trace: ['model', 'scenario', 'stats', 'results', 'random', 'fio'],
  k8s: ['fio', 'scenario', 'results', 'sweep'],
  place: ['model', 'scenario', 'results', 'sweep', 'report', 'random', 'stats', 'des'],
  adapters: ['des', 'random', 'stats', 'results', 'scenario', 'model', 'fio', 'report', 'compare', 'sweep', 'trace', 'k8s', 'place'],
  cli: ['des', 'random', 'stats', 'results', 'scenario', 'model', 'fio', 'report', 'compare', 'sweep', 'trace', 'k8s', 'place', 'adapters'],
};
const ALL = Object.keys(LAYERS);
const PURE = ALL.filter((f) => f !== 'adapters' && f !== 'cli');

const layerRules = ALL.map((folder) => {
  const forbidden = ALL.filter((f) => f !== folder && !LAYERS[folder].includes(f));
  const patterns = forbidden.map((f) => ({ group: [`../${f}/*`, `../../${f}/*`, `../${f}`, `../../${f}`], message: `src/${folder} may not import src/${f} (see eslint.config.js for the layers)` }));
  const paths = PURE.includes(folder) ? NODE_IO.map((name) => ({ name, message: `src/${folder} is pure: disk, processes and the network belong in src/adapters` })) : [];
  return {
    files: [`src/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', { patterns, paths }],
      ...(PURE.includes(folder)
        ? {
            'no-restricted-properties': [
              'error',
              { object: 'Math', property: 'random', message: 'draw from a seeded Rng (src/random)' },
              { object: 'Date', property: 'now', message: 'pure code takes time from its caller' },
            ],
          }
        : {}),
    },
  };
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'reports/**', '.scratch/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // test doubles of outside APIs (a fake Kubernetes API server) hold untyped JSON
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  ...layerRules,
);
