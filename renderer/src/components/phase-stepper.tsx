import type { KeyboardEvent } from 'react';
import type { IncidentRun } from '../../../electron/shared/workflow';
import { useRun } from '../stores/run-store';

/** Containment -> Post-Incident, with progress; arrow keys move between phases. */
export function PhaseStepper({ run, selected }: { run: IncidentRun; selected: string }) {
  const selectPhase = useRun((s) => s.selectPhase);
  const ids = run.phases.map((p) => p.id);

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = ids.indexOf(selected as (typeof ids)[number]);
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? ids.length - 1 : -2;
    if (next === -2) return;
    e.preventDefault();
    const id = ids[Math.max(0, Math.min(ids.length - 1, next))];
    if (id) {
      selectPhase(id);
      document.getElementById(`phase-tab-${id}`)?.focus();
    }
  };

  return (
    <div className="stepper" role="tablist" aria-label="Phases" onKeyDown={onKey} data-testid="phase-stepper">
      {run.phases.map((p, i) => {
        const current = p.id === run.incident.phase && run.incident.status === 'open';
        const state = p.status === 'closed' ? (p.override ? 'overridden' : 'closed') : current ? 'current' : 'open';
        return (
          <button
            key={p.id}
            id={`phase-tab-${p.id}`}
            type="button"
            role="tab"
            aria-selected={p.id === selected}
            tabIndex={p.id === selected ? 0 : -1}
            className={`step-pill ${state}${p.id === selected ? ' selected' : ''}`}
            data-testid={`phase-${p.id}`}
            data-status={p.status}
            onClick={() => selectPhase(p.id)}
          >
            <span className="step-num">{p.status === 'closed' ? (p.override ? '!' : '✓') : i + 1}</span>
            <span className="step-text">
              <span className="step-title">{p.title}</span>
              <span className="step-progress">
                {p.stepsDone}/{p.stepsTotal} steps{p.status === 'closed' ? (p.override ? ' · overridden' : ' · closed') : current ? ' · current' : ''}
              </span>
            </span>
            <span className="bar" aria-hidden="true">
              <span style={{ width: `${p.stepsTotal ? (100 * p.stepsDone) / p.stepsTotal : 0}%` }} />
            </span>
          </button>
        );
      })}
    </div>
  );
}
