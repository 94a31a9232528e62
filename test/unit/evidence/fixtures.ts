import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type CoreContext, createContext } from '../../../electron/core/context';
import { FirebreakError } from '../../../electron/core/errors';
import type { Actor } from '../../../electron/core/ledger/ledger';
import { type Db, openDatabase } from '../../../electron/core/store/database';

/** A playbook with two steps, pinned by the test incidents (step links are checked against it). */
export const TEST_PLAYBOOK = `id: evidence-test
version: 1.0.0
title: Evidence test
summary: A playbook for evidence tests.
severity: high
phases:
  - id: containment
    title: Containment
    steps:
      - id: isolate-agent
        title: Isolate the agent
      - id: revoke-keys
        title: Revoke the keys
`;

export const ACTOR: Actor = { name: 'Dana Reyes', role: 'IR lead', initiator: 'human' };

/**
 * Opens an incident straight in the store (with its incident.opened ledger entry), so evidence tests do not depend on
 * playbook validation that other domains own.
 */
export function seedIncident(ctx: CoreContext, id = 'IR-2026-0001'): string {
  ctx.change(ACTOR, { scope: id, action: 'incident.opened', subject: id, payload: { title: 'Evidence test' } }, () => {
    ctx.db
      .prepare(
        `INSERT INTO incidents (id, title, status, severity, playbook_id, playbook_version, playbook_title, playbook_sha256,
           playbook_content, params, phase, created_at, created_by, created_by_role)
         VALUES (?, 'Evidence test', 'open', 'high', 'evidence-test', '1.0.0', 'Evidence test', ?, ?, '{}', 'containment', ?, ?, ?)`,
      )
      .run(id, '0'.repeat(64), TEST_PLAYBOOK, ctx.now().toISOString(), ACTOR.name, ACTOR.role);
  });
  return id;
}

export function contextFor(db: Db, dataDir: string): CoreContext {
  return createContext({
    db,
    dataDir,
    resourcesDir: dataDir,
    mode: 'cli',
    version: 'test',
    playbooks: { list: () => [], get: () => undefined } as unknown as CoreContext['playbooks'],
    operator: { name: ACTOR.name, role: ACTOR.role },
  });
}

export interface Fixture {
  root: string;
  dataDir: string;
  db: Db;
  ctx: CoreContext;
  incidentId: string;
  /** Closes and opens the database again (a restart). */
  reopen(): CoreContext;
  cleanup(): void;
}

export function makeFixture(): Fixture {
  const root = mkdtempSync(join(tmpdir(), 'fb-evidence-'));
  const dataDir = join(root, 'data');
  const f = {
    root,
    dataDir,
    db: openDatabase(dataDir),
  } as Fixture;
  f.ctx = contextFor(f.db, dataDir);
  f.incidentId = seedIncident(f.ctx);
  f.reopen = () => {
    f.db.close();
    f.db = openDatabase(dataDir);
    f.ctx = contextFor(f.db, dataDir);
    return f.ctx;
  };
  f.cleanup = () => {
    if (f.db.open) f.db.close();
    rmSync(root, { recursive: true, force: true });
  };
  return f;
}

/** The FirebreakError a promise rejects with (the test fails if it resolves or throws anything else). */
export async function rejection(p: Promise<unknown>): Promise<FirebreakError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(FirebreakError);
  return e as FirebreakError;
}
