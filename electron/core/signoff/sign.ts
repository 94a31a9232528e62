import {
  SIGNATURE_ALGORITHM,
  SIGNOFF_STATEMENT_FORMAT,
  type SignOffRecord,
  type SignOffStatement,
  type SignOffStatus,
  type StoreValidation,
} from '../../shared/signoff';
import type { CloudTrailSource } from '../case/cloudtrail-facts';
import { incidentRun } from '../case/incident-run';
import { contentSha256, modelJson } from '../case/model-common';
import { incidentReportModel } from '../case/model-incident';
import { CaseRepository } from '../case/repository';
import { canonicalRole, pickSignOffStep, signOffStatus } from '../case/signoff-status';
import type { CoreContext } from '../context';
import { FirebreakError } from '../errors';
import { intakeBytes } from '../evidence/intake';
import { resolveItem } from '../evidence/items';
import { verifyEvidence } from '../evidence/verify';
import { sha256Hex, statementBytes } from '../kernel/signature';
import { canonicalJson } from '../ledger/canonical-json';
import type { Actor } from '../ledger/ledger';
import type { SignerKeyStore } from './key-store';
import { SignOffRepository } from './repository';

export interface SignInput {
  id: string;
  stepId?: string | undefined;
  role: string;
  name: string;
  override?: string | undefined;
}

export interface SignDeps {
  keys: SignerKeyStore;
  cloudtrail?: CloudTrailSource | undefined;
}

const statusOf = (ctx: CoreContext, id: string, stepId: string): SignOffStatus =>
  signOffStatus(ctx, incidentRun(ctx, id)).find((s) => s.stepId === stepId) as SignOffStatus;

/** The sentence a signer puts their name to. */
export function statementSentence(
  name: string,
  role: string,
  attestations: Array<{ text: string }>,
  stores: readonly StoreValidation[],
  override: string | null,
): string {
  const items = attestations.map((a, i) => `(${i + 1}) ${a.text}`).join(' ');
  const named = stores.filter((s) => s.store);
  // "All affected data stores" must say which: each store with the run that proves it (or that nothing does).
  const which = named.length
    ? ` The affected data stores and their latest comparisons: ${named.map((s) => `${s.store?.label} (${s.runId ?? 'no comparison'}: ${s.status})`).join('; ')}.`
    : '';
  const base = `I, ${name} (${role}), attest that: ${items}${which}`;
  return override ? `${base} I sign although the sign-off gate is not met, because: ${override}` : base;
}

/** Everything the statement says about the gate: the validation, what is missing, and the evidence behind each attestation. */
const gateState = (s: SignOffStatus): string =>
  canonicalJson({ gate: s.gate, attestations: s.attestations.map((a) => ({ id: a.id, evidence: a.evidence })) });

const gateLine = (s: SignOffStatus): string =>
  `${s.gate.met ? 'met' : 'not met'} (validation ${s.gate.validation.status}${s.gate.validation.runId ? `, ${s.gate.validation.runId}` : ''}; ${s.gate.missing.length} missing)`;

/**
 * Signs a sign-off step for one role. The gate fails closed: while the newest database comparison is missing, did not
 * finish, did not match or covered part of the database only, or an attestation lacks intact evidence, only an override
 * with a justification lets the signer sign, and the statement, the ledger and every report carry it. The evidence
 * behind the attestations is re-hashed first, so a stored copy changed since its last check cannot back one. If the
 * gate changes between the statement and the commit (a compare lands, evidence is linked), nothing is signed and the
 * signer signs again. The signer signs the incident report as it stands (earlier signatures included), which is kept as
 * evidence so that anyone can check the hash they signed.
 *
 * `actor` is the operator who records the signature (the person at the keyboard): the ledger entry's actor. The signer's
 * name and role are in its payload and in the signed statement, so "Dana Reyes (IR lead) recorded the signature of
 * Morgan Lee (CISO)" is on the record.
 */
export async function signOff(ctx: CoreContext, actor: Actor, deps: SignDeps, input: SignInput): Promise<SignOffRecord> {
  const run = incidentRun(ctx, input.id);
  const { step } = pickSignOffStep(run, input.stepId);
  const role = canonicalRole(step, input.role);
  const name = input.name.trim();
  const override = input.override?.trim() || null;
  const refuseIfSigned = (s: SignOffStatus) => {
    const already = s.signOffs.find((r) => r.role === role);
    if (already) {
      throw new FirebreakError('conflict', `${role} already signed "${step.title}" for ${input.id}: ${already.name} on ${already.signedAt} (${already.id}).`);
    }
  };
  const initial = statusOf(ctx, input.id, step.id);
  refuseIfSigned(initial);

  // Only evidence whose stored copy hashes as recorded, now, backs an attestation: re-hash before reading the gate.
  if (initial.attestations.some((a) => a.evidence.length > 0)) await verifyEvidence(ctx, actor, input.id);

  const before = statusOf(ctx, input.id, step.id);
  refuseIfSigned(before);
  if (!before.gate.met && !override) {
    throw new FirebreakError('gate-not-met', `${role} cannot sign "${step.title}" for ${input.id}: the sign-off gate is not met.`, [
      ...before.gate.missing,
      'Link the missing evidence and finish the comparison, or sign with an override that says why.',
    ]);
  }

  const key = deps.keys.keyFor({ name, role });
  const report = incidentReportModel(ctx, input.id, { generatedBy: { name, role }, cloudtrail: deps.cloudtrail });
  const reportJson = modelJson(report);
  const reportSha256 = contentSha256(report);
  const signedAt = ctx.now().toISOString();
  // The statement says what the gate was at this moment; the commit below refuses if that is no longer so.
  const seen = gateState(before);
  const statement: SignOffStatement = {
    format: SIGNOFF_STATEMENT_FORMAT,
    version: 1,
    incidentId: input.id,
    stepId: step.id,
    stepTitle: step.title,
    signer: { name, role },
    signedAt,
    statement: statementSentence(name, role, step.attestations, before.gate.stores, before.gate.met ? null : override),
    attestations: before.attestations.map((a) => ({
      id: a.id,
      text: a.text,
      evidence: a.evidence.map((e) => ({ id: e.id, name: e.name, sha256: e.sha256 })),
    })),
    report: { kind: 'incident', sha256: reportSha256 },
    validation: before.gate.validation,
    stores: before.gate.stores,
    override: before.gate.met ? null : { justification: override as string, waived: [...before.gate.missing] },
    publicKey: { algorithm: SIGNATURE_ALGORITHM, fingerprint: key.fingerprint },
  };
  const message = statementBytes(statement);
  const signature = key.sign(message).toString('base64');

  const kept = await intakeBytes(ctx, actor, reportJson, {
    incidentId: input.id,
    name: `${input.id}-incident-report-signed-by-${role.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.json`,
    sourceKind: 'report',
    description: `Incident report as signed by ${name} (${role}) for "${step.title}"; content SHA-256 ${reportSha256}`,
    linkedSteps: [step.id],
  });

  const entry = {
    scope: input.id,
    action: statement.override ? 'signoff.signed-with-override' : 'signoff.signed',
    subject: step.id,
    payload: {
      title: step.title,
      // The signer; the entry's actor is the operator who recorded the signature.
      role,
      name,
      reportSha256,
      reportEvidenceId: kept.id,
      statementSha256: sha256Hex(message),
      signature,
      algorithm: SIGNATURE_ALGORITHM,
      fingerprint: key.fingerprint,
      publicKey: key.publicKeyPem,
      validation: { status: statement.validation.status, runId: statement.validation.runId },
      ...(statement.override ? { justification: statement.override.justification, waived: statement.override.waived } : {}),
    },
  };
  return ctx.change(actor, entry, (recorded) => {
    // Re-read inside the transaction: another signature, a compare or a change to the evidence may have landed meanwhile.
    const now = statusOf(ctx, input.id, step.id);
    if (now.signOffs.some((r) => r.role === role)) throw new FirebreakError('conflict', `${role} already signed "${step.title}" for ${input.id}.`);
    if (gateState(now) !== seen) {
      throw new FirebreakError('conflict', `The sign-off gate of "${step.title}" changed while ${role} was signing for ${input.id}; nothing was signed. Sign again.`, [
        `When the statement was made the gate was ${gateLine(before)}; now it is ${gateLine(now)}.`,
        ...now.gate.missing,
      ]);
    }
    const id = new SignOffRepository(ctx.db).insert({
      incidentId: input.id,
      stepId: step.id,
      role,
      name,
      signedAt,
      statementJson: message.toString('utf8'),
      statementSha256: sha256Hex(message),
      signature,
      publicKeyPem: key.publicKeyPem,
      fingerprint: key.fingerprint,
      reportSha256,
      reportEvidenceId: kept.id,
      overrideReason: statement.override?.justification ?? null,
      ledgerSeq: recorded.seq,
    });
    return new CaseRepository(ctx.db).signOff(id) as SignOffRecord;
  });
}

export function linkAttestationEvidence(
  ctx: CoreContext,
  actor: Actor,
  input: { id: string; stepId?: string | undefined; attestationId: string; itemId: string; unlink: boolean },
): SignOffStatus[] {
  ctx.change(
    actor,
    (link) =>
      link && {
        scope: input.id,
        action: input.unlink ? 'signoff.evidence-unlinked' : 'signoff.evidence-linked',
        subject: `${link.step.id}/${link.attestation.id}`,
        payload: { attestation: link.attestation.text, item: link.item.id, name: link.item.name, sha256: link.item.sha256 },
      },
    () => {
      const run = incidentRun(ctx, input.id);
      const { step } = pickSignOffStep(run, input.stepId);
      const attestation = step.attestations.find((a) => a.id === input.attestationId);
      if (!attestation) {
        throw new FirebreakError('bad-input', `"${input.attestationId}" is not an attestation of "${step.title}".`, [
          `Attestations: ${step.attestations.map((a) => a.id).join(', ')}`,
        ]);
      }
      const item = resolveItem(ctx, input.id, input.itemId);
      const repo = new SignOffRepository(ctx.db);
      const changed = input.unlink
        ? repo.unlink(input.id, step.id, attestation.id, item.id)
        : repo.link(input.id, step.id, attestation.id, item.id, ctx.now().toISOString());
      return changed ? { step, attestation, item } : null;
    },
  );
  return signOffStatus(ctx, incidentRun(ctx, input.id));
}
