import { useEffect, useState } from 'react';
import { GAP_STATES, GAP_STATE_LABELS, type ControlAssessment, type GapState } from '../../../electron/shared/gap';
import { useGap } from '../stores/gap-store';

/** Post-Incident: each control of the gap set as NIST states it, and what the responders found. */
export function GapPanel({ incidentId }: { incidentId: string }) {
  const gap = useGap((s) => (s.incidentId === incidentId ? s.gap : null));
  const status = useGap((s) => (s.incidentId === incidentId ? s.status : 'loading'));
  const error = useGap((s) => (s.errorAt === null ? s.error : null));
  const load = useGap((s) => s.load);
  useEffect(() => {
    void load(incidentId);
  }, [incidentId, load]);
  return (
    <section className="card" data-testid="gap-panel" data-state={status}>
      <h2>Gap analysis against NIST SP 800-53</h2>
      {error && <p className="error" role="alert" data-testid="gap-error">{error}</p>}
      {gap ? (
        <>
          <p className="hint">
            {gap.assessed} of {gap.controls.length} controls assessed. For each: its state at the time of the incident, the specific gap, an owner and a due date.
          </p>
          {gap.controls.map((c) => (
            <ControlCard key={c.controlId} control={c} />
          ))}
        </>
      ) : (
        !error && <p aria-busy="true">Loading the gap analysis…</p>
      )}
    </section>
  );
}

function ControlCard({ control: c }: { control: ControlAssessment }) {
  const assess = useGap((s) => s.assess);
  const saved = useGap((s) => s.savedControl === c.controlId);
  const error = useGap((s) => (s.errorAt === c.controlId ? s.error : null));
  const [state, setState] = useState<GapState | ''>(c.state ?? '');
  const [text, setText] = useState(c.gap ?? '');
  const [owner, setOwner] = useState(c.owner ?? '');
  const [due, setDue] = useState(c.dueDate ?? '');
  const save = () => assess(c.controlId, { state: state || null, gap: text.trim() || null, owner: owner.trim() || null, dueDate: due || null });
  return (
    <article className="control-card" data-testid="gap-control" data-control={c.controlId} data-state={c.state ?? ''}>
      <header>
        <h3>
          {c.label} {c.control?.title}
        </h3>
        <span className="sub">{c.source === 'gap-assessment' ? 'asked by the playbook' : c.source === 'phase' ? 'named by the phase' : 'mapped by the playbook'}</span>
      </header>
      {c.question && <p className="question">{c.question}</p>}
      <details>
        <summary data-testid="gap-statement">Control statement and assessment objectives</summary>
        {c.control?.statement.map((l, i) => (
          <div key={`s${i}`} className="line" style={{ marginLeft: `${l.depth * 14}px` }}>
            <strong>{l.label}</strong> {l.text}
          </div>
        ))}
        <h4>Assessment objectives (SP 800-53A)</h4>
        {c.control?.objectives.map((l, i) => (
          <div key={`o${i}`} className="line small" style={{ marginLeft: `${l.depth * 14}px` }}>
            <strong>{l.label}</strong> {l.text}
          </div>
        ))}
      </details>
      <div className="gap-form">
        <label>
          State at the time of the incident
          <select value={state} onChange={(e) => setState(e.target.value as GapState | '')} data-testid="gap-state">
            <option value="">not assessed</option>
            {GAP_STATES.map((s) => (
              <option key={s} value={s}>
                {GAP_STATE_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Owner
          <input value={owner} onChange={(e) => setOwner(e.target.value)} data-testid="gap-owner" />
        </label>
        <label>
          Due date
          <input type="date" value={due} onChange={(e) => setDue(e.target.value)} data-testid="gap-due" />
        </label>
        <label className="wide">
          The specific gap
          <textarea rows={2} value={text} onChange={(e) => setText(e.target.value)} data-testid="gap-text" />
        </label>
      </div>
      {c.evidence.length > 0 && <p className="small">Evidence: {c.evidence.map((e) => `${e.id} ${e.name}`).join(', ')}</p>}
      {error && <p className="error" role="alert" data-testid="gap-control-error">{error}</p>}
      <div className="actions">
        {saved && <span className="ok" data-testid="gap-saved">Saved</span>}
        <button type="button" onClick={() => void save()} data-testid="gap-save">
          Save {c.label}
        </button>
      </div>
    </article>
  );
}
