import { useEffect } from 'react';
import { OperatorBadge } from './components/operator-badge';
import { IncidentsScreen } from './screens/incidents-screen';
import { OperatorScreen } from './screens/operator-screen';
import { useSession } from './stores/session-store';

export function App({ transport }: { transport: 'electron' | 'browser' | 'missing-token' }) {
  const { info, status, error, load } = useSession();

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
      <main className="centered" data-state="error">
        <h1>Firebreak is not available</h1>
        <p className="error" role="alert" data-testid="session-error">{error}</p>
      </main>
    );
  }
  if (status === 'loading' || !info) {
    return <main className="centered" data-state="loading" aria-busy="true">Loading…</main>;
  }
  if (!info.operator) return <OperatorScreen />;

  return (
    <div className="shell">
      <header className="topbar">
        <span className="wordmark">Firebreak</span>
        <span className="mode" title={`Data: ${info.dataDir}`}>{info.mode === 'browser' ? 'browser mode' : 'desktop'}</span>
        <OperatorBadge operator={info.operator} />
      </header>
      <IncidentsScreen />
    </div>
  );
}
