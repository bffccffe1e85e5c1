import type { CommandModule } from 'yargs';
import { loadScenario } from '../../adapters/load-scenario.js';
import { InputError } from '../../scenario/issues.js';

interface ValidateArgs {
  scenario: string[];
  json?: boolean;
  quiet?: boolean;
}

export const validate: CommandModule<object, ValidateArgs> = {
  command: 'validate <scenario..>',
  describe: 'Check scenario files and list every problem with its path',
  builder: (y) =>
    y
      .positional('scenario', { type: 'string', array: true, demandOption: true, describe: 'scenario files (YAML or JSON)' })
      .example('$0 validate scenarios/*.yaml', 'check every example scenario') as never,
  handler: async (args) => {
    const problems: InputError[] = [];
    for (const file of args.scenario) {
      try {
        const { scenario } = await loadScenario(file);
        if (!args.quiet && !args.json) {
          const jobs = scenario.containers.reduce((s, c) => s + c.replicas * c.jobs.length, 0);
          console.log(`${file}: ok (${scenario.devices.length} devices, ${scenario.volumes.length} volumes, ${jobs} jobs)`);
        }
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        problems.push(err);
        if (!args.json) console.error(err.message);
      }
    }
    if (args.json) {
      console.log(JSON.stringify({ ok: problems.length === 0, problems: problems.map((p) => ({ file: p.source, issues: p.issues })) }, null, 2));
    }
    if (problems.length > 0) process.exitCode = 2;
  },
};
