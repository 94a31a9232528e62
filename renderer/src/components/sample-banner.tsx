import { useState } from 'react';
import type { IncidentRun } from '../../../electron/shared/workflow';
import { errorText } from '../api/client';
import { useRun } from '../stores/run-store';

/** Says plainly that the incident is a training sample, and offers the one action only a sample allows. */
export function SampleBanner({ run }: { run: IncidentRun }) {
  const restoreSampleBackup = useRun((s) => s.restoreSampleBackup);
  const [message, setMessage] = useState<string | null>(null);
  if (!run.incident.sample) return null;
  const restore = async () => {
    try {
      const restored = await restoreSampleBackup();
      setMessage(`The full backup is back in ${restored}. Run the comparison again on the Validation tab.`);
    } catch (e) {
      setMessage(errorText(e));
    }
  };
  return (
    <section className="banner sample" data-testid="sample-banner">
      <p>
        <strong>SAMPLE incident.</strong> Fictional names and a copy of the Chinook database with 120 invoice lines missing; the CloudTrail records are a real
        recorded attack simulation (invictus-ir/aws_dataset, MIT) whose IAM user stands in for the agent. Every report and bundle is marked SAMPLE.
      </p>
      <p>
        Try the Recovery check: compare on the Validation tab (mismatch), then{' '}
        <button type="button" onClick={() => void restore()} data-testid="sample-restore">
          restore the full backup
        </button>{' '}
        and compare again (match).
      </p>
      {message && <p data-testid="sample-message">{message}</p>}
    </section>
  );
}
