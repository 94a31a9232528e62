import { useEffect } from 'react';
import type { IncidentRun } from '../../../electron/shared/workflow';
import { useActivity } from '../stores/activity-store';

/** Who did what and when, read from the incident's ledger; machine work is marked as such. */
export function ActivityTimeline({ run }: { run: IncidentRun }) {
  const incidentId = run.incident.id;
  const mine = useActivity((s) => s.incidentId === incidentId);
  const stored = useActivity((s) => s.entries);
  const status = useActivity((s) => (mine ? s.status : 'loading'));
  const error = useActivity((s) => s.error);
  const load = useActivity((s) => s.load);
  const entries = mine ? stored : [];
  // The run changes with every recorded action: read the ledger again then.
  useEffect(() => {
    void load(incidentId);
  }, [load, incidentId, run]);
  return (
    <section className="card" data-testid="activity-panel" data-state={status} aria-label="Activity">
      <h2>Activity</h2>
      <p className="hint">From the tamper-evident ledger, newest first.</p>
      {error && <p className="error" role="alert" data-testid="activity-error">{error}</p>}
      <ol className="timeline" reversed>
        {[...entries].reverse().map((e) => (
          <li key={e.seq} className={e.action.includes('override') ? 'override' : e.initiator === 'automated' ? 'automated' : ''} data-testid="timeline-entry" data-action={e.action}>
            <time dateTime={e.at}>{new Date(e.at).toUTCString()}</time>
            <span className="actor">
              {e.actor} <span className="sub">({e.actorRole}{e.initiator === 'automated' ? ', automated' : ''})</span>
            </span>
            <span className="summary">{e.summary}</span>
            <span className="sub mono">#{e.seq} {e.action}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
