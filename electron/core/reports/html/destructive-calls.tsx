import type { ReactNode } from 'react';
import type { ReportDestructiveCalls, ReportDestructiveIdentity } from '../../../shared/reports';
import { DESTRUCTIVE_TABLE_MAX, LISTING_HEAD, appendixIntro, callLine, callTime, identityHeading, operationsLine, shortEventId } from '../destructive-lines';

function IdentityTable({ i }: { i: ReportDestructiveIdentity }) {
  return (
    <table className="calls">
      <colgroup>
        <col className="at" />
        <col className="op" />
        <col className="res" />
        <col className="region" />
        <col className="status" />
        <col className="event" />
      </colgroup>
      <thead>
        <tr>
          <th>Time (UTC)</th>
          <th>Operation</th>
          <th>Resource</th>
          <th>Region</th>
          <th>Status</th>
          <th>Event</th>
        </tr>
      </thead>
      <tbody>
        {i.calls.map((c) => (
          <tr key={c.eventId}>
            <td>{callTime(c.at)}</td>
            <td className="wrap">{c.operation}</td>
            <td className="cut">{c.resource}</td>
            <td>{c.region ?? '—'}</td>
            <td className={c.status === 'ok' ? 'wrap' : 'wrap muted'}>
              {c.status}
            </td>
            <td>{shortEventId(c.eventId)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Thousands of calls: one text node per identity, which prints in seconds where a table of thousands of rows does not. */
function IdentityListing({ i }: { i: ReportDestructiveIdentity }) {
  return (
    <pre className="listing">
      <b>{LISTING_HEAD}</b>
      {i.calls.map(callLine).join('')}
    </pre>
  );
}

/**
 * The appendix "All destructive calls": every destructive call the cloud logs hold, by identity and operation, one
 * dense line each, so that the timeline's list of distinct calls is backed by each call that was made.
 */
export function DestructiveCallsAppendix({ d }: { d: ReportDestructiveCalls | null | undefined }): ReactNode {
  if (!d) return null;
  const listed = d.total - d.notListed;
  const asListing = listed > DESTRUCTIVE_TABLE_MAX;
  return (
    <section id="all-destructive-calls" className="appendix">
      <h2>Appendix: All destructive calls</h2>
      <p className="small">{appendixIntro(d)}</p>
      {asListing ? <p className="small muted">More than {DESTRUCTIVE_TABLE_MAX} calls: listed as text, one line per call, so that the report prints in seconds.</p> : null}
      {d.identities.map((i) => (
        <div key={i.principal} data-testid="destructive-identity">
          <h3 className="calls">{identityHeading(i)}</h3>
          <p className="small muted">{operationsLine(i)}</p>
          {i.calls.length ? asListing ? <IdentityListing i={i} /> : <IdentityTable i={i} /> : null}
        </div>
      ))}
    </section>
  );
}
