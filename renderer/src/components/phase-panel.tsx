import { controlLabel } from '../../../electron/shared/playbook/ids';
import { type FormEvent, type MouseEvent, useState } from 'react';
import type { IncidentRun, PhaseState } from '../../../electron/shared/workflow';
import { ApiCallError, errorText } from '../api/client';
import { useRun } from '../stores/run-store';
import { StepCard } from './step-card';

export function PhasePanel({ run, phase }: { run: IncidentRun; phase: PhaseState }) {
  const closeNote = useRun((s) => s.closeNote);
  const def = run.playbook.phases.find((p) => p.id === phase.id);
  if (!def) return null;
  // The close moves the panel on to the next phase, so the checkpoint it signed is told here, naming the phase closed.
  const closed = closeNote && closeNote.lines.length > 0 ? run.phases.find((p) => p.id === closeNote.phaseId) : undefined;
  const steps = def.steps.filter((s) => !run.steps[s.id]?.hidden);
  return (
    <section className="phase" data-testid="phase-panel" data-phase={phase.id} aria-labelledby="phase-heading">
      <header className="phase-head">
        <h2 id="phase-heading">{phase.title}</h2>
        <div className="sub">
          {def.nist.reference}, {def.nist.csf.join(', ')} · controls {def.controls.map(controlLabel).join(', ')}
        </div>
        <p className="objective">{def.objective}</p>
        {closed && closeNote && (
          <p className="sub" data-testid="checkpoint-note" data-phase={closed.id}>
            {closed.title} closed. {closeNote.lines.join(' ')}
          </p>
        )}
      </header>
      <ol className="steps">
        {steps.map((s) => (
          <li key={s.id}>
            <StepCard run={run} step={s} closed={phase.status === 'closed'} />
          </li>
        ))}
      </ol>
      <GateBox phase={phase} />
    </section>
  );
}

/** The hash holds the route, so a missing step's link moves to the step itself instead of following its #fragment. */
function showStep(e: MouseEvent, stepId: string) {
  e.preventDefault();
  const card = document.getElementById(`step-${stepId}`);
  card?.scrollIntoView({ block: 'center' });
  card?.focus({ preventScroll: true });
}

function GateBox({ phase }: { phase: PhaseState }) {
  const change = useRun((s) => s.change);
  const closePhase = useRun((s) => s.closePhase);
  const [overriding, setOverriding] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string[] | null>(null);
  const [reopenReason, setReopenReason] = useState('');

  if (phase.status === 'closed') {
    return (
      <section className={phase.override ? 'gate overridden' : 'gate met'} data-testid="gate" data-gate="closed">
        <h3>
          {phase.title} closed {phase.closedAt ? new Date(phase.closedAt).toUTCString() : ''} by {phase.closedBy?.name} ({phase.closedBy?.role})
        </h3>
        {phase.override && (
          <div data-testid="override-record">
            <p>
              <strong>Closed with an override.</strong> Justification: {phase.override.reason}
            </p>
            <p className="sub">Waived: {[...phase.override.missing.missingSteps.map((s) => s.title), ...phase.override.missing.missingEvidence.map((e) => e.name)].join('; ')}</p>
          </div>
        )}
        <form
          className="inline-form"
          onSubmit={async (e) => {
            e.preventDefault();
            try {
              await change('workflow.reopenPhase', { phaseId: phase.id, reason: reopenReason });
              setReopenReason('');
            } catch (err) {
              setError([errorText(err)]);
            }
          }}
        >
          <input value={reopenReason} onChange={(e) => setReopenReason(e.target.value)} placeholder="Why reopen (recorded)" aria-label="Reason to reopen" data-testid="reopen-reason" />
          <button type="submit" disabled={!reopenReason.trim()} data-testid="reopen-phase">Reopen {phase.title}</button>
        </form>
      </section>
    );
  }

  const close = async (e?: FormEvent) => {
    e?.preventDefault();
    setError(null);
    try {
      await closePhase(phase.id, overriding && reason.trim() ? reason : undefined);
      setOverriding(false);
      setReason('');
    } catch (err) {
      setError(err instanceof ApiCallError ? [err.message, ...err.details] : [errorText(err)]);
    }
  };

  const { gate } = phase;
  return (
    <section className={gate.met ? 'gate met' : 'gate'} data-testid="gate" data-gate={gate.met ? 'met' : 'not-met'}>
      <h3>{gate.met ? `${phase.title} is ready to close` : `Before ${phase.title} can close`}</h3>
      {!gate.met && (
        <ul className="missing" data-testid="gate-missing">
          {gate.missingSteps.map((s) => (
            <li key={s.id}>
              <a href={`#step-${s.id}`} data-testid="gate-missing-step" data-step-id={s.id} onClick={(e) => showStep(e, s.id)}>
                {s.title}
              </a> {s.status === 'na' ? '(marked not applicable, but the gate needs it done)' : '(not done)'}
            </li>
          ))}
          {gate.missingEvidence.map((ev) => (
            <li key={ev.id}>
              Evidence: {ev.name} <span className="sub">(nothing attached to {ev.id})</span>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <div className="error" role="alert" data-testid="gate-error">
          {error.join('\n')}
        </div>
      )}
      {overriding ? (
        <form onSubmit={close} className="override-form">
          <label>
            Justification for closing without meeting the gate (recorded in the ledger and shown in every report)
            <textarea data-testid="override-reason" value={reason} onChange={(e) => setReason(e.target.value)} rows={3} autoFocus />
          </label>
          <div className="actions">
            <button type="button" onClick={() => setOverriding(false)} data-testid="override-cancel">Cancel</button>
            <button type="submit" className="danger" data-testid="override-confirm" disabled={reason.trim().length < 10}>
              Close with override
            </button>
          </div>
        </form>
      ) : (
        <div className="actions">
          {!gate.met && (
            <button type="button" data-testid="override-phase" onClick={() => setOverriding(true)}>
              Override…
            </button>
          )}
          <button type="button" className="primary" data-testid="close-phase" onClick={() => void close()}>
            Close {phase.title}
          </button>
        </div>
      )}
    </section>
  );
}
