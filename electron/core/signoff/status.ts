import type { StepOf } from '../../shared/playbook/schema';
import {
  type AttestationState,
  DEFAULT_SIGNER_ROLES,
  type SignOffGate,
  type SignOffStatus,
  type ValidationGate,
} from '../../shared/signoff';
import type { IncidentRun } from '../../shared/workflow';
import type { CoreContext } from '../context';
import { badInput } from '../errors';
import { latestCompare } from '../validation/runs-repository';
import { SignOffRepository } from './repository';

export interface SignOffStep {
  step: StepOf<'sign-off'>;
  phaseId: string;
}

export function signOffSteps(run: IncidentRun): SignOffStep[] {
  return run.playbook.phases.flatMap((p) => p.steps.flatMap((s) => (s.kind === 'sign-off' ? [{ step: s, phaseId: p.id }] : [])));
}

/** The step asked for, or the Recovery sign-off: the one before an agent returns to production. */
export function pickSignOffStep(run: IncidentRun, stepId?: string): SignOffStep {
  const all = signOffSteps(run);
  const list = all.map((s) => s.step.id).join(', ') || 'none';
  if (stepId) {
    const hit = all.find((s) => s.step.id === stepId);
    if (!hit) throw badInput(`"${stepId}" is not a sign-off step of ${run.incident.id}.`, [`Sign-off steps: ${list}`]);
    return hit;
  }
  const chosen = all.find((s) => s.phaseId === 'recovery') ?? all[0];
  if (!chosen) throw badInput(`The playbook of ${run.incident.id} has no sign-off step.`);
  return chosen;
}

const roleKey = (r: string) => r.toLowerCase().replace(/[\s_-]+/g, '');

/** Who signs: IR lead, CISO and Legal always, plus any role the playbook's step names. */
export function signerRoles(step: StepOf<'sign-off'>): string[] {
  const out = new Map<string, string>();
  for (const r of [...DEFAULT_SIGNER_ROLES, ...step.roles]) if (!out.has(roleKey(r))) out.set(roleKey(r), r);
  return [...out.values()];
}

/** The role as the step spells it ("ciso", "ir-lead" and "IR Lead" all match); bad input naming the signers otherwise. */
export function canonicalRole(step: StepOf<'sign-off'>, raw: string): string {
  const roles = signerRoles(step);
  const hit = roles.find((r) => roleKey(r) === roleKey(raw));
  if (!hit) throw badInput(`"${raw}" does not sign "${step.title}".`, [`Signers: ${roles.join(', ')}`]);
  return hit;
}

export function validationGate(ctx: CoreContext, incidentId: string): ValidationGate {
  const run = latestCompare(ctx.db, incidentId);
  if (!run) return { status: 'missing', runId: null, comparedAt: null, summary: null, evidenceId: null };
  return {
    status: run.verdict === 'match' ? 'match' : 'mismatch',
    runId: run.id,
    comparedAt: run.finishedAt,
    summary: run.summary,
    evidenceId: run.evidenceId,
  };
}

/**
 * Fails closed: shut while no database comparison has finished or the latest one did not match, and while any
 * attestation lacks intact evidence.
 */
export function signOffGate(validation: ValidationGate, attestations: AttestationState[]): SignOffGate {
  const missing: string[] = [];
  if (validation.status === 'missing') {
    missing.push('validation: no comparison of the restored data against a pre-incident baseline has finished');
  } else if (validation.status === 'mismatch') {
    missing.push(
      `validation: the latest comparison (${validation.runId}, ${validation.comparedAt ?? 'time unknown'}) did not match the baseline${validation.summary ? `: ${validation.summary}` : ''}`,
    );
  }
  for (const a of attestations) {
    const intact = a.evidence.filter((e) => e.status === 'intact');
    if (intact.length > 0) continue;
    const bad = a.evidence.map((e) => `${e.id} is ${e.status}`).join(', ');
    missing.push(`attestation ${a.id}: ${bad ? `no intact evidence (${bad})` : 'no evidence linked'} ("${a.text}")`);
  }
  return { met: missing.length === 0, validation, missing };
}

export function signOffStatus(ctx: CoreContext, run: IncidentRun): SignOffStatus[] {
  const repo = new SignOffRepository(ctx.db);
  const evidence = repo.attestationEvidence(run.incident.id);
  const records = repo.records(run.incident.id);
  const validation = validationGate(ctx, run.incident.id);
  return signOffSteps(run).map(({ step, phaseId }) => {
    const attestations = step.attestations.map((a) => ({ id: a.id, text: a.text, evidence: evidence.get(`${step.id}/${a.id}`) ?? [] }));
    const signOffs = records.filter((r) => r.stepId === step.id);
    const signers = signerRoles(step).map((role) => ({ role, signOff: signOffs.find((r) => r.role === role) ?? null }));
    return {
      incidentId: run.incident.id,
      stepId: step.id,
      title: step.title,
      phaseId,
      attestations,
      gate: signOffGate(validation, attestations),
      signers,
      complete: signers.every((s) => s.signOff),
      signOffs,
    };
  });
}
