// Whole processes timed as a user would run them, with their peak memory where Linux tells it.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');

export interface Run {
  seconds: number;
  peakMb: number | null;
  stdout: string;
}

/** Runs a command, timing its wall clock; peak RSS is read from /proc (VmHWM) while it runs, where Linux has it. */
export function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((done, fail) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      if (stdout.length < 64 * 1024 * 1024) stdout += d.toString();
    });
    let peakKb: number | null = null;
    const poll = setInterval(() => {
      try {
        const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (hwm) peakKb = Math.max(peakKb ?? 0, Number(hwm[1]));
      } catch {
        // The process has ended, or /proc is not there.
      }
    }, 25);
    child.on('error', fail);
    child.on('close', (code) => {
      clearInterval(poll);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) fail(new Error(`${cmd} ${args.slice(0, 3).join(' ')} ... exited ${code}`));
      else done({ seconds, peakMb: peakKb === null ? null : peakKb / 1024, stdout });
    });
  });
}
