import { useEffect, useState } from 'react';
import { NewIncidentForm } from '../components/new-incident-form';
import { IncidentTable } from '../components/incident-table';
import { useIncidents } from '../stores/incidents-store';
import { useRoute } from '../stores/route-store';

export function IncidentsScreen() {
  const incidents = useIncidents((s) => s.incidents);
  const status = useIncidents((s) => s.status);
  const listed = useIncidents((s) => s.listed);
  const error = useIncidents((s) => s.error);
  const search = useIncidents((s) => s.search);
  const sampleError = useIncidents((s) => s.sampleError);
  const load = useIncidents((s) => s.load);
  const setSearch = useIncidents((s) => s.setSearch);
  const openSample = useIncidents((s) => s.openSample);
  const go = useRoute((s) => s.go);
  const [creating, setCreating] = useState(false);
  const [sampling, setSampling] = useState(false);
  const sample = async () => {
    setSampling(true);
    const id = await openSample();
    if (id) go({ name: 'incident', id, tab: 'run' });
    else setSampling(false);
  };

  useEffect(() => {
    void load();
  }, [load]);

  const empty = listed && incidents.length === 0 && !search;

  return (
    <main className="page" data-state={status} data-testid="incidents-screen">
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
      {error && (
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
            <button type="button" className="primary" data-testid="open-sample" disabled={sampling} onClick={() => void sample()}>
              {sampling ? 'Building the sample incident…' : 'Open the sample incident'}
            </button>
            <button type="button" onClick={() => setCreating(true)} data-testid="open-real-incident">
              Open a real incident
            </button>
          </div>
          <p className="sub">
            The sample uses real recorded CloudTrail logs of an attack simulation and a damaged copy of the Chinook database. It is marked SAMPLE in
            every screen, report and bundle.
          </p>
          {sampleError && <p className="error" role="alert" data-testid="sample-error">{sampleError}</p>}
        </section>
      )}
      {listed && incidents.length > 0 && <IncidentTable incidents={incidents} />}
      {listed && incidents.length === 0 && search && <p className="hint">No incident matches “{search}”.</p>}
    </main>
  );
}
