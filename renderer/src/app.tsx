import { useEffect } from 'react';
import { OperatorBadge } from './components/operator-badge';
import { IncidentScreen } from './screens/incident-screen';
import { IncidentsScreen } from './screens/incidents-screen';
import { PlaybookScreen } from './screens/playbook-screen';
import { PlaybooksScreen } from './screens/playbooks-screen';
import { OperatorScreen } from './screens/operator-screen';
import { useRoute } from './stores/route-store';
import { useSession } from './stores/session-store';

export function App({ transport }: { transport: 'electron' | 'browser' | 'missing-token' }) {
  const info = useSession((s) => s.info);
  const status = useSession((s) => s.status);
  const error = useSession((s) => s.error);
  const load = useSession((s) => s.load);
  const route = useRoute((s) => s.route);
  const go = useRoute((s) => s.go);

  useEffect(() => {
    if (transport !== 'missing-token') void load();
  }, [transport, load]);

  if (transport === 'missing-token') {
    return (
      <main className="centered" data-state="error" data-testid="missing-token">
        <h1>Firebreak</h1>
        <p>This page needs its session token. Open the full URL that <code>firebreak serve</code> printed.</p>
      </main>
    );
  }
  if (status === 'error') {
    return (
      <main className="centered" data-state="error" data-testid="session-unavailable">
        <h1>Firebreak is not available</h1>
        <p className="error" role="alert" data-testid="session-error">{error}</p>
      </main>
    );
  }
  if (status === 'loading' || !info) {
    return <main className="centered" data-state="loading" data-testid="session-loading" aria-busy="true">Loading…</main>;
  }
  if (!info.operator) return <OperatorScreen />;

  return (
    <div className="shell">
      <header className="topbar">
        <span className="wordmark">Firebreak</span>
        <nav className="mainnav" aria-label="Main">
          <button type="button" className={route.name.startsWith('incident') ? 'active' : ''} onClick={() => go({ name: 'incidents' })} data-testid="nav-incidents">
            Incidents
          </button>
          <button type="button" className={route.name.startsWith('playbook') ? 'active' : ''} onClick={() => go({ name: 'playbooks' })} data-testid="nav-playbooks">
            Playbooks
          </button>
        </nav>
        <span className="mode" title={`Data: ${info.dataDir}`}>{info.mode === 'browser' ? 'browser mode' : 'desktop'}</span>
        <OperatorBadge operator={info.operator} />
      </header>
      {route.name === 'incident' && <IncidentScreen id={route.id} tab={route.tab} />}
      {route.name === 'incidents' && <IncidentsScreen />}
      {route.name === 'playbooks' && <PlaybooksScreen />}
      {route.name === 'playbook' && <PlaybookScreen id={route.id} />}
    </div>
  );
}
