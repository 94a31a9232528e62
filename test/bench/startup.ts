/**
 * CLI start-up as a user sees it: whole `firebreak` processes, beside `node -e 0` as the floor no Node program beats.
 * `--version` and `incident list` (a data directory with three incidents) run from the prebuilt bundle, and once from
 * the TypeScript sources through tsx for comparison; `evidence add` of a 1 GiB file (quick: 64 MiB) runs against
 * `openssl dgst -sha256` on the same file, start-up included on both sides. Runs are interleaved, so load from other
 * work on the machine falls on every contender alike; each row is a median.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { prebuiltCli } from '../../bin/prebuilt-cli.js';
import { ensureCliBuilt } from '../../scripts/build-cli';
import { writeRandomFile } from './files';
import { REPO, type Timed, cpuNote, firebreak, interleaved, ms, timed, wall } from './processes';
import type { Bench, BenchRow } from './types';

const MiB = 1024 * 1024;
const PLAYBOOKS = ['agent-destructive-action', 'agent-credential-exposure', 'agent-change-freeze-breach'];

export const benchStartup: Bench = async (o) => {
  await ensureCliBuilt();
  if (!prebuiltCli(REPO)) throw new Error('dist/cli/ is not current after the build: the start-up rows would measure tsx');
  const rounds = o.quick ? 5 : 11;
  const dataDir = join(o.workDir, 'data');
  for (const playbook of PLAYBOOKS) firebreak(['--data-dir', dataDir, 'incident', 'new', '--playbook', playbook]);
  const list = firebreak(['--data-dir', dataDir, 'incident', 'list']).stdout;
  if ((list.match(/^IR-\d{4}-\d{4}\b/gm) ?? []).length !== PLAYBOOKS.length) throw new Error(`incident list did not list the incidents:\n${list}`);

  o.log(`startup: ${rounds} interleaved rounds of node -e 0, --version and incident list (prebuilt and tsx)`);
  const t = interleaved(rounds, {
    floor: () => timed(process.execPath, ['-e', '0']),
    version: () => firebreak(['--version']),
    list: () => firebreak(['--data-dir', dataDir, 'incident', 'list']),
    versionTsx: () => firebreak(['--version'], { FIREBREAK_FROM_SOURCES: '1' }),
    listTsx: () => firebreak(['--data-dir', dataDir, 'incident', 'list'], { FIREBREAK_FROM_SOURCES: '1' }),
  });
  const floor = wall(t.floor);
  const input = `whole process, median of ${rounds}`;
  const startRow = (name: string, runs: Timed[] | undefined, target: string | undefined, note: string): BenchRow => {
    const s = wall(runs);
    return {
      name,
      input,
      oursSeconds: s,
      reference: 'node -e 0',
      referenceSeconds: floor,
      ...(target ? { target } : {}),
      note: `${ms(s)}, ${ms(s - floor)} over the floor; ${cpuNote(runs)} (floor ${cpuNote(t.floor)}); ${note}`,
    };
  };
  const rows: BenchRow[] = [
    startRow('firebreak --version', t.version, '<= 150 ms', 'prebuilt dist/cli'),
    startRow('firebreak incident list', t.list, '<= 300 ms', 'prebuilt dist/cli, 3 incidents'),
    startRow('firebreak --version (tsx)', t.versionTsx, undefined, 'TypeScript sources through tsx (FIREBREAK_FROM_SOURCES=1)'),
    startRow('firebreak incident list (tsx)', t.listTsx, undefined, 'TypeScript sources through tsx, 3 incidents'),
  ];

  const size = o.quick ? 64 * MiB : 1024 * MiB;
  const label = o.quick ? '64 MiB' : '1 GiB';
  const addRounds = o.quick ? 3 : 5;
  const file = join(o.workDir, 'evidence-add.bin');
  o.log(`startup: writing a ${label} random file for evidence add`);
  writeRandomFile(file, size);
  timed('openssl', ['dgst', '-sha256', file]); // warm the page cache, so both sides read from memory
  const add = interleaved(addRounds, {
    openssl: () => timed('openssl', ['dgst', '-sha256', file]),
    ours: () => {
      const dir = mkdtempSync(join(o.workDir, 'add-'));
      try {
        const id = firebreak(['--data-dir', dir, 'incident', 'new', '--playbook', PLAYBOOKS[0] as string]).stdout.trim();
        return firebreak(['--data-dir', dir, 'evidence', 'add', id, file]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  });
  rmSync(file, { force: true });
  const ours = wall(add.ours);
  const openssl = wall(add.openssl);
  o.log(`startup: evidence add ${label}: ${ours.toFixed(3)} s, openssl ${openssl.toFixed(3)} s`);
  rows.push({
    name: `firebreak evidence add ${label} (whole process)`,
    input: `${label} random file, median of ${addRounds}`,
    oursSeconds: ours,
    reference: 'openssl dgst -sha256',
    referenceSeconds: openssl,
    target: '<= 1.2x',
    note: `${(ours / openssl).toFixed(2)}x openssl, start-up included on both sides; ${cpuNote(add.ours)} (openssl ${cpuNote(add.openssl)}); prebuilt dist/cli`,
  });
  return rows;
};
