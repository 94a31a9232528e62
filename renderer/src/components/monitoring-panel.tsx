import { type FormEvent, useState } from 'react';
import type { IncidentRun } from '../../../electron/shared/workflow';
import { errorText } from '../api/client';
import { plural } from '../../../electron/shared/plural';
import { useRun } from '../stores/run-store';
import { CollapsibleBanner } from './collapsible-banner';

/** The 30 days after Recovery: every daily check is logged; an alert reopens Containment. */
export function MonitoringPanel({ run }: { run: IncidentRun }) {
  const change = useRun((s) => s.change);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const m = run.monitoring;
  if (!m) return null;
  const log = (result: 'clear' | 'alert') => async (e?: FormEvent) => {
    e?.preventDefault();
    setError(null);
    try {
      await change('workflow.logMonitoringCheck', { result, note: note.trim() || (result === 'clear' ? 'No destructive calls by agent identities.' : '') });
      setNote('');
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <CollapsibleBanner
      seenKey={`${run.incident.id}:monitoring`}
      className="card"
      testId="monitoring"
      label="Post-recovery monitoring"
      summary={
        <>
          <strong>Monitoring until {m.endsAt.slice(0, 10)}</strong>: {plural(m.daysLeft, 'day')} left, {plural(m.checks.length, 'check')} logged, {plural(m.alerts, 'alert')}
        </>
      }
    >
      <p className="hint">
        From {new Date(m.startedAt).toUTCString()} to {new Date(m.endsAt).toUTCString()}.
        Review the agent identities' CloudTrail daily for DeleteTable, DropDatabase, PurgeQueue and the like; an alert reopens Containment.
      </p>
      <form className="inline-form" onSubmit={log('clear')}>
        <input value={note} onChange={(e) => setNote(e.target.value)} placeholder="What was checked, what was found" aria-label="Check note" data-testid="monitoring-note" />
        <button type="submit" data-testid="monitoring-clear">Log a clear check</button>
        <button type="button" className="danger" onClick={() => void log('alert')()} disabled={!note.trim()} data-testid="monitoring-alert">
          Raise an alert
        </button>
      </form>
      {error && <p className="error">{error}</p>}
      {m.checks.length > 0 && (
        <ul className="checks">
          {m.checks.slice(-10).reverse().map((c) => (
            <li key={c.at} className={c.result === 'alert' ? 'alert' : ''}>
              {new Date(c.at).toUTCString()} · {c.result === 'alert' ? 'ALERT' : 'clear'} · {c.note}{' '}
              <span className="sub">
                ({c.initiator === 'automated' ? 'automated, ' : ''}
                {c.by.name})
              </span>
            </li>
          ))}
        </ul>
      )}
    </CollapsibleBanner>
  );
}
