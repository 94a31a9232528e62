import { useState } from 'react';
import type { IncidentRun } from '../../../electron/shared/workflow';
import { errorText } from '../api/client';
import { useRun } from '../stores/run-store';

/** When the organisation became aware; while it is only assumed (the opening time) it says so and asks to confirm it. */
export function AwarenessLine({ run }: { run: IncidentRun }) {
  const change = useRun((s) => s.change);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setError(null);
    try {
      await change('workflow.setTime', { kind: 'awareness', at: run.awarenessAt });
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <div className="sub" data-testid="awareness" data-assumed={run.awarenessAssumed ? 'true' : 'false'}>
      aware {new Date(run.awarenessAt).toUTCString()}
      {run.awarenessAssumed && (
        <>
          {' '}
          <strong className="assumed">ASSUMED</strong> (the opening time; every notification clock counts from it){' '}
          <button type="button" className="link" onClick={() => void confirm()} data-testid="awareness-confirm">
            Confirm this time
          </button>
        </>
      )}
      {error && <span className="error"> {error}</span>}
    </div>
  );
}
