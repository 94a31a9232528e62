/**
 * Whole processes timed as a user runs them: wall time from spawn to exit and the CPU they used, run interleaved with
 * their reference so that load from other work on the machine falls on every contender alike.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '..', '..');
export const BIN = join(REPO, 'bin', 'firebreak.js');
const MiB = 1024 * 1024;

/**
 * CPU seconds (user + system) of this process's waited-for children so far, from /proc (Linux; USER_HZ is 100), or
 * null elsewhere. Other work on a shared machine stretches wall time but hardly the CPU time a command needs.
 */
function childrenCpu(): number | null {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return null;
  }
}

export interface Timed {
  seconds: number;
  cpuSeconds: number | null;
  stdout: string;
}

/** One whole process, timed from spawn to exit; it must succeed, or the bench stops with its stderr. */
export function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Timed {
  const cpu = childrenCpu();
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd: REPO, env: { ...process.env, FIREBREAK_ACTOR: 'bench', ...env }, maxBuffer: 16 * MiB });
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr?.toString() ?? r.error?.message}`);
  const after = childrenCpu();
  return { seconds, cpuSeconds: cpu === null || after === null ? null : after - cpu, stdout: r.stdout.toString() };
}

/** `bin/firebreak.js` as a user runs it. */
export const firebreak = (args: string[], env: NodeJS.ProcessEnv = {}) => timed(process.execPath, [BIN, ...args], env);

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
export const ms = (s: number) => `${Math.round(s * 1000)} ms`;

/** Rounds of interleaved runs of each contender; returns every contender's runs. */
export function interleaved(rounds: number, contenders: Record<string, () => Timed>): Record<string, Timed[]> {
  const runs: Record<string, Timed[]> = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  for (let i = 0; i < rounds; i++) for (const [name, run] of Object.entries(contenders)) runs[name]?.push(run());
  return runs;
}

export const wall = (runs: Timed[] | undefined) => median((runs ?? []).map((r) => r.seconds));
export const cpuNote = (runs: Timed[] | undefined) => {
  const cpu = (runs ?? []).map((r) => r.cpuSeconds);
  return cpu.every((c): c is number => c !== null) && cpu.length ? `CPU ${ms(median(cpu))}` : 'CPU not measured';
};
