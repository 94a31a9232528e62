import { useState } from 'react';
import type { DataCategory } from '../../../electron/shared/playbook/regulatory';
import type { IncidentRun } from '../../../electron/shared/workflow';
import { errorText } from '../api/client';
import { useRun } from '../stores/run-store';

/** The seeds' escalation classes and the playbook's data categories they are. */
const CATEGORY_OF: Record<string, DataCategory> = { PII: 'personal', PHI: 'health', financial: 'financial' };

/**
 * What a diff or classification found, offered to the IR lead as answers to the playbook's "was regulated data
 * affected?" decision. Nothing is decided for them: the button records the answers in their name, and the decision's
 * escalations (CISO, Legal) and regulatory clocks follow from it as from any answer.
 */
export function RegulatedDataFacts({ run, classes, source }: { run: IncidentRun; classes: readonly string[]; source: string }) {
  const change = useRun((s) => s.change);
  const [error, setError] = useState<string | null>(null);
  const categories = new Set(classes.map((c) => CATEGORY_OF[c]).filter(Boolean));
  const decision = run.playbook.phases
    .flatMap((p) => p.steps)
    .find((s): s is Extract<typeof s, { kind: 'decision' }> => s.kind === 'decision' && s.answers.some((a) => a.dataCategories?.length));
  if (classes.length === 0 || !decision) return null;
  const answers = decision.answers.filter((a) => a.dataCategories?.some((c) => categories.has(c))).map((a) => a.id);
  const given = run.steps[decision.id]?.answers ?? [];
  const missing = answers.filter((a) => !given.includes(a));
  const confirm = async () => {
    setError(null);
    try {
      // Answers already given stay: the facts add to the decision, they never take an answer away.
      await change('workflow.decide', { stepId: decision.id, answers: [...new Set([...given.filter((g) => g !== 'no-regulated-data'), ...answers])] });
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <div className="banner danger" data-testid="regulated-data-facts" data-state={missing.length ? 'unconfirmed' : 'confirmed'}>
      <p>
        <strong>{classes.join(', ')}</strong> found by {source}: the affected data stores hold {classes.join(', ')}. This feeds the decision “{decision.question}”.
      </p>
      {missing.length ? (
        <button type="button" className="primary" onClick={() => void confirm()} data-testid="regulated-data-confirm">
          Confirm as the IR lead: record {decision.answers.filter((a) => missing.includes(a.id)).map((a) => a.label).join(', ')}
        </button>
      ) : (
        <p className="sub">Recorded in “{decision.title}”.</p>
      )}
      {error && <p className="error">{error}</p>}
    </div>
  );
}
