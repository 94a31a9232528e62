import type { Playbook } from './schema';
import type { SELF_FILING_RECORDS } from './vocabulary';

/** A validation run's kind, as the wizard's actions and the CLI's `db ... --incident` name it. */
export type RunKind = Exclude<(typeof SELF_FILING_RECORDS)[number], 'import' | 'cloudtrail-look-back'>;

/**
 * Where a run of this kind is recorded by default: the validation step of the same mode (baseline, compare), or for a
 * check the evidence artifact that declares it is filled by such checks. Null when the playbook has none or several.
 */
export function stepForRun(playbook: Pick<Playbook, 'phases'>, kind: RunKind): string | null {
  const ids = runTargets(playbook, kind).map((t) => t.id);
  return ids.length === 1 ? (ids[0] ?? null) : null;
}

/** The steps and artifacts a run of this kind can be recorded for, with their titles, for a choice. */
export function runTargets(playbook: Pick<Playbook, 'phases'>, kind: RunKind): Array<{ id: string; title: string }> {
  const steps = playbook.phases.flatMap((p) => p.steps);
  if (kind === 'baseline' || kind === 'compare') {
    return steps.flatMap((s) => (s.kind === 'validation' && s.mode === kind ? [{ id: s.id, title: s.title }] : []));
  }
  return steps.flatMap((s) => (s.kind === 'evidence' ? s.artifacts.filter((a) => a.filledBy?.includes(kind)).map((a) => ({ id: a.id, title: a.name })) : []));
}
