import { createHash } from 'node:crypto';
import type { ReportScopeOfLoss } from '../../shared/reports';
import { type RowDiffPersonal, type RowDiffResult, subjectsText } from '../../shared/row-diff';
import type { CoreContext } from '../context';
import { ValidationRunRepository } from '../validation/runs/runs-repository';

/**
 * The scope of the loss for the incident report: every finished row diff with the tables that differ, their counts,
 * the personal data categories and classes they held and how many people they touch. Read from the stored result,
 * checked against its evidence hash, so the report never shows a count the evidence no longer supports.
 */
export function reportScopeOfLoss(ctx: CoreContext, incidentId: string): ReportScopeOfLoss[] {
  const repo = new ValidationRunRepository(ctx.db);
  return repo
    .list(incidentId, 'diff')
    .filter((r) => r.status === 'done')
    .reverse()
    .map((run) => {
      const empty = { runId: run.id, reference: '', actual: run.target ?? '', comparedAt: run.finishedAt ?? run.startedAt, tables: [], classes: [] };
      const stored = repo.result(run.id);
      if (!stored) return { ...empty, problem: 'its result was not stored' };
      if (stored.sha256 && createHash('sha256').update(stored.text, 'utf8').digest('hex') !== stored.sha256) {
        return { ...empty, problem: `its stored result no longer matches its evidence hash ${stored.sha256}` };
      }
      const r = JSON.parse(stored.text) as RowDiffResult;
      const tables = r.tables
        .filter((t) => t.status !== 'match')
        .map((t) => ({
          table: t.table,
          status: t.status,
          keyedBy: t.keyedBy,
          missing: t.missing,
          extra: t.extra,
          changed: t.changed,
          categories: t.personal?.categories ?? [],
          classes: t.personal?.classes ?? [],
          subjects: t.personal?.subjects ? subjectsOf(t.personal.subjects) : null,
          keysEvidence: t.keysFile ? (t.keysFile.split(' ')[0] ?? null) : null,
        }));
      return { runId: run.id, reference: r.reference, actual: r.actual, comparedAt: r.comparedAt, tables, classes: [...new Set(tables.flatMap((t) => t.classes))].sort(), problem: null };
    });
}

/** The people behind a table's lost rows and the path followed to them (results stored before paths had none). */
function subjectsOf(s: NonNullable<RowDiffPersonal['subjects']>): NonNullable<ReportScopeOfLoss['tables'][number]['subjects']> {
  const steps = s.steps ?? [];
  return { table: s.table, columns: s.columns, total: s.total, affected: s.affected, path: steps.length ? subjectsText({ ...s, steps }) : '' };
}
