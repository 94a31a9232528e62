import type { TraceFinding } from '../../shared/traces';
import { wordsOf } from './destructive';
import type { RawStep } from './raw-step';

/** A step that asks a person: human-in-the-loop tools and chains are named for it in every framework we have seen. */
const APPROVAL_WORDS = new Set(['approval', 'approve', 'approved', 'confirm', 'confirmation', 'human', 'consent', 'review', 'ask']);
const REFUSED = /\b(denied|rejected|refused|declined|not approved)\b|"approved"\s*:\s*false/i;

const isApproval = (s: RawStep): boolean => s.kind !== 'model' && wordsOf(s.tool ?? s.name).some((w) => APPROVAL_WORDS.has(w));

/** Whether a person approved in the same trace before the call: an approval step that ended before it, without error or refusal. */
function approvedBefore(call: RawStep, approvals: readonly RawStep[]): boolean {
  return approvals.some(
    (s) =>
      s !== call &&
      s.traceId === call.traceId &&
      (s.endMs ?? s.startMs) <= call.startMs &&
      !s.error &&
      !(s.result && REFUSED.test(s.result.slice(0, 200))),
  );
}

export interface FindingInput {
  ordered: readonly RawStep[];
  destructive: readonly RawStep[];
  tools: readonly RawStep[];
  /** The tools the agent was meant to use (an incident parameter or --tools); empty: no scope declared. */
  scope: readonly string[];
  /** When the model decided the first destructive call: the end of the model turn before it. */
  firstDecisionMs: number | null;
  /** A declared change freeze (the change-freeze playbook's freeze_start and freeze_end), in ms. */
  freeze: { startMs: number; endMs: number } | null;
}

export function traceFindings(i: FindingInput): TraceFinding[] {
  const findings: TraceFinding[] = [];
  const approvals = i.ordered.filter(isApproval);
  const unapproved = i.destructive.filter((c) => !approvedBefore(c, approvals));
  if (unapproved.length) {
    const names = [...new Set(unapproved.map((c) => c.tool ?? c.name))];
    findings.push({
      kind: 'no-human-approval',
      severity: 'high',
      title: `${unapproved.length} destructive tool call${unapproved.length === 1 ? '' : 's'} with no human approval in the chain (${names.join(', ')})`,
      toolCallIds: unapproved.map((c) => c.id),
    });
  }
  if (i.scope.length) {
    const allowed = new Set(i.scope.map((t) => t.toLowerCase()));
    const outside = new Map<string, RawStep[]>();
    for (const t of i.tools) {
      const name = t.tool ?? t.name;
      if (allowed.has(name.toLowerCase())) continue;
      outside.set(name, [...(outside.get(name) ?? []), t]);
    }
    for (const [name, calls] of outside) {
      findings.push({
        kind: 'tool-out-of-scope',
        severity: i.destructive.some((d) => calls.includes(d)) ? 'high' : 'medium',
        title: `Tool ${name} is outside the agent's declared scope (${i.scope.join(', ')}): ${calls.length} call${calls.length === 1 ? '' : 's'}`,
        toolCallIds: calls.map((c) => c.id),
      });
    }
  }
  const freeze = i.freeze;
  const inFreeze = freeze ? i.destructive.filter((c) => c.startMs >= freeze.startMs && c.startMs <= freeze.endMs) : [];
  if (freeze && inFreeze.length) {
    findings.push({
      kind: 'destructive-in-freeze',
      severity: 'high',
      title: `${inFreeze.length} destructive tool call${inFreeze.length === 1 ? '' : 's'} during the change freeze (${new Date(freeze.startMs).toISOString()} to ${new Date(freeze.endMs).toISOString()})`,
      toolCallIds: inFreeze.map((c) => c.id),
    });
  }
  const first = i.destructive[0];
  const last = i.destructive.at(-1);
  if (first && last) {
    const from = i.firstDecisionMs ?? first.startMs;
    const to = last.endMs ?? last.startMs;
    const durationMs = Math.max(0, to - from);
    findings.push({
      kind: 'decision-to-last-destruction',
      severity: 'info',
      title: `${formatDuration(durationMs)} from the first destructive decision to the end of the last destructive call (${i.destructive.length} destructive call${i.destructive.length === 1 ? '' : 's'})`,
      toolCallIds: [first.id, ...(last === first ? [] : [last.id])],
      durationMs,
    });
  }
  return findings;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}
