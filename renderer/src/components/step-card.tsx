import { controlLabel } from '../../../electron/shared/playbook/ids';
import { signerRoles } from '../../../electron/shared/signoff';
import { fillText } from '../../../electron/shared/playbook/fill-text';
import { type FormEvent, useState } from 'react';
import type { Step } from '../../../electron/shared/playbook/schema';
import type { IncidentRun } from '../../../electron/shared/workflow';
import { errorText } from '../api/client';
import { useRun } from '../stores/run-store';
import { ArtifactAttach } from './artifact-attach';
import { CommandBlock } from './command-block';
import { StepNotes } from './step-notes';

const KIND_LABEL: Record<Step['kind'], string> = {
  checklist: 'Checklist',
  command: 'Command',
  evidence: 'Evidence',
  cloudtrail: 'CloudTrail',
  'agent-trace': 'Agent trace',
  validation: 'Validation',
  'gap-assessment': 'Gap assessment',
  'sign-off': 'Sign-off',
  decision: 'Decision',
};

export function StepCard({ run, step, closed }: { run: IncidentRun; step: Step; closed: boolean }) {
  const state = run.steps[step.id];
  const change = useRun((s) => s.change);
  const [naReason, setNaReason] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!state) return null;
  // A step whose completion is a record (a compare, the signatures, the gap analysis, a log collection, evidence) is
  // done when that record exists: no tick, only its proof or what it waits for; not applicable stays possible.
  const proof = state.proof;
  const ticked = !proof || state.status === 'na';

  const set = async (status: 'todo' | 'done' | 'na', reason?: string) => {
    setError(null);
    try {
      await change('workflow.setStep', { stepId: step.id, status, ...(reason ? { reason } : {}) });
      setNaReason(null);
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <article
      id={`step-${step.id}`}
      className={`step-card status-${state.status}${state.skipped ? ' skipped' : ''}`}
      data-testid="step"
      data-step-id={step.id}
      data-status={state.status}
      tabIndex={-1}
    >
      <header>
        <span className={`status-dot ${state.status}`} aria-hidden="true" />
        <h3>{step.title}</h3>
        <span className="kind">{KIND_LABEL[step.kind]}</span>
        {state.required && <span className="badge required" title="The phase gate needs this step done">required</span>}
        {state.skipped && <span className="badge">skipped by a decision</span>}
      </header>
      {proof && (
        <p className={`proof sub ${proof.met ? 'ok' : ''}`} data-testid="step-proof" data-met={proof.met ? 'true' : 'false'}>
          {proof.met ? `Done: ${proof.text}.` : `${proof.text.charAt(0).toUpperCase()}${proof.text.slice(1)}.`}
          {!proof.met && proof.how ? <span className="how"> To complete it: {proof.how}.</span> : null}
        </p>
      )}
      {ticked && state.by && state.at && (
        <p className="who sub" data-testid="step-who">
          {state.status === 'done' ? 'Done' : state.status === 'na' ? 'Not applicable' : 'Reopened'} by {state.by.name} ({state.by.role}),{' '}
          {new Date(state.at).toUTCString()}
          {state.status === 'na' && state.reason ? `: ${state.reason}` : ''}
        </p>
      )}
      {step.detail && <p className="detail">{fillText(step.detail, run.incident.params)}</p>}
      <StepBody run={run} step={step} closed={closed} />
      {!closed && step.kind !== 'decision' && (
        <div className="step-actions">
          {state.status !== 'done' && !proof && (
            <button type="button" className="done-btn" data-testid="step-done" onClick={() => void set('done')}>
              Mark done
            </button>
          )}
          {state.status !== 'na' && !proof?.met && naReason === null && (
            <button type="button" data-testid="step-na" onClick={() => setNaReason('')}>
              Not applicable…
            </button>
          )}
          {state.status !== 'todo' && ticked && (
            <button type="button" data-testid="step-todo" onClick={() => void set('todo')}>
              Back to to-do
            </button>
          )}
        </div>
      )}
      {naReason !== null && (
        <form
          className="inline-form"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            void set('na', naReason);
          }}
        >
          <input autoFocus value={naReason} onChange={(e) => setNaReason(e.target.value)} placeholder="Why it does not apply (recorded)" aria-label="Reason" data-testid="step-na-reason" />
          <button type="submit" disabled={!naReason.trim()} data-testid="step-na-save">Save</button>
          <button type="button" onClick={() => setNaReason(null)} data-testid="step-na-cancel">Cancel</button>
        </form>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      <StepNotes stepId={step.id} note={state.note} disabled={closed} />
    </article>
  );
}

function StepBody({ run, step, closed }: { run: IncidentRun; step: Step; closed: boolean }) {
  switch (step.kind) {
    case 'checklist':
      return (
        <ul className="checklist">
          {step.items.map((item) => (
            <li key={item}>{fillText(item, run.incident.params)}</li>
          ))}
        </ul>
      );
    case 'command':
      return <CommandBlock step={step} params={run.incident.params} parameters={run.playbook.parameters} />;
    case 'evidence':
      return (
        <ul className="artifacts">
          {step.artifacts.map((a) => {
            const attached = run.evidence[a.id] ?? [];
            return (
              <li key={a.id} data-testid="artifact" data-artifact-id={a.id}>
                <strong>{a.name}</strong> <span className={attached.length ? 'ok' : 'sub'}>{attached.length ? `${attached.length} attached` : 'nothing attached yet'}</span>
                <div className="sub">{a.accepts}</div>
                {attached.map((ev) => (
                  <div key={ev.id} className="mono small" data-testid="attached-item">
                    {ev.id} {ev.name} sha256:{ev.sha256.slice(0, 16)}…
                  </div>
                ))}
                {!closed && <ArtifactAttach incidentId={run.incident.id} artifactId={a.id} />}
              </li>
            );
          })}
        </ul>
      );
    case 'cloudtrail':
      return (
        <div className="facts">
          <div>
            LookupEvents <code>{step.lookup.attribute}={fillText(step.lookup.value, run.incident.params)}</code> over the last {step.lookbackDays} days
            {step.eventNameMatches ? (
              <>
                , eventName matching <code>{step.eventNameMatches}</code>
              </>
            ) : null}
          </div>
          <div className="sub">{step.analysis}</div>
        </div>
      );
    case 'agent-trace':
      return (
        <div className="facts">
          <ul className="checklist">
            {step.items.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
          <div className="sub">
            Import the agent&apos;s traces (OpenTelemetry GenAI spans or LangSmith runs): <code>firebreak trace import {run.incident.id} FILE...</code>
          </div>
        </div>
      );
    case 'validation':
      return (
        <div className="facts">
          {step.mode === 'baseline' ? 'Capture a baseline of' : 'Compare against the baseline'} <code>{fillText(step.target, run.incident.params)}</code>: {step.checks.join(', ')}{' '}
          <a href={`#/incidents/${run.incident.id}/validation`} data-testid="open-validation">
            Open the validation wizard
          </a>
        </div>
      );
    case 'gap-assessment':
      return (
        <ul className="controls">
          {step.controls.map((c) => (
            <li key={c.id}>
              <strong>{controlLabel(c.id)}</strong> {c.question}
            </li>
          ))}
        </ul>
      );
    case 'sign-off':
      return (
        <div className="facts">
          <ol>
            {step.attestations.map((a) => (
              <li key={a.id}>{a.text}</li>
            ))}
          </ol>
          <div className="sub">Signed by: {signerRoles(step.roles).join(', ')}</div>
        </div>
      );
    case 'decision':
      return <DecisionForm run={run} step={step} closed={closed} />;
  }
}

function DecisionForm({ run, step, closed }: { run: IncidentRun; step: Extract<Step, { kind: 'decision' }>; closed: boolean }) {
  const change = useRun((s) => s.change);
  const given = run.steps[step.id]?.answers ?? [];
  const [chosen, setChosen] = useState<string[]>(given);
  const [error, setError] = useState<string | null>(null);
  const toggle = (id: string) => setChosen((c) => (step.multiple ? (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]) : [id]));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await change('workflow.decide', { stepId: step.id, answers: chosen });
    } catch (err) {
      setError(errorText(err));
    }
  };
  const unchanged = chosen.length === given.length && chosen.every((c) => given.includes(c));
  return (
    <form className="decision" onSubmit={submit} data-testid="decision">
      <fieldset disabled={closed}>
        <legend>{step.question}</legend>
        {step.answers.map((a) => (
          <label key={a.id} className="choice">
            <input
              type={step.multiple ? 'checkbox' : 'radio'}
              name={step.id}
              value={a.id}
              checked={chosen.includes(a.id)}
              onChange={() => toggle(a.id)}
              data-testid={`answer-${a.id}`}
            />
            {a.label}
            {(a.escalates?.length ?? 0) > 0 && <span className="badge danger">escalates</span>}
          </label>
        ))}
      </fieldset>
      {!closed && (
        <button type="submit" className="primary" disabled={chosen.length === 0 || unchanged} data-testid="decision-save">
          {given.length ? 'Change answer' : 'Record answer'}
        </button>
      )}
      {error && <p className="error">{error}</p>}
    </form>
  );
}
