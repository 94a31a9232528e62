import { type FormEvent, useState } from 'react';
import type { IncidentRun, RegulatoryClock } from '../../../electron/shared/workflow';
import { errorText } from '../api/client';
import { useRun } from '../stores/run-store';
import { CollapsibleBanner } from './collapsible-banner';
import { isoToLocalInput, localInputToIso, remaining, useNow } from './use-now';

/** Notification deadlines started by a decision that confirmed personal, health or financial data. */
export function ClocksPanel({ run }: { run: IncidentRun }) {
  const now = useNow();
  if (run.clocks.length === 0) return null;
  const line = run.clocks.map((c) => `${c.regime}: ${c.status === 'notified' ? 'notified' : c.dueAt ? remaining(c.dueAt, now) : 'not started'}`).join(' · ');
  return (
    <CollapsibleBanner
      seenKey={`${run.incident.id}:clocks`}
      className="card clocks"
      testId="clocks"
      label="Regulatory notification clocks"
      summary={
        <>
          <strong>Notification clocks</strong> {line}
          {run.awarenessAssumed ? ' · counted from an ASSUMED awareness time' : ''}
        </>
      }
    >
      <p className="hint">
        Counted from awareness at <strong>{new Date(run.awarenessAt).toUTCString()}</strong>
        {run.awarenessAssumed ? ' (ASSUMED: the time the incident was opened; confirm or correct it below)' : ''}
        {run.materialityAt ? `; materiality determined ${new Date(run.materialityAt).toUTCString()}` : ''}. Counsel confirms whether
        each applies.
      </p>
      <details className="times">
        <summary data-testid="clock-times">Correct the awareness time or record the materiality determination</summary>
        <TimeForm kind="awareness" label="Awareness time" current={run.awarenessAt} />
        <TimeForm kind="materiality" label="Materiality determined" current={run.materialityAt} />
      </details>
      <table className="grid">
        <thead>
          <tr>
            <th>Regime</th>
            <th>Legal basis</th>
            <th>Deadline</th>
            <th>Due</th>
            <th>Status</th>
            <th>Notification</th>
          </tr>
        </thead>
        <tbody>
          {run.clocks.map((c) => (
            <tr key={c.regime} data-testid="clock" data-regime={c.regime} data-status={c.status}>
              <td>{c.regime}</td>
              <td>
                {c.rule}
                <div className="sub">notify {c.notify}</div>
              </td>
              <td>
                {c.deadline} from {c.startsAt.replace('-', ' ')}
              </td>
              <td>{c.dueAt ? new Date(c.dueAt).toUTCString() : 'not started'}</td>
              <td className={`clock-${c.status}`}>
                {c.status === 'notified' ? 'notified' : c.dueAt ? remaining(c.dueAt, now) : 'waits for the materiality determination'}
              </td>
              <td>
                <NotificationCell clock={c} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </CollapsibleBanner>
  );
}

function TimeForm({ kind, label, current }: { kind: 'awareness' | 'materiality'; label: string; current: string | null }) {
  const change = useRun((s) => s.change);
  const [value, setValue] = useState(current ? isoToLocalInput(current) : '');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await change('workflow.setTime', { kind, at: localInputToIso(value) });
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <form className="inline-form" onSubmit={submit}>
      <label>
        {label} <span className="sub">(your local time)</span>
        <input type="datetime-local" value={value} onChange={(e) => setValue(e.target.value)} data-testid={`time-${kind}`} />
      </label>
      <button type="submit" disabled={!value} data-testid={`time-${kind}-save`}>Record</button>
      {error && <span className="error">{error}</span>}
    </form>
  );
}

function NotificationCell({ clock }: { clock: RegulatoryClock }) {
  const change = useRun((s) => s.change);
  const [open, setOpen] = useState(false);
  const [at, setAt] = useState(isoToLocalInput(new Date().toISOString()));
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (clock.notifiedAt) {
    return (
      <span>
        made {new Date(clock.notifiedAt).toUTCString()}
        {clock.notificationNote && <div className="sub">{clock.notificationNote}</div>}
      </span>
    );
  }
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)} data-testid="record-notification">
        Record notification
      </button>
    );
  }
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await change('workflow.recordNotification', { regime: clock.regime, at: localInputToIso(at), ...(note.trim() ? { note } : {}) });
      setOpen(false);
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <form onSubmit={submit} className="stack">
      <input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} aria-label="Notified at" data-testid="notification-at" />
      <input value={note} onChange={(e) => setNote(e.target.value)} placeholder="Reference, recipient" aria-label="Note" data-testid="notification-note" />
      {error && <span className="error">{error}</span>}
      <button type="submit" className="primary" data-testid="notification-save">Save</button>
    </form>
  );
}
