import type { CommandModule } from 'yargs';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFio, checkTargetSafety, markCreated } from '../../adapters/fio-runner.js';
import { withInterrupts } from '../../adapters/interrupt.js';
import { checkWritableFolder, makeFolder, writeFilesAtomically } from '../../adapters/write-files.js';
import { recipePoints, RECIPES, sweepPoints, type RecipeName, type SweepGrid } from '../../fio/sweep.js';
import { hostFile, hostJson, measureUndisturbed } from '../../adapters/fio-measure.js';
import { DISTURBED_SHARE, describeDisturbance, disturbance } from '../../compare/measured-points.js';
import { parseDuration, parseSize } from '../../scenario/units.js';
import { UsageError } from '../exit.js';
import { shownFolder, wholeNumberFlag } from '../flags.js';

interface SweepArgs {
  target: string;
  rw: string;
  bs: string;
  iodepth: string;
  numjobs: string;
  runtime: string;
  size: string;
  repeat?: number;
  recipe?: RecipeName;
  ramp?: string;
  'wait-idle'?: number;
  attempts: number;
  'max-disturbed': number;
  ioengine: string;
  out: string;
  force?: boolean;
  'allow-destructive'?: boolean;
  quiet?: boolean;
}

function list<T>(flag: string, text: string, parse: (s: string) => T | undefined): T[] {
  const out = text.split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
    const v = parse(s);
    if (v === undefined) throw new UsageError(`--${flag}: cannot read ${JSON.stringify(s)}`);
    return v;
  });
  if (out.length === 0) throw new UsageError(`--${flag}: give at least one value`);
  return out;
}

const positiveInt = (s: string): number | undefined => (/^\d+$/.test(s) && Number(s) > 0 ? Number(s) : undefined);

export const fioSweep: CommandModule<object, SweepArgs> = {
  command: 'sweep',
  describe: 'Run fio over a grid (rw × bs × iodepth × numjobs) for calibration; resumable',
  builder: (y) =>
    y
      .option('target', { type: 'string', demandOption: true, describe: 'file or blank device to measure' })
      .option('rw', { type: 'string', default: 'randread,randwrite,read,write' })
      .option('bs', { type: 'string', default: '4k,64k,1m' })
      .option('iodepth', { type: 'string', default: '1,4,16,64' })
      .option('numjobs', { type: 'string', default: '1' })
      .option('runtime', { type: 'string', default: '5s', describe: "per point (fio's runtime: a bare number is seconds)" })
      .option('size', { type: 'string', default: '256m', describe: 'span of the target each point uses' })
      .option('repeat', wholeNumberFlag('repeat', 'repetitions of each point (default 1; 2 with --recipe)', 1, 1000, undefined))
      .option('recipe', { type: 'string', choices: Object.keys(RECIPES), describe: 'a fixed point list instead of the grid: calibrate = what blocksim calibrate needs (7 points × 2 repetitions, about 85 s)' })
      .option('ramp', { type: 'string', describe: "warm-up excluded from each point (fio's ramp_time; default 1s with --recipe)" })
      .option('wait-idle', { type: 'number', describe: 'before each point, wait (up to 10 min) until this share of the cores is idle, e.g. 0.5' })
      .option('attempts', wholeNumberFlag('attempts', 'measure a disturbed point again, up to this many runs in all, keeping the least disturbed', 1, 20, 2))
      .option('max-disturbed', { type: 'number', default: DISTURBED_SHARE, describe: "a run is disturbed when other processes and the hypervisor's steal took more than this share of the cores" })
      .option('ioengine', { type: 'string', default: 'libaio' })
      .option('out', { type: 'string', default: 'reports/fio-sweep', describe: 'one JSON per point goes here' })
      .option('force', { type: 'boolean', describe: 'measure points again that already have a result' })
      .option('allow-destructive', { type: 'boolean', describe: 'allow writing to a blank device or a file blocksim did not create' }) as never,
  handler: async (args) => {
    const runtime = parseDuration(args.runtime, 's'); // fio's runtime: a bare number is seconds
    if (!runtime.ok || runtime.value <= 0) throw new UsageError(`--runtime: ${runtime.ok ? 'expected a time above 0' : runtime.message}`);
    const size = parseSize(args.size);
    if (!size.ok || size.value <= 0) throw new UsageError(`--size: ${size.ok ? 'expected a size above 0' : size.message}`);
    if (!/^[a-z0-9_]+$/.test(args.ioengine)) throw new UsageError(`--ioengine: expected the name of a fio ioengine (libaio, io_uring, psync, ...), got ${JSON.stringify(args.ioengine)}`);
    args.repeat ??= args.recipe !== undefined ? 2 : 1;
    const ramp = parseDuration(args.ramp ?? (args.recipe !== undefined ? '1s' : '0s'), 's');
    if (!ramp.ok) throw new UsageError(`--ramp: ${ramp.message}`);
    if (/[\n\r=;:]/.test(args.target)) throw new UsageError('--target: a path may not contain a newline, "=", ";" or ":"');
    const grid: SweepGrid = {
      rw: list('rw', args.rw, (s) => (['read', 'write', 'randread', 'randwrite', 'randrw', 'rw'].includes(s) ? s : undefined)),
      bs: list('bs', args.bs, (s) => { const p = parseSize(s); return p.ok && Number.isInteger(p.value) && p.value > 0 ? p.value : undefined; }),
      iodepth: list('iodepth', args.iodepth, positiveInt),
      numjobs: list('numjobs', args.numjobs, positiveInt),
      repeat: args.repeat,
      runtimeUs: runtime.value,
      sizeBytes: size.value,
      ioengine: args.ioengine,
      ...(ramp.value > 0 ? { rampUs: ramp.value } : {}),
    };
    checkWritableFolder(args.out, `--out ${args.out}`);
    const points = args.recipe !== undefined ? recipePoints(args.recipe, args.repeat) : sweepPoints(grid);
    const waitIdle = args['wait-idle'];
    if (waitIdle !== undefined && !(waitIdle > 0 && waitIdle <= 1)) throw new UsageError(`--wait-idle: expected a share of the cores above 0 and at most 1, got ${waitIdle}`);
    const maxDisturbed = args['max-disturbed'];
    if (!(maxDisturbed >= 0 && maxDisturbed <= 1)) throw new UsageError(`--max-disturbed: expected a share of the cores from 0 to 1, got ${maxDisturbed}`);
    const writes = points.some((p) => p.rw !== 'read' && p.rw !== 'randread');
    checkFio();
    const created = checkTargetSafety({ target: args.target }, new Set(writes ? ['target'] : []), args['allow-destructive'] ?? false);
    await makeFolder(args.out);
    const todo = points.filter((p) => args.force || !existsSync(join(args.out, `${p.name}.json`)));
    if (!args.quiet) console.error(`fio sweep: ${points.length} points, ${points.length - todo.length} already measured, ${todo.length} to run (about ${Math.ceil((todo.length * (runtime.value + ramp.value)) / 1e6)} s)`);
    // Each point is saved as it completes; a SIGINT/SIGTERM stops fio, keeps the points
    // measured so far (a later run resumes) and exits 130/143.
    await withInterrupts(async (stop) => {
      const work = mkdtempSync(join(tmpdir(), 'blocksim-sweep-'));
      try {
        for (const [i, p] of todo.entries()) {
          // before each attempt (a repeated one too), wait for idle cores when asked to
          const run = await measureUndisturbed(p, grid, args.target, work, {
            attempts: args.attempts,
            maxDisturbed,
            stop,
            ...(waitIdle !== undefined ? { waitIdle, waitMs: 600_000 } : {}),
            onNotQuiet: (idle) => {
              if (!args.quiet) console.error(`  the host did not get ${Math.round(waitIdle! * 100)} % idle in 10 min (${Math.round(idle * 100)} %): measuring anyway`);
            },
            onAttempt: (r, a, final) => {
              if (!final && !args.quiet) console.error(`  ${p.name}: disturbed (${describeDisturbance(disturbance(r.host))}), measuring again (attempt ${a + 1} of ${args.attempts})`);
            },
          });
          if (stop.aborted) return;
          await writeFilesAtomically(args.out, { [`${p.name}.json`]: run.raw, [hostFile(p.name)]: hostJson(run) });
          if (disturbance(run.host).share > maxDisturbed && !args.quiet) {
            console.error(`  ${p.name}: measured while disturbed (${describeDisturbance(disturbance(run.host))} of the cores, load ${run.host.load1Before}) in ${run.attempts} attempt(s): its figures are slower than the device's; remove ${p.name}.json and run the same sweep again to measure it anew`);
          }
          if (!args.quiet) {
            const left = ((todo.length - i - 1) * (runtime.value + ramp.value)) / 1e6;
            const bar = '#'.repeat(Math.round(((i + 1) / todo.length) * 30)).padEnd(30, '.');
            console.error(`[${bar}] ${i + 1}/${todo.length} ${p.name}  ETA ${Math.ceil(left)} s`);
          }
        }
      } finally {
        markCreated(created);
        rmSync(work, { recursive: true, force: true });
      }
    });
    if (!args.quiet) console.log(`results: ${shownFolder(args.out)} (${points.length} points)`);
  },
};
