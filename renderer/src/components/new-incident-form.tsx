import { type FormEvent, useState } from 'react';
import { errorText } from '../api/client';
import { useIncidents } from '../stores/incidents-store';
import { isoToLocalInput, localInputToIso } from './use-now';

export function NewIncidentForm({ onDone, onCreated }: { onDone: () => void; onCreated?: (id: string) => void }) {
  const playbooks = useIncidents((s) => s.playbooks);
  const create = useIncidents((s) => s.create);
  const [playbookId, setPlaybookId] = useState('');
  const [title, setTitle] = useState('');
  // Every regulatory clock counts from awareness: asked here, and only recorded as known when the opener confirms it.
  const [awareAt, setAwareAt] = useState(() => isoToLocalInput(new Date().toISOString()));
  const [awareConfirmed, setAwareConfirmed] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const chosen = playbookId || playbooks[0]?.id || '';
  const selected = playbooks.find((p) => p.id === chosen);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const incident = await create({
        playbookId: chosen,
        ...(title.trim() ? { title: title.trim() } : {}),
        ...(awareConfirmed && awareAt ? { awareAt: localInputToIso(awareAt) } : {}),
      });
      onDone();
      onCreated?.(incident.id);
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <form className="card" onSubmit={submit} data-testid="new-incident-form" aria-label="Open an incident">
      <h2>Open an incident</h2>
      {playbooks.length === 0 ? (
        <p className="error">No playbooks are installed, so no incident can be opened. Add one to playbooks/ and run firebreak lint.</p>
      ) : (
        <>
          <label>
            Playbook
            <select data-testid="incident-playbook" value={chosen} onChange={(e) => setPlaybookId(e.target.value)}>
              {playbooks.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.title} (v{p.version}, {p.severity})
                </option>
              ))}
            </select>
          </label>
          {selected?.summary && <p className="hint">{selected.summary}</p>}
          <label>
            Title <span className="sub">(optional)</span>
            <input
              data-testid="incident-title"
              value={title}
              maxLength={200}
              placeholder={selected ? `${selected.title} (today)` : ''}
              onChange={(e) => setTitle(e.target.value)}
            />
          </label>
          <label>
            When did the organisation become aware of it? <span className="sub">(your local time; every notification clock counts from it)</span>
            <input
              type="datetime-local"
              data-testid="incident-aware-at"
              value={awareAt}
              onChange={(e) => {
                setAwareAt(e.target.value);
                setAwareConfirmed(true);
              }}
            />
          </label>
          <label className="choice">
            <input type="checkbox" checked={awareConfirmed} onChange={(e) => setAwareConfirmed(e.target.checked)} data-testid="incident-aware-confirmed" />
            This time is confirmed{awareConfirmed ? '' : ' (left unticked, the opening time is recorded as ASSUMED until someone confirms it)'}
          </label>
        </>
      )}
      {error && <p className="error" role="alert" data-testid="new-incident-error">{error}</p>}
      <div className="actions">
        <button type="button" onClick={onDone} disabled={busy} data-testid="incident-cancel">
          Cancel
        </button>
        <button type="submit" className="primary" data-testid="incident-create" disabled={busy || !chosen}>
          Open incident
        </button>
      </div>
    </form>
  );
}
