import { type ClassifyResult, type RowDiffResult, subjectsText } from '../../../electron/shared/row-diff';
import type { IncidentRun } from '../../../electron/shared/workflow';
import { useValidation } from '../stores/validation-store';
import { RegulatedDataFacts } from './regulated-data-facts';

const classesIn = (tables: ReadonlyArray<{ classes: readonly string[] } | null>): string[] =>
  [...new Set(tables.flatMap((t) => t?.classes ?? []))].sort();

/** A diff against the backup: per table the rows missing, extra and changed, what they held, and the key list to open. */
export function RowDiffResultView({ runId, diff, run }: { runId: string; diff: RowDiffResult; run: IncidentRun }) {
  const keys = useValidation((s) => s.keys);
  const openKeys = useValidation((s) => s.openKeys);
  const closeKeys = useValidation((s) => s.closeKeys);
  const differing = diff.tables.filter((t) => t.status !== 'match');
  const classes = classesIn(differing.map((t) => t.personal));
  return (
    <>
      <p className="sub">
        {diff.reference} (the backup) against {diff.actual}: {differing.length} of {diff.tables.length} tables differ.
      </p>
      {diff.notes.map((n) => (
        <p key={n} className="warn">
          {n}
        </p>
      ))}
      <RegulatedDataFacts run={run} classes={classes} source={`the diff ${runId}`} />
      <table className="grid" data-testid="diff-tables">
        <thead>
          <tr>
            <th>Table</th>
            <th>Missing</th>
            <th>Extra</th>
            <th>Changed</th>
            <th>Personal data</th>
            <th>People affected</th>
            <th>Keys</th>
          </tr>
        </thead>
        <tbody>
          {diff.tables.map((t) => (
            <tr key={t.table} data-testid="diff-row" data-table={t.table} data-status={t.status} className={t.status === 'match' ? '' : 'bad-row'}>
              <td className="mono">
                {t.table}
                {t.keyedBy === 'whole-row' && <div className="sub">no primary key: whole rows</div>}
                {t.message && <div className="sub">{t.message}</div>}
              </td>
              <td>{t.missing}</td>
              <td>{t.extra}</td>
              <td>{t.changed}</td>
              <td className={t.personal?.classes.length ? 'error-text' : ''}>{t.personal?.categories.length ? `${t.personal.classes.join(', ')}: ${t.personal.categories.join(', ')}` : ''}</td>
              <td>
                {t.personal?.subjects ? `${t.personal.subjects.affected} of ${t.personal.subjects.total} (${t.personal.subjects.table})` : ''}
                {t.personal?.subjects && t.personal.subjects.steps.length > 1 && <div className="sub">{subjectsText(t.personal.subjects)}</div>}
              </td>
              <td>
                {t.keysFile && (
                  <button type="button" className="link" onClick={() => void openKeys(runId, t.table)} data-testid="diff-open-keys">
                    Open key list
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {keys && keys.runId === runId && (
        <div className="result" data-testid="diff-keys" data-table={keys.table} data-total={keys.total}>
          <h4>
            Keys of {keys.table}: the first {keys.keys.length} of {keys.total} (evidence {keys.evidenceId}){' '}
            <button type="button" className="link" onClick={closeKeys} data-testid="diff-close-keys">
              Close
            </button>
          </h4>
          <table className="grid">
            <thead>
              <tr>
                {keys.header.map((h) => (
                  <th key={h}>{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {keys.keys.map((k) => (
                <tr key={k.join('\u0000')} data-testid="diff-key">
                  {k.map((v, i) => (
                    <td key={keys.header[i] ?? i} className="mono">
                      {v}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** Personal data in a database: per table the categories found and whose data it is; never a value. */
export function ClassifyResultView({ runId, classify, run }: { runId: string; classify: ClassifyResult; run: IncidentRun }) {
  const personal = classify.tables.filter((t) => t.classes.length || t.error);
  return (
    <>
      <RegulatedDataFacts run={run} classes={classesIn(classify.tables)} source={`the classification ${runId}`} />
      <table className="grid" data-testid="classify-tables">
        <thead>
          <tr>
            <th>Table</th>
            <th>Rows</th>
            <th>Classes</th>
            <th>Columns</th>
            <th>Whose</th>
          </tr>
        </thead>
        <tbody>
          {personal.map((t) => (
            <tr key={t.table} data-testid="classify-row" data-table={t.table}>
              <td className="mono">{t.table}</td>
              <td>{t.rows ?? ''}</td>
              <td>{t.classes.join(', ')}</td>
              <td className="small">
                {t.error ??
                  t.columns
                    .filter((c) => c.categories.length)
                    .map((c) => `${c.column} (${c.categories.join(', ')})`)
                    .join(', ')}
              </td>
              <td>
                {t.subjects ? `${t.subjects.count} in ${t.subjects.table}` : ''}
                {t.subjects && t.subjects.steps.length > 1 && <div className="sub">{subjectsText(t.subjects)}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {personal.length === 0 && <p>No personal data found in {classify.tables.length} tables.</p>}
    </>
  );
}
