/** Runs the blocksim command line from the sources (through tsx), as a user would. */
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const repoRoot = join(import.meta.dirname, '..');
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export function blocksimIn(cwd: string, args: string[], env: NodeJS.ProcessEnv = process.env): CliResult {
  const r = spawnSync(process.execPath, ['--import', tsxLoader, join(repoRoot, 'src/cli/main.ts'), ...args], { cwd, encoding: 'utf8', timeout: 120_000, env });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** The command line as a child process that does not block this one (for tests that serve it). */
export function blocksimAsync(cwd: string, args: string[], env: NodeJS.ProcessEnv = process.env): { child: import('node:child_process').ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, ['--import', tsxLoader, join(repoRoot, 'src/cli/main.ts'), ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, out, err })));
  return { child, done };
}
