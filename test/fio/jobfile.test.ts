import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../src/scenario/normalize.js';
import { checkTargets, renderJobFile } from '../../src/fio/jobfile.js';
import { BUILTIN_PROFILES } from '../../src/scenario/profiles.js';
import { which } from '../real/system.js';

const scenariosDir = join(import.meta.dirname, '..', '..', 'scenarios');
const work = mkdtempSync(join(tmpdir(), 'blocksim-jobfile-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function load(file: string) {
  const r = parseScenarioText(readFileSync(file, 'utf8'));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.scenario;
}

describe('fio job files', () => {
  const files = readdirSync(scenariosDir).filter((f) => f.endsWith('.yaml'));

  it.skipIf(!which('fio'))(`every bundled scenario renders a job file that passes fio --parse-only${which('fio') ? '' : ' (skipped: fio is not installed)'}`, () => {
    expect(BUILTIN_PROFILES).toBeDefined();
    for (const f of files) {
      const path = join(work, `${f}.fio`);
      writeFileSync(path, renderJobFile(load(join(scenariosDir, f))));
      const r = spawnSync('fio', ['--parse-only', path], { encoding: 'utf8' });
      expect(r.status, `${f}: ${r.stderr}`).toBe(0);
    }
  });

  it('names sections as simulated results do, with new_group so jobs are reported apart', () => {
    const text = renderJobFile(load(join(scenariosDir, 'quickstart.yaml')), { pgdata: '/dev/loop9' });
    const sections = [...text.matchAll(/^\[([^\]]+)\]$/gm)].map((m) => m[1]);
    expect(sections).toEqual(['global', 'db.0.oltp', 'db.0.wal', 'db.1.oltp', 'db.1.wal', 'db.2.oltp', 'db.2.wal', 'shipper.scan']);
    expect(text).toContain('filename=/dev/loop9');
    expect(text).toContain('randseed=42');
    expect(text).toContain('rate_iops=6000,2000');
    expect(text.match(/new_group=1/g)!.length).toBe(7);
    expect(text).not.toMatch(/exec_|write_iolog|gtod_reduce/);
  });

  it('refuses targets that would inject options', () => {
    const s = load(join(scenariosDir, 'quickstart.yaml'));
    for (const bad of ['/tmp/a\nexec_prerun=rm -rf /', '/tmp/a=b', '/tmp/a;b', '/tmp/a:/tmp/b', '']) {
      expect(checkTargets(s, { pgdata: bad }).length, JSON.stringify(bad)).toBe(1);
    }
    expect(checkTargets(s, { nosuch: '/tmp/x' })[0]!.message).toMatch(/no volume named "nosuch"/);
    expect(checkTargets(s, { pgdata: '/tmp/ok.dat' })).toEqual([]);
  });
});
