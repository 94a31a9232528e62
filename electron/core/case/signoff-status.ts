import type { StepOf } from '../../shared/playbook/schema';
import {
  type AttestationState,
  type SignOffGate,
  type SignOffStatus,
  type StoreValidation,
  type ValidationGate,
  signerRoleKey,
  signerRoles as sharedSignerRoles,
} from '../../shared/signoff';
import type { ValidationRun } from '../../shared/validation';
import type { IncidentRun } from '../../shared/workflow';
import type { CoreContext } from '../context';
import { badInput } from '../errors';
import { storedCompareCoverage } from '../validation/runs/runs-repository';
import { affectedStores, newestCompareOf, storeOf } from './data-stores';
import { CaseRepository } from './repository';

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

/** Who signs: IR lead, CISO and Legal always, plus any role the playbook's step names. */
export const signerRoles = (step: StepOf<'sign-off'>): string[] => sharedSignerRoles(step.roles);

const roleKey = signerRoleKey;

/** The role as the step spells it ("ciso", "ir-lead" and "IR Lead" all match); bad input naming the signers otherwise. */
export function canonicalRole(step: StepOf<'sign-off'>, raw: string): string {
  const roles = signerRoles(step);
  const hit = roles.find((r) => roleKey(r) === roleKey(raw));
  if (!hit) throw badInput(`"${raw}" does not sign "${step.title}".`, [`Signers: ${roles.join(', ')}`]);
  return hit;
}

/**
 * The gate's view of one store's newest compare, of any status: a newer compare that failed, was cancelled or has not
 * finished leaves the restore not proven even after an older match, and a match on chosen tables only is partial. Fails
 * closed wherever the stored result cannot say what was covered.
 */
export function compareGate(ctx: CoreContext, run: ValidationRun | null, store: StoreValidation['store']): StoreValidation {
  if (!run) return { status: 'missing', runId: null, comparedAt: null, summary: null, evidenceId: null, store };
  const base = { runId: run.id, comparedAt: run.finishedAt ?? run.startedAt, summary: run.summary, evidenceId: run.evidenceId, store };
  if (run.status !== 'done') {
    const detail =
      run.status === 'failed'
        ? `it failed${run.error ? `: ${run.error}` : ''}`
        : run.status === 'cancelled'
          ? `it was cancelled${run.error && run.error !== 'cancelled' ? ` (${run.error})` : ''}`
          : 'it has not finished (it is still running, or Firebreak was closed while it ran)';
    return { status: 'not-proven', ...base, runStatus: run.status, detail };
  }
  if (run.verdict !== 'match') return { status: 'mismatch', ...base };
  const stored = storedCompareCoverage(ctx.db, run.id);
  // No stored result: a row written by hand (the runner always stores one); its verdict is all there is to go on.
  if (!stored) return { status: 'match', ...base };
  if ('unknown' in stored) return { status: 'partial', ...base, notCompared: [], detail: `what it covered cannot be told: ${stored.unknown}` };
  if (!stored.coverage.complete) {
    const left = stored.coverage.notCompared;
    const scope = stored.coverage.scope.tables ? 'the tables chosen at capture' : `the schemas ${stored.coverage.scope.schemas?.join(', ') ?? ''}`;
    return {
      status: 'partial',
      ...base,
      notCompared: [...left],
      detail: `the baseline covered only ${scope}; ${left.length} ${left.length === 1 ? 'table was' : 'tables were'} not compared: ${listSome(left, 10)}`,
    };
  }
  return { status: 'match', ...base };
}

/**
 * Every affected data store of the incident with its own newest compare. With no store named anywhere (no parameter,
 * no baseline, no compare) the one line says that nothing has been compared.
 */
export function storeGates(ctx: CoreContext, run: IncidentRun): StoreValidation[] {
  const stores = affectedStores(ctx.db, run);
  if (stores.length === 0) return [compareGate(ctx, null, null)];
  const newest = newestCompareOf(ctx.db, run.incident.id, stores);
  return stores.map((s) => compareGate(ctx, newest.get(s.key) ?? null, storeOf(s)));
}

const compareGateMissing: StoreValidation = { status: 'missing', runId: null, comparedAt: null, summary: null, evidenceId: null, store: null };

const listSome = (names: readonly string[], max: number) => `${names.slice(0, max).join(', ')}${names.length > max ? `, and ${names.length - max} more` : ''}`;

/** The line that names what keeps the gate shut on the validation side; null when the validation is a match. */
export function validationMissing(v: ValidationGate): string | null {
  const which = `the latest comparison (${v.runId}, ${v.comparedAt ?? 'time unknown'})`;
  const validation = v.store ? `validation of ${v.store.label}` : 'validation';
  switch (v.status) {
    case 'match':
      return null;
    case 'missing':
      return v.store
        ? `${validation}: no comparison of this data store against a pre-incident baseline has been started`
        : 'validation: no comparison of the restored data against a pre-incident baseline has finished';
    case 'mismatch':
      return `${validation}: ${which} did not match the baseline${v.summary ? `: ${v.summary}` : ''}`;
    case 'partial':
      return `${validation}: ${which} does not cover the whole database: ${v.detail ?? 'what it covered cannot be told'}. Capture a baseline of every table and compare again, or sign with an override that says why the rest need not be compared`;
    case 'not-proven':
      return `${validation}: ${which} proves nothing: ${v.detail ?? 'it did not finish'}; an earlier match does not stand in for it. Compare again`;
  }
}

/**
 * Fails closed: shut unless every affected store's newest comparison finished, matched and covered every table, and
 * while any attestation lacks intact evidence.
 */
export function signOffGate(stores: StoreValidation[], attestations: AttestationState[]): SignOffGate {
  const missing: string[] = [];
  for (const s of stores) {
    const v = validationMissing(s);
    if (v) missing.push(v);
  }
  const shut = stores.find((s) => s.status !== 'match');
  const validation = shut ?? [...stores].sort((a, b) => (b.comparedAt ?? '').localeCompare(a.comparedAt ?? ''))[0] ?? compareGateMissing;
  for (const a of attestations) {
    const intact = a.evidence.filter((e) => e.status === 'intact');
    if (intact.length > 0) continue;
    const bad = a.evidence.map((e) => `${e.id} is ${e.status}`).join(', ');
    missing.push(`attestation ${a.id}: ${bad ? `no intact evidence (${bad})` : 'no evidence linked'} ("${a.text}")`);
  }
  return { met: missing.length === 0, validation, stores, missing };
}

export function signOffStatus(ctx: CoreContext, run: IncidentRun): SignOffStatus[] {
  const repo = new CaseRepository(ctx.db);
  const evidence = repo.attestationEvidence(run.incident.id);
  const records = repo.signOffs(run.incident.id);
  const stores = storeGates(ctx, run);
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
      gate: signOffGate(stores, attestations),
      signers,
      complete: signers.every((s) => s.signOff),
      signOffs,
    };
  });
}
