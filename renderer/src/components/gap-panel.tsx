import { useEffect, useState } from 'react';
import { GAP_STATES, GAP_STATE_LABELS, type ControlAssessment, type GapAnalysis, type GapState } from '../../../electron/shared/gap';
import { api, errorText } from '../api/client';

/** Post-Incident: each control of the gap set as NIST states it, and what the responders found. */
export function GapPanel({ incidentId }: { incidentId: string }) {
  const [gap, setGap] = useState<GapAnalysis | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api('gap.get', { id: incidentId }).then(setGap, (e) => setError(errorText(e)));
  }, [incidentId]);
  if (error) return <p className="error" role="alert">{error}</p>;
  if (!gap) return <p aria-busy="true">Loading the gap analysis…</p>;
  return (
    <section className="card" data-testid="gap-panel">
      <h2>Gap analysis against NIST SP 800-53</h2>
      <p className="hint">
        {gap.assessed} of {gap.controls.length} controls assessed. For each: its state at the time of the incident, the specific gap, an owner and a due date.
      </p>
      {gap.controls.map((c) => (
        <ControlCard key={c.controlId} incidentId={incidentId} control={c} onChange={setGap} />
      ))}
    </section>
  );
}

function ControlCard({ incidentId, control: c, onChange }: { incidentId: string; control: ControlAssessment; onChange: (g: GapAnalysis) => void }) {
  const [state, setState] = useState<GapState | ''>(c.state ?? '');
  const [text, setText] = useState(c.gap ?? '');
  const [owner, setOwner] = useState(c.owner ?? '');
  const [due, setDue] = useState(c.dueDate ?? '');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const save = async () => {
    setError(null);
    setSaved(false);
    try {
      onChange(
        await api('gap.assess', {
          id: incidentId,
          controlId: c.controlId,
          state: state || null,
          gap: text.trim() || null,
          owner: owner.trim() || null,
          dueDate: due || null,
        }),
      );
      setSaved(true);
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <article className="control-card" data-testid="gap-control" data-control={c.controlId} data-state={c.state ?? ''}>
      <header>
        <h3>
          {c.label} {c.control?.title}
        </h3>
        <span className="sub">{c.source === 'gap-assessment' ? 'asked by the playbook' : 'mapped by the playbook'}</span>
      </header>
      {c.question && <p className="question">{c.question}</p>}
      <details>
        <summary>Control statement and assessment objectives</summary>
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
      {error && <p className="error">{error}</p>}
      <div className="actions">
        {saved && <span className="ok">Saved</span>}
        <button type="button" onClick={() => void save()} data-testid="gap-save">
          Save {c.label}
        </button>
      </div>
    </article>
  );
}
