import { plural } from '../../../shared/plural';
import type { IncidentReportModel } from '../../../shared/reports';
import { utc } from '../format';

/** Log files not read in full and failed lookups: a hash that matches says the file is as received, not that it is whole. */
export function UnreadLogs({ m }: { m: IncidentReportModel }) {
  const unread = m.evidence.unreadLogs ?? [];
  if (unread.length === 0) return null;
  return (
    <>
      <h3>Log files that could not be read in full</h3>
      <p className="bad">
        {plural(unread.length, 'log file or lookup', 'log files or lookups')} not read in full: their events are missing from the analysis, whatever their
        hashes say.
      </p>
      <table>
        <thead>
          <tr>
            <th>When</th>
            <th>Source</th>
            <th>Item</th>
            <th>File or lookup</th>
            <th>Outcome</th>
            <th>Why</th>
          </tr>
        </thead>
        <tbody>
          {unread.map((u, i) => (
            // The same file can fail twice (imported again); the position keeps the rows apart.
            <tr key={`${u.at}-${u.what}-${i}`}>
              <td className="small">{utc(u.at)}</td>
              <td>{u.source}</td>
              <td>{u.evidenceId ?? '—'}</td>
              <td className="small hash">{u.what}</td>
              <td className="bad">{u.outcome === 'failed' ? 'not read' : 'read in part'}</td>
              <td className="small">{u.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
