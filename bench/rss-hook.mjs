// Preloaded into a benchmark child (node --import): on exit, writes the process's peak
// resident memory (KiB) and CPU time (user + system, µs), from getrusage, to the file
// named by BENCH_RSS_FILE as JSON. CPU time is steadier than wall time on a shared machine.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (!process.env.BENCH_RSS_FILE) return;
  const u = process.resourceUsage();
  writeFileSync(process.env.BENCH_RSS_FILE, JSON.stringify({ maxRssKiB: u.maxRSS, cpuUs: u.userCPUTime + u.systemCPUTime }));
});
