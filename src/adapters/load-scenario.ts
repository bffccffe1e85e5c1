/** Reads and validates scenario files, and the profile files they name. */
import { open, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse, parseDocument } from 'yaml';
import { InputError, type Issue } from '../scenario/issues.js';
import { detectFormat } from '../trace/feed.js';
import { isProfilePath, parseScenarioText, type Overrides } from '../scenario/normalize.js';
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

/** Profile files named by devices, read relative to the scenario's folder. */
export async function readProfile(file: string, name: string, where: string): Promise<unknown> {
  const path = resolve(dirname(file), name);
  try {
    return parse(await readFile(path, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(file, [{ path: where, message: code === 'ENOENT' ? `no such file: ${path}` : `cannot read ${path}: ${(err as Error).message.split('\n')[0]}` }]);
  }
}

async function readProfileFiles(file: string, text: string): Promise<Record<string, unknown>> {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch {
    return {}; // the scenario parser reports the syntax error
  }
  const devices = (raw as { devices?: Record<string, { profile?: unknown }> } | null)?.devices;
  const out: Record<string, unknown> = {};
  if (!devices || typeof devices !== 'object') return out;
  for (const [name, d] of Object.entries(devices)) {
    const p = d && typeof d === 'object' ? d.profile : undefined;
    if (typeof p !== 'string' || !isProfilePath(p) || p in out) continue;
    out[p] = await readProfile(file, p, `devices.${name}.profile`);
  }
  return out;
}

/** Profile files named as values of a varied `devices.X.profile` field (sweep, capacity), read like the scenario's own. */
export async function readVariedProfiles(file: string, path: string, values: (string | number)[], into: Record<string, unknown>): Promise<void> {
  if (!/^devices\.[^.]+\.profile$/.test(path)) return;
  for (const v of values) {
    if (typeof v === 'string' && isProfilePath(v) && !(v in into)) into[v] = await readProfile(file, v, `--vary ${path}`);
  }
}

/** Reads, parses and validates; throws InputError with every problem found. */
export async function loadScenario(file: string, overrides: Overrides = {}): Promise<{ scenario: Scenario; text: string }> {
  const text = await readScenarioText(file);
  const profileFiles = await readProfileFiles(file, text);
  const parsed = parseScenarioText(text, { ...overrides, profileFiles });
  if (!parsed.ok) throw new InputError(file, parsed.issues);
  const traceIssues = await checkTraceFiles(file, parsed.scenario);
  if (traceIssues.length > 0) throw new InputError(file, traceIssues);
  return { scenario: parsed.scenario, text };
}

/** The validated scenario plus its raw input (to vary fields) and the profile files it names. */
export async function loadScenarioRaw(file: string): Promise<{ scenario: Scenario; text: string; raw: Record<string, unknown>; profileFiles: Record<string, unknown> }> {
  const text = await readScenarioText(file);
  const profileFiles = await readProfileFiles(file, text);
  const parsed = parseScenarioText(text, { profileFiles });
  if (!parsed.ok) throw new InputError(file, parsed.issues);
  const traceIssues = await checkTraceFiles(file, parsed.scenario);
  if (traceIssues.length > 0) throw new InputError(file, traceIssues);
  return { scenario: parsed.scenario, text, raw: parseDocument(text).toJS() as Record<string, unknown>, profileFiles };
}

/**
 * Every trace a traced job names: it exists, is a file, and its format is named or told
 * by its first line. Problems carry the job's path. (Bad records are found as the trace
 * is replayed, with file and line.)
 */
export async function checkTraceFiles(file: string, scenario: Scenario): Promise<Issue[]> {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (const c of scenario.containers) {
    for (const job of c.jobs) {
      const t = job.trace;
      if (!t || seen.has(`${c.name}.${job.name}\u0000${t.file}`)) continue;
      seen.add(`${c.name}.${job.name}\u0000${t.file}`);
      const problem = await traceFileProblem(isAbsolute(t.file) ? t.file : join(dirname(file), t.file), t.format !== undefined);
      if (problem) issues.push({ path: `containers.${c.name}.jobs.${job.name}.trace`, message: problem });
    }
  }
  return issues;
}

async function traceFileProblem(path: string, formatGiven: boolean): Promise<string | undefined> {
  let fh;
  try {
    fh = await open(path, 'r');
    if ((await fh.stat()).isDirectory()) return `${path} is a folder, expected a trace file`;
    const { bytesRead, buffer } = await fh.read(Buffer.alloc(4096), 0, 4096, 0);
    if (bytesRead === 0) return `${path} is empty`;
    const first = buffer.subarray(0, bytesRead).toString('utf8').split('\n')[0]!;
    if (!formatGiven && detectFormat(first) === undefined) return `cannot tell the format of ${path} from its first line: give trace.format (iolog2, iolog3, blkparse or csv)`;
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `no such file: ${path}` : `cannot read ${path}: ${(err as Error).message}`;
  } finally {
    await fh?.close();
  }
}
