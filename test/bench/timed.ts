// Whole processes timed as a user would run them, with their peak memory where Linux tells it.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');

export interface Run {
  seconds: number;
  peakMb: number | null;
  stdout: string;
  /** User + system CPU seconds of the process and every child it waited for (GNU time), where measured. */
  cpuSeconds?: number;
}

/** GNU time reports the CPU of the whole process tree and its peak RSS (all threads), less sensitive to load than wall. */
const GNU_TIME = '/usr/bin/time';

/** Runs a command, timing its wall clock; peak RSS is read from /proc (VmHWM) while it runs, where Linux has it. */
export function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  const gnu = existsSync(GNU_TIME) ? mkdtempSync(join(tmpdir(), 'firebreak-time-')) : null;
  const usage = gnu ? join(gnu, 'usage') : null;
  return new Promise((done, fail) => {
    const started = process.hrtime.bigint();
    const child = usage
      ? spawn(GNU_TIME, ['-f', '%U %S %M', '-o', usage, cmd, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] })
      : spawn(cmd, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
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
      let cpu: { cpuSeconds: number } | Record<string, never> = {};
      if (usage && gnu) {
        // The last line (GNU time writes "Command exited with non-zero status" above it when it fails).
        const m = /([\d.]+) ([\d.]+) (\d+)\s*$/.exec(existsSync(usage) ? readFileSync(usage, 'utf8') : '');
        rmSync(gnu, { recursive: true, force: true });
        if (m) {
          cpu = { cpuSeconds: Number(m[1]) + Number(m[2]) };
          // ru_maxrss of the child: its peak resident set (for a process tree, the largest process's).
          peakKb = Number(m[3]);
        } else peakKb = null;
      }
      if (code !== 0) fail(new Error(`${cmd} ${args.slice(0, 3).join(' ')} ... exited ${code}`));
      else done({ seconds, peakMb: peakKb === null ? null : peakKb / 1024, stdout, ...cpu });
    });
  });
}
