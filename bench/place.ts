/**
 * `npm run bench:place`: wall time of `blocksim place` on a 200-replica, 10-workload,
 * 3-node-type cluster (bench/place-cluster.yaml) on the worker pool (2 workers), and the
 * number of simulations it ran. Target: under 60 s on this 2-core machine. One run by
 * default (it is long); BENCH_RUNS=3 prints the median of three.
 */
import { fileURLToPath } from 'node:url';
import { loadCluster } from '../src/adapters/load-cluster.js';
import { openPointPool } from '../src/adapters/sweep-pool.js';
import { planPlacement, type PlanResult } from '../src/place/plan.js';
import { totalCost } from '../src/place/summary.js';

const TARGET_S = 60;
const file = fileURLToPath(new URL('./place-cluster.yaml', import.meta.url));
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 1));
const workers = 2;

async function once(): Promise<{ seconds: number; r: PlanResult }> {
  const { cluster } = await loadCluster(file);
  const pool = openPointPool(workers);
  const t0 = performance.now();
  try {
    const r = await planPlacement(cluster, (raw, seed) => pool.run(raw, { index: 0, values: {}, repetition: 1, seed }), { confirm: 2 });
    return { seconds: (performance.now() - t0) / 1000, r };
  } finally {
    await pool.close();
  }
}

const results = [];
for (let i = 0; i < runs; i++) results.push(await once());
results.sort((a, b) => a.seconds - b.seconds);
const { seconds, r } = results[Math.floor((results.length - 1) / 2)]!;
const replicas = r.cluster.workloads.reduce((s, w) => s + w.replicas, 0);
const s = r.simulations;
console.log(`instance: ${replicas} replicas, ${r.cluster.workloads.length} workloads, ${r.cluster.nodeTypes.length} node types; ${workers} workers`);
console.log(`answer: ${r.placement.openNodes().length} nodes, cost ${totalCost(r.cluster, r.placement)}, SLOs met: ${r.met}; lower bound ${r.lowerBound.nodes} nodes; baseline misses ${r.baseline.podsMissing} of ${r.baseline.podsTotal} replicas`);
console.log(`simulations: ${s.total} (${s.estimate} estimates, ${s.verify} verifications, ${s.confirm} confirmations, ${s.baseline} baseline); ${r.rounds} verification rounds`);
console.log(`wall time: ${seconds.toFixed(1)} s${runs > 1 ? ` (median of ${runs}: ${results.map((x) => x.seconds.toFixed(1)).join(', ')})` : ''} (target under ${TARGET_S} s): ${seconds < TARGET_S ? 'met' : 'NOT met'}`);
