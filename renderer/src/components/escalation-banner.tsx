import type { Escalation } from '../../../electron/shared/workflow';

export function EscalationBanner({ escalations }: { escalations: Escalation[] }) {
  if (escalations.length === 0) return null;
  return (
    <section className="banner danger" role="alert" data-testid="escalations">
      {escalations.map((e) => (
        <p key={e.id}>
          <strong>Escalate now to {e.notify.join(' and ')}.</strong> {e.when}{' '}
          <span className="sub">
            Raised {new Date(e.raisedAt).toUTCString()} by {e.raisedBy}.
          </span>
        </p>
      ))}
    </section>
  );
}
