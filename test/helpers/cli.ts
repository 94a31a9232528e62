import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './core';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export const firebreakBin = join(repoRoot, 'bin', 'firebreak.js');

/** Runs the real `firebreak` executable as a user would; from the checkout unless cwd says another folder. */
export function runFirebreak(args: string[], env: NodeJS.ProcessEnv = {}, input?: string, cwd: string = repoRoot): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [firebreakBin, ...args], {
      cwd,
      env: { ...process.env, FIREBREAK_ACTOR: 'Dana Reyes', FIREBREAK_ROLE: 'IR lead', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}
