/**
 * Prints every test skipped for a reason on the terminal at the end of a run: tests of
 * real devices skip when a tool or root is missing and say why in their names
 * ("... (skipped: missing mkfs.btrfs ...)") or through ctx.skip(reason). Tests left out
 * by a -t filter have no reason and are not listed.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class SkipReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const lines: string[] = [];
    for (const m of modules) {
      for (const t of m.children.allTests('skipped')) {
        const note = t.result().state === 'skipped' ? (t.result() as { note?: string }).note : undefined;
        if (note === undefined && !t.fullName.includes('skipped:')) continue;
        lines.push(`  ${m.moduleId.replace(`${process.cwd()}/`, '')} > ${t.fullName}${note ? ` (skipped: ${note})` : ''}`);
      }
    }
    if (lines.length > 0) process.stdout.write(`\n${lines.length} test${lines.length === 1 ? '' : 's'} skipped for a reason:\n${lines.join('\n')}\n`);
  }
}
