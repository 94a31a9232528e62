import type { RunProgress } from '../../../shared/validation';
import type { Actor } from '../../ledger/ledger';

/** A run executing in this process: its cancel switch, its latest progress and a way to wait for the next change. */
export class LiveRun {
  readonly controller = new AbortController();
  progress: RunProgress | null = null;
  /** Who asked to cancel, for the ledger entry. */
  cancelledBy: Actor | null = null;
  private waiters: Array<() => void> = [];
  private settled = false;

  /** Resolves at the next progress change or when the run ends (at once if it has ended). */
  nextChange(): Promise<void> {
    if (this.settled) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  setProgress(p: RunProgress): void {
    this.progress = p;
    this.wake();
  }

  settle(): void {
    this.settled = true;
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const resolve of w) resolve();
  }
}

/** The runs of this process. A run recorded as running that is not here was cut off by a restart: "interrupted". */
export class LiveRuns {
  private readonly runs = new Map<string, LiveRun>();

  constructor(readonly limit: number) {}

  get size(): number {
    return this.runs.size;
  }

  add(id: string): LiveRun {
    const run = new LiveRun();
    this.runs.set(id, run);
    return run;
  }

  get(id: string): LiveRun | undefined {
    return this.runs.get(id);
  }

  remove(id: string): void {
    this.runs.get(id)?.settle();
    this.runs.delete(id);
  }
}

/** Waits for the next change of a run, but no longer than ms. */
export async function waitForChange(run: LiveRun, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([run.nextChange(), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
