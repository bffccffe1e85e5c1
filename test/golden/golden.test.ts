/** Same scenario + seed ⇒ byte-identical results, held against a committed file. */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../src/scenario/normalize.js';
import { simulate } from '../../src/model/simulate.js';
import { resultFiles } from '../../src/adapters/results-folder.js';

const here = (f: string): string => fileURLToPath(new URL(f, import.meta.url));

function files(seed?: number): Record<string, string> {
  const r = parseScenarioText(readFileSync(here('small.yaml'), 'utf8'), seed === undefined ? {} : { seed });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return resultFiles(simulate(r.scenario));
}

describe('golden results', () => {
  it('the same scenario and seed give byte-identical files, run after run', () => {
    expect(files()).toEqual(files());
  });

  it('match the committed fio.json and summary.csv', () => {
    const out = files();
    if (process.env.UPDATE_GOLDEN) {
      writeFileSync(here('small.fio.json'), out['fio.json']!);
      writeFileSync(here('small.summary.csv'), out['summary.csv']!);
    }
    expect(out['fio.json']).toBe(readFileSync(here('small.fio.json'), 'utf8'));
    expect(out['summary.csv']).toBe(readFileSync(here('small.summary.csv'), 'utf8'));
  });

  it('another seed gives other numbers', () => {
    expect(files(2025)['fio.json']).not.toBe(files()['fio.json']);
  });
});
