import type { ReportFinding } from '../../../shared/reports';

/** "2026-03-10 00:02:25": the report's times are all UTC, said once in the column head, so a cell holds one line. */
const stamp = (iso: string | null): string => (iso ? iso.replace('T', ' ').replace(/(\.\d+)?Z$/, '') : '—');

/** When a finding happened: one time when it is one call, else first and last, each on one line. */
function When({ f }: { f: ReportFinding }) {
  if (!f.lastAt || f.lastAt === f.firstAt) return <>{stamp(f.firstAt)}</>;
  return (
    <>
      {stamp(f.firstAt)}
      <br />
      {stamp(f.lastAt)}
    </>
  );
}

/**
 * The findings as a table that fits the page: fixed column widths, the principal under the title (only when the title
 * does not already name it) instead of a narrow column of its own, and times that never break inside, so a finding
 * takes two or three lines, not eight.
 */
export function FindingsTable({ findings }: { findings: readonly ReportFinding[] }) {
  return (
    <table className="findings">
      <colgroup>
        <col className="finding" />
        <col className="severity" />
        <col className="attack" />
        <col className="when" />
        <col className="events" />
      </colgroup>
      <thead>
        <tr>
          <th>Finding</th>
          <th>Severity</th>
          <th>ATT&amp;CK</th>
          <th>When (UTC)</th>
          <th className="num">Events</th>
        </tr>
      </thead>
      <tbody>
        {findings.map((f) => (
          <tr key={f.id}>
            <td>
              {f.title}
              <div className="small muted">
                {f.id} · {f.kind}
                {f.principalArn && !f.title.includes(f.principalArn) ? ` · ${f.principalArn}` : ''}
              </div>
            </td>
            <td className={f.severity === 'critical' || f.severity === 'high' ? 'bad' : ''}>{f.severity}</td>
            <td className="small">{f.attack.join(', ')}</td>
            <td className="small when">
              <When f={f} />
            </td>
            <td className="num">{f.events}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
