/**
 * `npm run bench:cli`: the reference case (bench/reference.ts: 4 jobs × iodepth 16,
 * parallelism 8, exponential service of mean 100 µs, 1,000,000 I/Os) through the command
 * line as a user runs it, a new process each time (process start, module loading,
 * simulation and the results folder included), against SimPy 2.3.1 running the same
 * model (bench/simpy-reference.py, its interpreter start and imports included).
 *
 * SimPy is not installed from a registry: give a folder holding its `SimPy/` package in
 * SIMPY_PATH (e.g. a checkout of the SimPyClassic repository at its 2.3.1 release);
 * without it the comparison is skipped and says why. Each run is timed by a small Python
 * wrapper (wall time, and CPU time of the process from getrusage), or by Node (wall time
 * only) when python3 is missing. Medians; the machine is shared, so CPU time is the
 * steadier figure and both ratios are printed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bench } from 'tinybench';
import { median } from 'simple-statistics';
import { stringify } from 'yaml';
import { referenceInput } from './reference.js';

const IOS = Number(process.env.BENCH_IOS ?? 1_000_000);
const root = join(import.meta.dirname, '..');
const cli = join(root, 'dist/cli/main.js');
const work = mkdtempSync(join(tmpdir(), 'blocksim-bench-cli-'));
process.once('exit', () => rmSync(work, { recursive: true, force: true }));
writeFileSync(join(work, 'reference.yaml'), stringify(referenceInput(IOS)));

const TIMER = `import json, resource, subprocess, sys, time
t = time.perf_counter()
r = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE)
wall = time.perf_counter() - t
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({'code': r.returncode, 'wall': wall, 'cpu': u.ru_utime + u.ru_stime, 'out': r.stdout.decode()}))`;
const python = spawnSync('python3', ['--version']).status === 0;

interface Timed {
  wallS: number[];
  cpuS: number[];
  out: string;
}

function timed(cmd: string[], env: NodeJS.ProcessEnv = process.env): (into: Timed) => void {
  return (into) => {
    if (python) {
      const r = spawnSync('python3', ['-c', TIMER, ...cmd], { encoding: 'utf8', env, maxBuffer: 1 << 24 });
      const t = JSON.parse(r.stdout) as { code: number; wall: number; cpu: number; out: string };
      if (t.code !== 0) throw new Error(`${cmd.join(' ')} exited ${t.code}: ${r.stderr}`);
      into.wallS.push(t.wall);
      into.cpuS.push(t.cpu);
      into.out = t.out;
    } else {
      const t0 = performance.now();
      const r = spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8', env });
      if (r.status !== 0) throw new Error(`${cmd.join(' ')} exited ${r.status}: ${r.stderr}`);
      into.wallS.push((performance.now() - t0) / 1000);
      into.out = r.stdout;
    }
  };
}

if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build`);
const node = process.execPath;
const tasks: [string, string[]][] = [
  ['blocksim run --no-report (CLI)', [node, cli, 'run', join(work, 'reference.yaml'), '--out', join(work, 'out'), '--quiet', '--no-report']],
  ['blocksim run, report written (CLI)', [node, cli, 'run', join(work, 'reference.yaml'), '--out', join(work, 'out-report'), '--quiet']],
  ['blocksim --version (start and load only)', [node, cli, '--version']],
];
const times = new Map<string, Timed>(tasks.map(([name]) => [name, { wallS: [], cpuS: [], out: '' }]));
const bench = new Bench({ iterations: 5, warmupIterations: 1, time: 0 });
for (const [name, cmd] of tasks) bench.add(name, () => timed(cmd)(times.get(name)!));
await bench.run();
for (const t of times.values()) {
  t.wallS.shift(); // the warm-up run
  t.cpuS.shift();
}

const results = JSON.parse(readFileSync(join(work, 'out', 'results.json'), 'utf8')) as { jobs: { read: { totalIos: number }; write: { totalIos: number } }[] };
const completed = results.jobs.reduce((s, j) => s + j.read.totalIos + j.write.totalIos, 0);
const fmt = (xs: number[]): string => (xs.length ? `${median(xs).toFixed(3)} s` : '-');
console.log(`reference case: 4 jobs x iodepth 16, parallelism 8, exp(100us), ${completed.toLocaleString('en')} I/Os completed by blocksim`);
console.log(`timing: ${python ? 'wall and CPU (user+sys) of the process, from python3 getrusage' : 'wall only (python3 missing)'}; medians of 5 runs after one warm-up\n`);
for (const [name, t] of times) console.log(`${name.padEnd(42)} wall ${fmt(t.wallS).padStart(9)}   cpu ${fmt(t.cpuS).padStart(9)}`);

const simpyPath = process.env.SIMPY_PATH;
const why = !python ? 'python3 is not installed' : !simpyPath ? 'SIMPY_PATH is not set (a folder holding the SimPy 2.3.1 package, SimPy/)' : !existsSync(join(simpyPath, 'SimPy', 'Simulation.py')) ? `no SimPy/Simulation.py under SIMPY_PATH=${simpyPath}` : undefined;
if (why) {
  console.log(`\nSimPy comparison skipped: ${why}`);
} else {
  const simpy: Timed = { wallS: [], cpuS: [], out: '' };
  const run = timed(['python3', join(root, 'bench/simpy-reference.py'), String(IOS)], { ...process.env, PYTHONPATH: simpyPath });
  const sb = new Bench({ iterations: 3, warmupIterations: 0, time: 0 });
  sb.add('SimPy', () => run(simpy));
  await sb.run();
  const s = JSON.parse(simpy.out) as { completed: number; simpy: string; meanQueueDepth: number };
  console.log(`${`SimPy ${s.simpy}, same model (3 runs)`.padEnd(42)} wall ${fmt(simpy.wallS).padStart(9)}   cpu ${fmt(simpy.cpuS).padStart(9)}   (${s.completed.toLocaleString('en')} I/Os, mean queue ${s.meanQueueDepth.toFixed(1)})`);
  const cliT = times.get(tasks[0]![0])!;
  // I/Os per second of each, so a few I/Os more or less on either side do not count
  const ratio = (a: number[], b: number[]): number => (completed / median(a)) / (s.completed / median(b));
  const wallRatio = ratio(cliT.wallS, simpy.wallS);
  console.log(`\nCLI (--no-report) against SimPy, I/Os per second: ${wallRatio.toFixed(1)}x wall${cliT.cpuS.length ? `, ${ratio(cliT.cpuS, simpy.cpuS).toFixed(1)}x CPU` : ''}`);
  console.log(`target 20x (wall, process start included): ${wallRatio >= 20 ? 'met' : 'NOT met'}`);
}
