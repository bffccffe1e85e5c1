/** Reads and validates scenario files. */
import { readFile } from 'node:fs/promises';
import { InputError } from '../scenario/issues.js';
import { parseScenarioText, type Overrides } from '../scenario/normalize.js';
import type { Scenario } from '../scenario/types.js';

export async function readScenarioText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, expected a scenario file' : (err as Error).message;
    throw new InputError(file, [{ path: '', message: why }]);
  }
}

/** Reads, parses and validates; throws InputError with every problem found. */
export async function loadScenario(file: string, overrides: Overrides = {}): Promise<{ scenario: Scenario; text: string }> {
  const text = await readScenarioText(file);
  const parsed = parseScenarioText(text, overrides);
  if (!parsed.ok) throw new InputError(file, parsed.issues);
  return { scenario: parsed.scenario, text };
}
