import { type FormEvent, useState } from 'react';
import { OPERATOR_ROLES } from '../../../electron/shared/domain';
import { errorText } from '../api/client';
import { useSession } from '../stores/session-store';

/** First start: who is working. Every ledger entry carries this name and role. */
export function OperatorScreen() {
  const setOperator = useSession((s) => s.setOperator);
  const [name, setName] = useState('');
  const [role, setRole] = useState<string>(OPERATOR_ROLES[0]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await setOperator({ name, role });
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <main className="centered" data-state="ready" data-testid="operator-screen">
      <form className="card narrow" onSubmit={submit}>
        <h1>Who is working?</h1>
        <p className="hint">Firebreak records every action with a name and role, so the record shows who did what and when.</p>
        <label>
          Name
          <input data-testid="operator-name" value={name} onChange={(e) => setName(e.target.value)} autoFocus required maxLength={120} />
        </label>
        <label>
          Role
          <select data-testid="operator-role" value={role} onChange={(e) => setRole(e.target.value)}>
            {OPERATOR_ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        {error && <p className="error" role="alert">{error}</p>}
        <button type="submit" className="primary" data-testid="operator-submit" disabled={busy || !name.trim()}>
          Start working
        </button>
      </form>
    </main>
  );
}
