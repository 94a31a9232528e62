import { useEffect } from 'react';
import { useRun } from '../stores/run-store';

/** Who did what and when, read from the incident's ledger; machine work is marked as such. */
export function ActivityTimeline() {
  const { timeline, loadTimeline, run } = useRun();
  useEffect(() => {
    void loadTimeline();
  }, [loadTimeline, run]);
  return (
    <section className="card" data-testid="timeline" aria-label="Activity">
      <h2>Activity</h2>
      <p className="hint">From the tamper-evident ledger, newest first.</p>
      <ol className="timeline" reversed>
        {[...timeline].reverse().map((e) => (
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
