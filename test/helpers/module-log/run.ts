import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../core';

const REGISTER = join(repoRoot, 'test', 'helpers', 'module-log', 'register.js');

export interface LoggedRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Every module URL the process resolved (main thread and workers), node: builtins left out. */
  modules: string[];
}

/** Runs `node bin/firebreak.js ARGS` (or another script under the repository) and records the modules it loads. */
export function runLogged(args: string[], env: NodeJS.ProcessEnv = {}, script = join(repoRoot, 'bin', 'firebreak.js')): Promise<LoggedRun> {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-modules-'));
  const log = join(dir, 'modules.txt');
  return new Promise<LoggedRun>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', REGISTER, script, ...args], {
      cwd: repoRoot,
      env: { ...process.env, FIREBREAK_ACTOR: 'Dana Reyes', FIREBREAK_ROLE: 'IR lead', ...env, FIREBREAK_MODULE_LOG: log },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      let text = '';
      try {
        text = readFileSync(log, 'utf8');
      } catch {
        // No module resolved through the hooks: the empty list makes the caller's assertions fail.
      }
      rmSync(dir, { recursive: true, force: true });
      const modules = [...new Set(text.split('\n').filter((u) => u && !u.startsWith('node:')))];
      resolve({ code: code ?? -1, stdout, stderr, modules });
    });
  });
}

/** The packages the start-up work keeps out of commands that do not use them. */
export const HEAVY_PACKAGES = ['@aws-sdk', '@azure', '@googleapis', 'google-auth-library', 'pg', 'pg-query-stream', 'mysql2', 'playwright-core', 'react', 'react-dom', 'yazl', 'yauzl'] as const;

/** The heavy packages among the loaded module URLs (by their node_modules folder). */
export function heavyLoaded(modules: readonly string[]): string[] {
  const found = new Set<string>();
  for (const url of modules) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    const pkg = m?.[1];
    if (!pkg) continue;
    const heavy = HEAVY_PACKAGES.find((h) => pkg === h || pkg.startsWith(`${h}/`));
    if (heavy) found.add(pkg);
  }
  return [...found].sort();
}
