import { mkdtempSync, rmSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkWritableFile, checkWritableFolder, makeFolder, writeFilesAtomically } from '../../src/adapters/write-files.js';
import { OutsideError } from '../../src/adapters/errors.js';

const work = mkdtempSync(join(tmpdir(), 'blocksim-write-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('output places', () => {
  it('makeFolder creates nested folders and accepts existing ones', async () => {
    await makeFolder(join(work, 'a', 'b', 'c'));
    await makeFolder(join(work, 'a', 'b'));
    expect(existsSync(join(work, 'a', 'b', 'c'))).toBe(true);
  });

  it('makeFolder and writeFilesAtomically fail at once under /proc (recursive mkdir spins there)', async () => {
    await expect(makeFolder('/proc/blocksim-test/x')).rejects.toThrow(/ENOENT/);
    await expect(writeFilesAtomically('/proc/blocksim-test/x', { 'a.txt': 'a' })).rejects.toBeInstanceOf(OutsideError);
  }, 5000);

  it('checkWritableFolder refuses /proc, /sys and a file in the way, and leaves nothing behind', () => {
    expect(() => checkWritableFolder('/proc/blocksim-test/out', '--out /proc/blocksim-test/out')).toThrow(/--out \/proc\/blocksim-test\/out: cannot write in \/proc \(ENOENT\)/);
    expect(() => checkWritableFolder('/sys/blocksim-test')).toThrow(OutsideError);
    writeFileSync(join(work, 'file'), 'x');
    expect(() => checkWritableFolder(join(work, 'file', 'out'))).toThrow(/is not a folder/);
    checkWritableFolder(join(work, 'new', 'deeper'));
    expect(existsSync(join(work, 'new'))).toBe(false);
  });

  it('checkWritableFile refuses a folder as the file and an unwritable folder', () => {
    expect(() => checkWritableFile(work)).toThrow(/is a folder, expected a file name/);
    expect(() => checkWritableFile('/proc/junit.xml')).toThrow(OutsideError);
    checkWritableFile(join(work, 'x', 'junit.xml'));
  });

  it('writeFilesAtomically writes every file', async () => {
    await writeFilesAtomically(join(work, 'out', 'deep'), { 'a.txt': 'a', 'charts/b.json': 'b' });
    expect(readFileSync(join(work, 'out', 'deep', 'charts', 'b.json'), 'utf8')).toBe('b');
  });
});
