import { afterEach, beforeEach } from 'vitest';
import type { Core, CoreOptions } from '../../electron/core/core';
import { call, testCore } from './core';
import { tempDir } from './temp';

/** A real core on its own temporary data dir, with the test operator and one incident opened from a playbook. */
export interface IncidentFixture {
  dataDir: string;
  core: Core;
  /** The incident's id. */
  id: string;
  /** The core's clock: assign `clock.now` to move it. */
  clock: { now: Date };
  /** Closes the core and removes the data dir. */
  close(): void;
}

export interface IncidentOptions {
  /** What the core's clock reads, until a test moves it. */
  at: string;
  /** The `incidents.create` input; the default is the agent-destructive-action playbook with nothing else. */
  create?: Record<string, unknown>;
  core?: Partial<CoreOptions>;
}

export async function openIncident(o: IncidentOptions): Promise<IncidentFixture> {
  const dir = tempDir();
  const clock = { now: new Date(o.at) };
  const core = testCore(dir.path, { now: () => clock.now, ...o.core });
  const close = () => {
    core.close();
    dir.cleanup();
  };
  try {
    const { id } = await call<{ id: string }>(core, 'incidents.create', o.create ?? { playbookId: 'agent-destructive-action' });
    return { dataDir: dir.path, core, id, clock, close };
  } catch (e) {
    close();
    throw e;
  }
}

/**
 * A fresh fixture for every test of the enclosing describe, closed after it. The returned object takes the fields
 * of each test's fixture in turn, so read them inside tests and hooks, not when the describe is collected.
 */
export function perTest<T extends { close(): void }>(open: () => Promise<T>): T {
  const current = {} as T;
  let opened: T | undefined;
  beforeEach(async () => {
    opened = await open();
    Object.assign(current, opened);
  });
  afterEach(() => {
    opened?.close();
    opened = undefined;
  });
  return current;
}
