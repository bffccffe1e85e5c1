/**
 * `npm run bench:scale`: many jobs through the command line. The reference case (4 jobs ×
 * iodepth 16 on 8 slots) and a 1,000-job case (1,000 jobs × iodepth 4 on one device of 64
 * slots, exponential 100 µs service, the default timeline of 100 samples) each run as
 * `blocksim run` in a child process, process start included, interleaved over 3 rounds.
 * Prints simulated I/Os per CPU-second of the process (user + system: steadier than wall
 * time on a shared machine; wall time is printed too), medians, their ratio, and the
 * peak resident memory of each process. Targets: the 1,000-job case at least half the reference
 * case's rate, and at most 200 MB peak RSS.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const IOS = Number(process.env.BENCH_IOS ?? 2_000_000);
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist', 'cli', 'main.js');
const hook = join(root, 'bench', 'rss-hook.mjs');

function scenario(name: string, jobs: number, iodepth: number, slots: number): Record<string, unknown> {
  const iops = slots / 100e-6; // saturated
  return {
    name, seed: 7, duration: `${Math.round((IOS / iops) * 1e6)}us`,
    devices: { d0: { parallelism: slots, read: { latency: { dist: 'exponential', mean: '100us' } }, write: { latency: { dist: 'exponential', mean: '100us' } } } },
    volumes: { v0: { device: 'd0', size: '100GiB' } },
    containers: { c: { replicas: jobs, volumes: ['v0'], jobs: { j: { rw: 'randrw', bs: '4k', iodepth } } } },
  };
}

const work = mkdtempSync(join(tmpdir(), 'blocksim-bench-scale-'));
const cases = [
  { name: 'reference', file: join(work, 'reference.yaml'), body: scenario('reference', 4, 16, 8) },
  { name: '1000 jobs', file: join(work, 'many.yaml'), body: scenario('many', 1000, 4, 64) },
];
const extra = process.argv.slice(2); // e.g. --no-report
try {
  for (const c of cases) writeFileSync(c.file, stringify(c.body));
  const runs: Record<string, { rate: number; rssMiB: number; ms: number; cpuMs: number }[]> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of cases) {
      const rssFile = join(work, 'rss');
      const t0 = performance.now();
      const p = spawnSync(process.execPath, ['--import', hook, cli, 'run', c.file, '--out', join(work, 'out'), '--json', ...extra], {
        env: { ...process.env, BENCH_RSS_FILE: rssFile }, maxBuffer: 1 << 30, encoding: 'utf8',
      });
      const ms = performance.now() - t0;
      if (p.status !== 0) throw new Error(`${c.name}: exit ${p.status}: ${p.stderr}`);
      const out = JSON.parse(p.stdout) as { jobs: { read: { total_ios: number }; write: { total_ios: number } }[] };
      const ios = out.jobs.reduce((s, j) => s + j.read.total_ios + j.write.total_ios, 0);
      const usage = JSON.parse(readFileSync(rssFile, 'utf8')) as { maxRssKiB: number; cpuUs: number };
      (runs[c.name] ??= []).push({ rate: ios / (usage.cpuUs / 1e6), rssMiB: usage.maxRssKiB / 1024, ms, cpuMs: usage.cpuUs / 1000 });
    }
  }
  const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const c of cases) {
    const r = runs[c.name]!;
    console.log(
      `${c.name.padEnd(10)} ${(med(r.map((x) => x.rate)) / 1e6).toFixed(2)} M I/Os per CPU-second (${med(r.map((x) => x.cpuMs)).toFixed(0)} ms CPU, ` +
        `${med(r.map((x) => x.ms)).toFixed(0)} ms wall per run, process start included), peak RSS ${med(r.map((x) => x.rssMiB)).toFixed(0)} MiB`,
    );
  }
  const ratio = med(runs['1000 jobs']!.map((x) => x.rate)) / med(runs.reference!.map((x) => x.rate));
  const rss = med(runs['1000 jobs']!.map((x) => x.rssMiB));
  console.log(`1000 jobs / reference: ${ratio.toFixed(2)} (target at least 0.50: ${ratio >= 0.5 ? 'met' : 'NOT met'})`);
  console.log(`1000 jobs peak RSS: ${(rss * 2 ** 20 / 1e6).toFixed(0)} MB (target at most 200 MB: ${rss * 2 ** 20 <= 200e6 ? 'met' : 'NOT met'})`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
