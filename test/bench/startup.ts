/**
 * CLI start-up as a user sees it: whole `firebreak` processes, beside `node -e 0` as the floor no Node program beats.
 * `--version` and `incident list` (a data directory with three incidents) run from the prebuilt bundle, and once from
 * the TypeScript sources through tsx for comparison; `evidence add` of a 1 GiB file (quick: 64 MiB) runs against
 * `openssl dgst -sha256` on the same file, start-up included on both sides. Runs are interleaved, so load from other
 * work on the machine falls on every contender alike; each row is a median.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { prebuiltCli } from '../../bin/prebuilt-cli.js';
import { ensureCliBuilt } from '../../scripts/build-cli';
import { writeRandomFile } from './files';
import type { Bench, BenchRow } from './types';

const REPO = resolve(import.meta.dirname, '..', '..');
const BIN = join(REPO, 'bin', 'firebreak.js');
const MiB = 1024 * 1024;
const PLAYBOOKS = ['agent-destructive-action', 'agent-credential-exposure', 'agent-change-freeze-breach'];

/**
 * CPU seconds (user + system) of this process's waited-for children so far, from /proc (Linux; USER_HZ is 100), or
 * null elsewhere. Other work on a shared machine stretches wall time but hardly the CPU time a start-up needs.
 */
function childrenCpu(): number | null {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return null;
  }
}

interface Timed {
  seconds: number;
  cpuSeconds: number | null;
  stdout: string;
}

/** One whole process, timed from spawn to exit; it must succeed, or the bench stops with its stderr. */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Timed {
  const cpu = childrenCpu();
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd: REPO, env: { ...process.env, FIREBREAK_ACTOR: 'bench', ...env }, maxBuffer: 16 * MiB });
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr?.toString() ?? r.error?.message}`);
  const after = childrenCpu();
  return { seconds, cpuSeconds: cpu === null || after === null ? null : after - cpu, stdout: r.stdout.toString() };
}

const firebreak = (args: string[], env: NodeJS.ProcessEnv = {}) => timed(process.execPath, [BIN, ...args], env);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const ms = (s: number) => `${Math.round(s * 1000)} ms`;

/** Rounds of interleaved runs of each contender; returns every contender's runs. */
function interleaved(rounds: number, contenders: Record<string, () => Timed>): Record<string, Timed[]> {
  const runs: Record<string, Timed[]> = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  for (let i = 0; i < rounds; i++) for (const [name, run] of Object.entries(contenders)) runs[name]?.push(run());
  return runs;
}

const wall = (runs: Timed[] | undefined) => median((runs ?? []).map((r) => r.seconds));
const cpuNote = (runs: Timed[] | undefined) => {
  const cpu = (runs ?? []).map((r) => r.cpuSeconds);
  return cpu.every((c): c is number => c !== null) && cpu.length ? `CPU ${ms(median(cpu))}` : 'CPU not measured';
};

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
    target: '<= 1.5x',
    note: `${(ours / openssl).toFixed(2)}x openssl, start-up included on both sides; ${cpuNote(add.ours)} (openssl ${cpuNote(add.openssl)}); prebuilt dist/cli`,
  });
  return rows;
};
