import type { IncidentRun } from '../../../electron/shared/workflow';
import { CollapsibleBanner } from './collapsible-banner';

/** Who must hear of the incident now; a closed incident has been escalated already, so the banner leaves it. */
export function EscalationBanner({ run }: { run: IncidentRun }) {
  const { escalations } = run;
  if (escalations.length === 0 || run.incident.status === 'closed') return null;
  const notify = [...new Set(escalations.flatMap((e) => e.notify))];
  return (
    <CollapsibleBanner
      seenKey={`${run.incident.id}:escalations`}
      className="banner danger"
      testId="escalations"
      label="Escalations"
      summary={<strong role="alert">Escalate now to {notify.join(' and ')}.</strong>}
    >
      {escalations.map((e) => (
        <p key={e.id}>
          {e.when}{' '}
          <span className="sub">
            Raised {new Date(e.raisedAt).toUTCString()} by {e.raisedBy}.
          </span>
        </p>
      ))}
    </CollapsibleBanner>
  );
}
