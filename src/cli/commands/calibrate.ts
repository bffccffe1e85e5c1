import type { CommandModule } from 'yargs';
import { basename, dirname } from 'node:path';
import { Document } from 'yaml';
import { loadFioFiles } from '../../adapters/load-fio.js';
import { checkWritableFile, writeFilesAtomically } from '../../adapters/write-files.js';
import { calibrate } from '../../compare/calibrate.js';
import { VERSION } from '../../version.js';

interface CalibrateArgs {
  fio: string[];
  name?: string;
  o?: string;
  quiet?: boolean;
}

export function profileYaml(name: string, device: Record<string, unknown>, notes: string[], sources: string[]): string {
  const doc = new Document({ name, description: `calibrated by blocksim ${VERSION} from ${sources.length} fio runs`, device });
  doc.commentBefore = [` blocksim device profile "${name}", fitted by \`blocksim calibrate\` from:`, ...sources.map((s) => `   ${s}`), ' Where each number came from:', ...notes.map((n) => `   - ${n}`)].join('\n');
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

export const calibrateCmd: CommandModule<object, CalibrateArgs> = {
  command: 'calibrate <fio..>',
  describe: 'Fit a device profile from fio JSON runs (QD1 per direction, one deep run, one large-block run)',
  builder: (y) =>
    y
      .positional('fio', { type: 'string', array: true, demandOption: true, describe: 'fio --output-format=json+ files, or folders of them' })
      .option('name', { type: 'string', default: 'calibrated', describe: 'profile name' })
      .option('o', { type: 'string', describe: 'write the profile here (default: print it)' }) as never,
  handler: async (args) => {
    if (args.o) checkWritableFile(args.o, `-o ${args.o}`);
    const inputs = await loadFioFiles(args.fio);
    const fit = calibrate(inputs);
    const yaml = profileYaml(args.name ?? 'calibrated', fit.device, fit.notes, inputs.map((i) => i.file));
    if (!args.quiet) {
      console.error(fit.notes.map((n) => `- ${n}`).join('\n'));
      console.error('\nthe profile on its own inputs (simulated vs measured):');
      for (const [file, iops, mean] of fit.selfCheck) console.error(`  ${file.padEnd(28)} IOPS ${(iops * 100).toFixed(1).padStart(6)}%   mean clat ${(mean * 100).toFixed(1).padStart(6)}%`);
    }
    if (args.o) {
      await writeFilesAtomically(dirname(args.o), { [basename(args.o)]: yaml });
      if (!args.quiet) console.error(`\nprofile: ${args.o}  (use it with  profile: ./${basename(args.o)})`);
    } else process.stdout.write(yaml);
  },
};
