import type { CommandModule } from 'yargs';
import { BUILTIN_PROFILES } from '../../scenario/profiles.js';

interface ProfilesArgs {
  json?: boolean;
}

export const profiles: CommandModule<object, ProfilesArgs> = {
  command: 'profiles',
  describe: 'List the built-in device profiles (use one with `profile: NAME` in a device)',
  builder: (y) => y as never,
  handler: (args) => {
    if (args.json) {
      console.log(JSON.stringify(BUILTIN_PROFILES, null, 2));
      return;
    }
    for (const [name, p] of Object.entries(BUILTIN_PROFILES)) {
      const d = p.device as { parallelism?: number; read?: { latency?: Record<string, unknown> }; limits?: Record<string, unknown> };
      const lat = Object.entries(d.read?.latency ?? {}).filter(([k]) => k !== 'dist').map(([k, v]) => `${k} ${v}`).join(', ');
      const limits = d.limits ? `; limits ${Object.entries(d.limits).map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(', ')}` : '';
      console.log(`${name.padEnd(12)} ${p.description}\n${''.padEnd(12)} parallelism ${d.parallelism}; read ${lat}${limits}\n${''.padEnd(12)} source: ${p.source}\n`);
    }
  },
};
