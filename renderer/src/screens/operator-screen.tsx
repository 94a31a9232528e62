import { type FormEvent, useState } from 'react';
import { OPERATOR_ROLES } from '../../../electron/shared/domain';
import { useSession } from '../stores/session-store';

/** First start: who is working. Every ledger entry carries this name and role. */
export function OperatorScreen() {
  const setOperator = useSession((s) => s.setOperator);
  const status = useSession((s) => s.operatorStatus);
  const error = useSession((s) => s.operatorError);
  const [name, setName] = useState('');
  const [role, setRole] = useState<string>(OPERATOR_ROLES[0]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void setOperator({ name, role });
  };

  return (
    <main className="centered" data-state={status} data-testid="operator-screen">
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
        {error && <p className="error" role="alert" data-testid="operator-error">{error}</p>}
        <button type="submit" className="primary" data-testid="operator-submit" disabled={status === 'busy' || !name.trim()}>
          Start working
        </button>
      </form>
    </main>
  );
}
