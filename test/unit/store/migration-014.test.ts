import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../../electron/core/context';
import { openIncident } from '../../../electron/core/incidents/handlers';
import { playbookLibrary } from '../../../electron/core/playbooks/library';
import { openDatabase } from '../../../electron/core/store/database';
import { migrations } from '../../../electron/core/store/migrations/index';
import type { ValidationRun } from '../../../electron/shared/validation';
import { call, repoRoot, testCore, testOperator } from '../../helpers/core';
import { tempDir } from '../../helpers/temp';

describe('migration 014: diff and classify runs', () => {
  it('keeps every earlier validation run, its id, order and self-reference, and then takes diff runs', async () => {
    const dir = tempDir('firebreak-diff2-m014-');
    try {
      // A data directory as the app left it with every migration but 014 (015 came first on some machines).
      const db = openDatabase(dir.path, { migrations: migrations.filter((m) => m.id !== 14) });
      const ctx = createContext({
        db,
        dataDir: dir.path,
        resourcesDir: repoRoot,
        mode: 'cli',
        version: 'old',
        playbooks: playbookLibrary([join(repoRoot, 'playbooks')]),
        operator: testOperator,
        now: () => new Date('2026-03-01T10:00:00Z'),
      });
      const { id } = openIncident(ctx, { playbookId: 'agent-destructive-action', title: 'before diff runs', params: {} });
      const insert = db.prepare(
        `INSERT INTO validation_runs (num, id, incident_id, kind, status, target, baseline_run_id, started_at, started_by, started_by_role, verdict, summary)
         VALUES (?, ?, ?, ?, 'done', 'sqlite:/x.db', ?, '2026-03-01T10:00:00Z', 'Dana', 'IR lead', ?, ?)`,
      );
      insert.run(1, 'VR-000001', id, 'baseline', null, 'captured', '2 tables, 5 rows');
      insert.run(2, 'VR-000002', id, 'compare', 'VR-000001', 'mismatch', '1 of 2 tables differ');
      expect(() => insert.run(3, 'VR-000003', id, 'diff', null, 'mismatch', 'x')).toThrow(/CHECK/);
      db.close();

      const core = testCore(dir.path);
      try {
        const runs = await call<ValidationRun[]>(core, 'validation.runs', { incidentId: id });
        expect(runs.map((r) => [r.id, r.kind, r.baselineRunId, r.summary])).toEqual([
          ['VR-000002', 'compare', 'VR-000001', '1 of 2 tables differ'],
          ['VR-000001', 'baseline', null, '2 tables, 5 rows'],
        ]);
      } finally {
        core.close();
      }
      const after = openDatabase(dir.path, { migrations });
      try {
        expect(() => after.prepare("UPDATE validation_runs SET baseline_run_id = 'VR-999999' WHERE id = 'VR-000002'").run()).toThrow(/FOREIGN KEY/);
        after.prepare(
          `INSERT INTO validation_runs (num, id, incident_id, kind, status, started_at, started_by, started_by_role) VALUES (3, 'VR-000003', ?, 'diff', 'running', '2026-03-01T10:00:00Z', 'Dana', 'IR lead')`,
        ).run(id);
      } finally {
        after.close();
      }
    } finally {
      dir.cleanup();
    }
  });
});
