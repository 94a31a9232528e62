import { useEffect } from 'react';
import { useRoute } from '../stores/route-store';
import { usePlaybooks } from '../stores/playbooks-store';

/** The library: every valid playbook, and the files lint keeps out (with their problems, for authors). */
export function PlaybooksScreen() {
  const list = usePlaybooks((s) => s.list);
  const rejected = usePlaybooks((s) => s.rejected);
  const status = usePlaybooks((s) => s.listStatus);
  const error = usePlaybooks((s) => s.listError);
  const loadList = usePlaybooks((s) => s.loadList);
  const go = useRoute((s) => s.go);
  useEffect(() => {
    void loadList();
  }, [loadList]);
  return (
    <main className="page" data-state={status} data-testid="playbooks-screen">
      <div className="page-head">
        <h1>Playbooks</h1>
      </div>
      {error && <p className="error" role="alert" data-testid="playbooks-error">{error}</p>}
      <div className="cards">
        {list.map((p) => (
          <button key={p.id} type="button" className="card pick" data-testid="playbook-card" data-playbook-id={p.id} onClick={() => go({ name: 'playbook', id: p.id })}>
            <span className={`sev sev-${p.severity}`}>{p.severity}</span>
            <h2>{p.title}</h2>
            <span className="sub mono">
              {p.id} v{p.version}
            </span>
            <p>{p.summary}</p>
          </button>
        ))}
      </div>
      {rejected.length > 0 && (
        <section className="card" data-testid="rejected-playbooks">
          <h2>Playbook files with problems (not offered)</h2>
          {rejected.map((r) => (
            <div key={r.path}>
              <div className="mono">{r.path}</div>
              <ul className="mono small">
                {r.problems.slice(0, 10).map((p) => (
                  <li key={`${p.line}:${p.col}:${p.message}`}>
                    {p.line}:{p.col}: {p.message}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      )}
    </main>
  );
}
