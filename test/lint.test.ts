/**
 * The layering of src/ (eslint.config.js: which folder may import which, pure code never
 * touching the disk, processes or the clock) and the lint rules hold over the whole tree.
 */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

describe('lint', () => {
  it('src, bench and test pass eslint with no errors', async () => {
    const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });
    const results = await eslint.lintFiles(['src', 'bench', 'test', 'eslint.config.js']);
    const errors = results.flatMap((r) => r.messages.filter((m) => m.severity === 2).map((m) => `${r.filePath}:${m.line}: ${m.message}`));
    expect(errors).toEqual([]);
  }, 180_000);
});
