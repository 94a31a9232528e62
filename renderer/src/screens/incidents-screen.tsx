import { useEffect, useState } from 'react';
import { api, errorText } from '../api/client';
import { NewIncidentForm } from '../components/new-incident-form';
import { IncidentTable } from '../components/incident-table';
import { useIncidents } from '../stores/incidents-store';
import { useRoute } from '../stores/route-store';

export function IncidentsScreen() {
  const { incidents, status, error, load, search, setSearch } = useIncidents();
  const [creating, setCreating] = useState(false);
  const [sampling, setSampling] = useState(false);
  const [sampleError, setSampleError] = useState<string | null>(null);
  const go = useRoute((s) => s.go);
  const openSample = async () => {
    setSampling(true);
    setSampleError(null);
    try {
      const incident = await api('sample.create', {});
      go({ name: 'incident', id: incident.id, tab: 'run' });
    } catch (e) {
      setSampleError(errorText(e));
      setSampling(false);
    }
  };

  useEffect(() => {
    void load();
  }, [load]);

  const ready = status === 'ready' || (status === 'loading' && incidents.length > 0);
  const empty = status === 'ready' && incidents.length === 0 && !search;

  return (
    <main className="page" data-state={status === 'ready' ? 'ready' : status} data-testid="incidents-screen">
      <div className="page-head">
        <h1>Incidents</h1>
        {!empty && (
          <input
            className="search"
            type="search"
            placeholder="Search id, title, playbook, parameters"
            aria-label="Search incidents"
            data-testid="incident-search"
            value={search}
            onChange={(e) => void setSearch(e.target.value)}
          />
        )}
        <button type="button" className="primary" data-testid="new-incident" onClick={() => setCreating(true)} disabled={creating}>
          Open incident
        </button>
      </div>
      {status === 'error' && (
        <p className="error" role="alert" data-testid="incidents-error">{error}</p>
      )}
      {creating && <NewIncidentForm onDone={() => setCreating(false)} onCreated={(id) => go({ name: 'incident', id, tab: 'run' })} />}
      {empty && !creating && (
        <section className="empty" data-testid="incidents-empty">
          <h2>No incidents yet</h2>
          <p>
            When an agent (or anyone) has destroyed production data, open an incident from a playbook. Firebreak walks you
            from containment to post-incident review and keeps a tamper-evident record of every step.
          </p>
          <div className="actions center">
            <button type="button" className="primary" data-testid="open-sample" disabled={sampling} onClick={() => void openSample()}>
              {sampling ? 'Building the sample incident…' : 'Open the sample incident'}
            </button>
            <button type="button" onClick={() => setCreating(true)}>
              Open a real incident
            </button>
          </div>
          <p className="sub">
            The sample uses real recorded CloudTrail logs of an attack simulation and a damaged copy of the Chinook database. It is marked SAMPLE in
            every screen, report and bundle.
          </p>
          {sampleError && <p className="error" role="alert">{sampleError}</p>}
        </section>
      )}
      {ready && incidents.length > 0 && <IncidentTable incidents={incidents} />}
      {ready && incidents.length === 0 && search && <p className="hint">No incident matches “{search}”.</p>}
    </main>
  );
}
