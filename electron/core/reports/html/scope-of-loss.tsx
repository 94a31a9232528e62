import { plural } from '../../../shared/plural';
import type { ReportScopeOfLoss } from '../../../shared/reports';
import { utc } from '../format';
import { Section } from './common';

/** Which rows the incident lost or changed, per table, and whose personal data they held (issue 20). */
export function ScopeOfLossSection({ diffs }: { diffs: ReportScopeOfLoss[] | undefined }) {
  if (!diffs?.length) return null;
  return (
    <Section title="Scope of the loss: rows and personal data" id="scope-of-loss">
      {diffs.map((d) => (
        <div key={d.runId}>
          <p>
            {d.runId}: {d.reference ? `${d.reference} (the backup) against ${d.actual}` : d.actual}, {utc(d.comparedAt)}.{' '}
            {d.problem ? <span className="bad">Not shown: {d.problem}.</span> : d.tables.length === 0 ? 'Same rows in every table.' : null}
            {d.classes.length ? <strong className="bad"> The loss holds {d.classes.join(', ')}.</strong> : null}
          </p>
          {d.tables.length ? (
            <table>
              <thead>
                <tr>
                  <th>Table</th>
                  <th>Missing</th>
                  <th>Extra</th>
                  <th>Changed</th>
                  <th>Personal data</th>
                  <th>People affected</th>
                  <th>Key list</th>
                </tr>
              </thead>
              <tbody>
                {d.tables.map((t) => (
                  <tr key={t.table}>
                    <td>
                      {t.table}
                      {t.status !== 'differs' ? <div className="small">{t.status}</div> : null}
                      {t.keyedBy === 'whole-row' ? <div className="small">no primary key: whole rows compared</div> : null}
                    </td>
                    <td>{t.missing}</td>
                    <td>{t.extra}</td>
                    <td>{t.changed}</td>
                    <td className={t.classes.length ? 'bad' : ''}>{t.categories.length ? `${t.classes.join(', ')}: ${t.categories.join(', ')}` : '—'}</td>
                    <td>
                      {t.subjects ? `${t.subjects.affected} of ${plural(t.subjects.total, 'person', 'people')} (${t.subjects.table})` : '—'}
                      {t.subjects ? <div className="small">{t.subjects.path ? `through ${t.subjects.path}` : 'by its own key'}</div> : null}
                    </td>
                    <td className="small">{t.keysEvidence ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      ))}
    </Section>
  );
}
