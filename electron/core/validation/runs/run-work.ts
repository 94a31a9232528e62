import type { BaselineManifest, ValidationRunKind } from '../../../shared/validation';
import { withTarget } from '../adapters/connect';
import type { TargetSpec } from '../adapters/target-url';
import { captureBaseline, serializeManifest } from '../baseline/baseline';
import { compareSummaryLine, compareWithBaseline } from '../baseline/compare';
import { checkBackupFile } from '../checks/backup-check';
import { checkDatabase } from '../checks/database-check';
import { type DiffWork, performDiffWork } from './diff-work';
import type { WorkContext, WorkOutcome } from './work';

export type { WorkContext, WorkOutcome } from './work';

/** What a run does, once its row and ledger entry exist. */
export type RunWork =
  | { kind: 'baseline'; target: TargetSpec; tables?: string[] | undefined; schemas?: string[] | undefined }
  | { kind: 'compare'; target: TargetSpec; baseline: BaselineManifest; baselineSha256: string | null }
  | { kind: 'check-database'; target: TargetSpec; tables?: string[] | undefined }
  | { kind: 'check-backup'; path: string; expectedSha256?: string | undefined }
  | DiffWork;

const fileSafe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);

export async function performWork(work: RunWork, c: WorkContext): Promise<WorkOutcome> {
  const common = { signal: c.signal, onProgress: c.onProgress, now: c.now };
  const targetOptions = { nativeBinding: c.nativeBinding };
  switch (work.kind) {
    case 'diff':
    case 'classify':
      return performDiffWork(work, c);
    case 'baseline': {
      const m = await withTarget(work.target, targetOptions, (a) => captureBaseline(a, { ...common, tables: work.tables, schemas: work.schemas }));
      const rows = m.tables.reduce((s, t) => s + (t.rows ?? 0), 0);
      const unread = m.tables.filter((t) => t.error);
      return {
        body: serializeManifest(m),
        engine: m.engine,
        verdict: 'captured',
        summary: `${m.tables.length} tables, ${rows} rows${unread.length ? `; ${unread.length} could not be read (${unread.map((t) => t.table).slice(0, 5).join(', ')})` : ''}`,
        evidenceName: `baseline-${c.runId}-${fileSafe(m.database ?? 'db')}.json`,
        sourceKind: 'database-baseline',
        record: { tables: m.tables.length, rows, unreadable: unread.map((t) => t.table) },
      };
    }
    case 'compare': {
      const r = await withTarget(work.target, targetOptions, (a) => compareWithBaseline(a, work.baseline, { ...common, baselineSha256: work.baselineSha256 }));
      return {
        body: serializeManifest(r),
        engine: r.engine,
        verdict: r.match ? 'match' : 'mismatch',
        summary: compareSummaryLine(r),
        evidenceName: `compare-${c.runId}.json`,
        sourceKind: 'validation-result',
        record: {
          match: r.match,
          summary: r.summary,
          differences: r.tables.filter((t) => t.status !== 'match').slice(0, 100).map((t) => ({ table: t.table, status: t.status, delta: t.delta })),
        },
      };
    }
    case 'check-database': {
      const r = await withTarget(work.target, targetOptions, (a) => checkDatabase(a, { tables: work.tables, signal: c.signal, now: c.now }));
      const bad = r.tables.filter((t) => t.status === 'problem' || t.status === 'error');
      return {
        body: serializeManifest(r),
        engine: r.engine,
        verdict: r.ok ? 'ok' : 'problem',
        summary: r.ok ? `${r.method}: no problem found` : `${r.method}: problems in ${bad.length ? bad.map((t) => t.table).slice(0, 5).join(', ') : 'the database'}`,
        evidenceName: `check-${c.runId}.json`,
        sourceKind: 'validation-result',
        record: { ok: r.ok, method: r.method, problems: bad.map((t) => t.table).slice(0, 100) },
      };
    }
    case 'check-backup': {
      const r = await checkBackupFile(work.path, { expectedSha256: work.expectedSha256, signal: c.signal, nativeBinding: c.nativeBinding, now: c.now });
      return {
        body: serializeManifest(r),
        engine: null,
        verdict: r.ok ? 'ok' : 'problem',
        summary: r.ok ? `${r.format}, sha256 ${r.sha256.slice(0, 12)}…${r.sha256Match ? ' matches the recorded value' : ''}` : r.problems.join(' '),
        evidenceName: `backup-check-${c.runId}.json`,
        sourceKind: 'validation-result',
        record: { ok: r.ok, sha256: r.sha256, sha256Match: r.sha256Match, format: r.format, problems: r.problems },
      };
    }
  }
}

export const completedAction: Record<ValidationRunKind, string> = {
  baseline: 'validation.baseline-captured',
  import: 'validation.baseline-imported',
  compare: 'validation.compared',
  'check-database': 'validation.database-checked',
  'check-backup': 'validation.backup-checked',
  diff: 'validation.diffed',
  classify: 'validation.classified',
};
