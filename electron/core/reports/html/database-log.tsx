import type { ReportDatabaseLog, ReportDbLogEntry } from '../../../shared/reports';
import { utc } from '../format';

const SOURCE_LABEL: Record<ReportDbLogEntry['source'], string> = {
  'mariadb-binlog': 'binlog',
  'postgresql-csvlog': 'PostgreSQL csvlog',
  'postgresql-stderr': 'PostgreSQL log',
};

/**
 * The databases' own record of the incident: rows deleted per table (from row events), then every destructive
 * statement in time order, each tied to the evidence file and line it was read from.
 */
export function DatabaseLog({ log }: { log: ReportDatabaseLog | null }) {
  if (!log) return <p>No database log (binlog, csvlog, pgaudit) has been imported for this incident.</p>;
  return (
    <>
      <p>
        {log.statements} statements from {utc(log.first)} to {utc(log.last)}, {log.destructive} of them destructive (DELETE, UPDATE, DROP, TRUNCATE,
        ALTER ... DROP).
      </p>
      {log.rowsDeleted.length ? (
        <>
          <h3>Rows deleted per table</h3>
          <table data-testid="report-rows-deleted">
            <thead>
              <tr>
                <th>Table</th>
                <th className="num">Rows deleted</th>
              </tr>
            </thead>
            <tbody>
              {log.rowsDeleted.map((r) => (
                <tr key={r.table}>
                  <td>{r.table}</td>
                  <td className="num bad">{r.rows}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <p className="small muted">The imported logs hold no row events, so rows deleted per table are not known from them (statement logs say what ran, not how many rows it touched).</p>
      )}
      <h3>Destructive statements in time order</h3>
      {log.entries.length ? (
        <table data-testid="report-db-statements">
          <thead>
            <tr>
              <th>When</th>
              <th>Login / database</th>
              <th>Operation</th>
              <th>Table</th>
              <th className="num">Rows</th>
              <th>Statement</th>
            </tr>
          </thead>
          <tbody>
            {log.entries.map((e) => (
              <tr key={`${e.evidenceId}:${e.line}:${e.table ?? ''}`}>
                <td className="small">{utc(e.at)}</td>
                <td className="small">
                  {e.login ?? '—'}
                  {e.database ? ` / ${e.database}` : ''}
                </td>
                <td className="bad">{e.operation}</td>
                <td>{e.table ?? '—'}</td>
                <td className="num">{e.rows ?? '—'}</td>
                <td>
                  <code>{e.statement}</code>
                  <div className="small muted">
                    {SOURCE_LABEL[e.source]} · {e.evidenceId} line {e.line}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>None of the imported statements removed or rewrote data or structure.</p>
      )}
      {log.notListed ? <p className="small">{log.notListed} more destructive statements are not listed here; they are in the evidence files named above.</p> : null}
    </>
  );
}
