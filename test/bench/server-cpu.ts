import { readFileSync, readdirSync } from 'node:fs';

/** Linux's USER_HZ: /proc reports CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

/**
 * CPU time of one run as the machine spent it: our process plus the PostgreSQL backends serving the given databases and
 * their parallel workers, sampled from /proc (a process is credited with the most it was seen to have used, so the
 * last few milliseconds of a process may be missed). The servers' CPU is where a diff or compare mostly runs.
 */
export function cpuSampler(databases: readonly string[], intervalMs = 100) {
  const used = new Map<number, number>();
  const tracked = new Set<number>();
  const other = new Set<number>();
  const ticks = (pid: number): number | null => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(f[11]) + Number(f[12]);
    } catch {
      return null;
    }
  };
  const credit = (pid: number) => {
    const t = ticks(pid);
    if (t !== null) used.set(pid, Math.max(used.get(pid) ?? 0, t));
  };
  const sample = () => {
    for (const pid of tracked) credit(pid);
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const pid = Number(name);
      if (other.has(pid) || tracked.has(pid)) continue;
      let cmd: string;
      try {
        cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      // A backend names its database in its title once started; until then it is looked at again next time.
      if (!cmd.includes('postgres')) {
        other.add(pid);
        continue;
      }
      const leader = /parallel worker for PID (\d+)/.exec(cmd);
      if (databases.some((d) => cmd.includes(` ${d} `)) || (leader && tracked.has(Number(leader[1])))) {
        tracked.add(pid);
        credit(pid);
      }
    }
  };
  const timer = setInterval(sample, intervalMs);
  return {
    /** Our own process, credited like a backend. */
    track(pid: number | undefined) {
      if (pid !== undefined) tracked.add(pid);
    },
    /** Stops sampling; CPU seconds of everything tracked (each process is new to the run, so all its CPU time counts). */
    stop(): number {
      sample();
      clearInterval(timer);
      return [...used.values()].reduce((a, b) => a + b, 0) / TICKS_PER_SECOND;
    },
  };
}
