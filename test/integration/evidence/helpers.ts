import { type SpawnOptions, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../../electron/cli/main';
import { openDatabase } from '../../../electron/core/store/database';
import { contextFor, seedIncident } from '../../unit/evidence/fixtures';

export const REPO = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '');
export const BIN = join(REPO, 'bin', 'firebreak.js');

export interface Workspace {
  root: string;
  dataDir: string;
  incidentId: string;
  cleanup(): void;
}

/** A temporary root with a data directory holding one incident. */
export function makeWorkspace(): Workspace {
  const root = mkdtempSync(join(tmpdir(), 'fb-evidence-it-'));
  const dataDir = join(root, 'data');
  const db = openDatabase(dataDir);
  const incidentId = seedIncident(contextFor(db, dataDir));
  db.close();
  return { root, dataDir, incidentId, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** The CLI in this process, as a test would drive it. */
export async function cli(dataDir: string, args: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await main(
    ['--data-dir', dataDir, ...args],
    { out: (t) => (out += t), err: (t) => (err += t) },
    { FIREBREAK_ACTOR: 'Dana Reyes', FIREBREAK_ROLE: 'IR lead' },
  );
  return { code, out, err };
}

/** The real `bin/firebreak.js` in a child process. */
export function bin(args: string[], options: SpawnOptions = {}): Promise<CliRun & { signal: NodeJS.Signals | null }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: REPO,
      env: { ...process.env, FIREBREAK_ACTOR: 'Dana Reyes', FIREBREAK_ROLE: 'IR lead' },
      ...options,
    });
    let out = '';
    let err = '';
    child.stdout?.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr?.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code: code ?? -1, signal, out, err }));
  });
}
