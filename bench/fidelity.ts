/**
 * npm run bench:fidelity: the fidelity protocol of issue 12 on this machine's devices.
 *
 * For each device kind (a file on the root disk, a loop device over /dev/shm, zram, btrfs
 * on a loop device): measure the 5 calibration runs and the 6 predicted runs, each twice
 * (repetitions interleaved, so a load that comes and goes shows as spread), calibrate
 * from the first 5, predict the other 6, and print per device the median and worst
 * IOPS / p50 / p99 errors, the demerit, and the spread of the repetitions.
 *
 * The machine may be shared: before each run it waits (up to --wait-max) until a share of
 * the cores is idle, records the host's CPU beside the run, and repeats a run during which
 * other processes and the hypervisor's steal took more than --max-others of the cores
 * (keeping the least disturbed attempt).
 * Raw fio output lands in reports/fidelity/<device>/ (git-ignored); --from DIR recomputes
 * the figures from such a folder without measuring.
 *
 *   npm run bench:fidelity -- [--devices disk,loop,zram,btrfs] [--runtime 5] [--ramp 1]
 *                             [--repeat 2] [--wait-idle 0.5] [--max-others 0.1] [--from DIR]
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Scratch, btrfsFile, missingForRealDevices, prefill } from '../test/real/system.js';
import { hostFile, hostJson, measureUndisturbed, type MeasuredRun } from '../src/adapters/fio-measure.js';
import { DISTURBED_SHARE, describeDisturbance, disturbance } from '../src/compare/measured-points.js';
import { pointNamed, type SweepGrid } from '../src/fio/sweep.js';
import { parseFioJson } from '../src/fio/parse.js';
import { CALIBRATION_POINTS, PREDICTED_POINTS, fidelity, formatFidelity, type ProtocolPoint } from '../src/compare/fidelity.js';
import type { MeasuredInput } from '../src/compare/measured-points.js';

const { values: opt } = parseArgs({
  options: {
    devices: { type: 'string', default: 'disk,loop,zram,btrfs' },
    runtime: { type: 'string', default: '5' },
    ramp: { type: 'string', default: '1' },
    repeat: { type: 'string', default: '2' },
    'wait-idle': { type: 'string', default: '0.5' },
    'wait-max': { type: 'string', default: '600' },
    'max-others': { type: 'string', default: String(DISTURBED_SHARE) }, // other processes' CPU + hypervisor steal, share of the cores
    attempts: { type: 'string', default: '3' },
    from: { type: 'string' },
    out: { type: 'string', default: 'reports/fidelity' },
  },
});

const SPAN_MIB = 256;
const KINDS = ['disk', 'loop', 'zram', 'btrfs'] as const;
type Kind = (typeof KINDS)[number];
const LABEL: Record<Kind, string> = { disk: 'file on the root disk', loop: 'loop device over /dev/shm', zram: 'zram', btrfs: 'btrfs on a loop device over /dev/shm' };

function freeMiB(path: string): number {
  const s = statfsSync(path);
  return (s.bavail * s.bsize) / 2 ** 20;
}

function memAvailableMiB(): number {
  const m = /MemAvailable:\s+(\d+) kB/.exec(readFileSync('/proc/meminfo', 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

/** The device under test, after checking there is room for it; cleaned up by `scratch`. */
function setUp(kind: Kind, scratch: Scratch): string {
  const need = 3 * SPAN_MIB;
  const room = kind === 'disk' ? freeMiB(tmpdir()) : kind === 'zram' ? memAvailableMiB() : Math.min(freeMiB('/dev/shm'), memAvailableMiB());
  if (room < need) throw new Error(`${LABEL[kind]}: ${room.toFixed(0)} MiB free, ${need} MiB needed`);
  switch (kind) {
    case 'disk':
      return scratch.diskFile(scratch.tempDir('blocksim-fidelity-'), SPAN_MIB);
    case 'loop': {
      const dev = scratch.loopDevice(SPAN_MIB + 16);
      prefill(dev, SPAN_MIB);
      return dev;
    }
    case 'zram': {
      const dev = scratch.zramDevice(SPAN_MIB + 16);
      prefill(dev, SPAN_MIB);
      return dev;
    }
    case 'btrfs':
      return btrfsFile(scratch, SPAN_MIB);
  }
}

const nameOf = (p: ProtocolPoint, rep: number, repeat: number): string => pointNamed({ ...p, repetition: rep }, repeat).name;

async function measureOnce(p: ProtocolPoint, rep: number, repeat: number, grid: SweepGrid, target: string, work: string): Promise<MeasuredRun> {
  const attempts = Number(opt.attempts);
  return measureUndisturbed(pointNamed({ ...p, repetition: rep }, repeat), grid, target, work, {
    attempts,
    maxDisturbed: Number(opt['max-others']),
    waitIdle: Number(opt['wait-idle']),
    waitMs: Number(opt['wait-max']) * 1000,
    onAttempt: (run, a, final) => {
      const tag = `${nameOf(p, rep, repeat).padEnd(28)} load ${run.host.load1Before?.toFixed(2)} ${describeDisturbance(disturbance(run.host))}`;
      console.error(`  ${tag}${final ? (a > 1 ? ' (kept the least disturbed attempt)' : '') : ', disturbed: again'}`);
    },
  });
}

async function measureDevice(kind: Kind, dir: string): Promise<void> {
  const scratch = new Scratch();
  const stop = (): void => {
    scratch.cleanup();
    process.exit(130);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const target = setUp(kind, scratch);
    const work = mkdtempSync(join(tmpdir(), 'blocksim-fidelity-work-'));
    scratch.onCleanup(() => rmSync(work, { recursive: true, force: true }));
    const repeat = Number(opt.repeat);
    const grid: SweepGrid = { rw: [], bs: [], iodepth: [], numjobs: [], repeat, runtimeUs: Number(opt.runtime) * 1e6, rampUs: Number(opt.ramp) * 1e6, sizeBytes: SPAN_MIB * 2 ** 20, ioengine: 'libaio' };
    for (let rep = 1; rep <= repeat; rep++) {
      for (const p of [...CALIBRATION_POINTS, ...PREDICTED_POINTS]) {
        const name = nameOf(p, rep, repeat);
        if (existsSync(join(dir, `${name}.json`))) continue;
        const run = await measureOnce(p, rep, repeat, grid, target, work);
        writeFileSync(join(dir, hostFile(name)), hostJson(run));
        writeFileSync(join(dir, `${name}.json`), run.raw);
      }
    }
  } finally {
    scratch.cleanup();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function load(dir: string, points: ProtocolPoint[], repeat: number): MeasuredInput[] {
  const names = new Set(points.flatMap((p) => Array.from({ length: repeat }, (_, i) => nameOf(p, i + 1, repeat))));
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.host.json') && names.has(f.slice(0, -5)))
    .map((f) => {
      const file = f.slice(0, -5);
      const hostPath = join(dir, hostFile(file));
      const host = existsSync(hostPath) ? JSON.parse(readFileSync(hostPath, 'utf8')) : undefined;
      return { file, results: parseFioJson(readFileSync(join(dir, f), 'utf8')), ...(host ? { host } : {}) };
    });
}

async function main(): Promise<void> {
  const kinds = opt.devices.split(',').map((k) => k.trim()) as Kind[];
  for (const k of kinds) if (!KINDS.includes(k)) throw new Error(`--devices: unknown device kind ${k} (${KINDS.join(', ')})`);
  const root = opt.from ?? opt.out;
  if (!opt.from) {
    const why = missingForRealDevices(['fio', 'losetup', 'dd', 'mkfs.btrfs']);
    if (why) throw new Error(`cannot measure: ${why}`);
  }
  const repeat = Number(opt.repeat);
  for (const kind of kinds) {
    const dir = join(root, kind);
    if (!opt.from) {
      mkdirSync(dir, { recursive: true });
      console.error(`${LABEL[kind]}: measuring into ${dir}/`);
      await measureDevice(kind, dir);
    }
    const s = fidelity(load(dir, CALIBRATION_POINTS, repeat), load(dir, PREDICTED_POINTS, repeat));
    console.log(`${formatFidelity(LABEL[kind], s)}\n`);
  }
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exitCode = 1;
});
