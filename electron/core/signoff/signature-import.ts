/**
 * Recording a signer's signature on a request: the SSH signature must hold over the request's exact bytes, the key
 * must be enrolled for the role the request names (the signer's name comes from that enrolment), and the request must
 * still be current. The request, the signature and the incident report the request pinned are kept as evidence; the
 * ledger entry and the sign-off record carry the signature, key, fingerprint and enrolment.
 */
import type { SignOffRecord } from '../../shared/signoff';
import { SIGNOFF_SSH_NAMESPACE, type Signer } from '../../shared/signers';
import type { CoreContext } from '../context';
import { FirebreakError, badInput } from '../errors';
import { intakeBytes } from '../evidence/intake';
import type { Actor } from '../ledger/ledger';
import { incidentOf } from '../case/incident-run';
import { CaseRepository } from '../case/repository';
import { roleKey } from '../signers/key-store';
import { SignerRepository } from '../signers/repository';
import { parseSshSignature, verifySshsig } from '../trust/sshsig';
import { SignOffRepository } from './repository';
import { parseRequest, roleSlug } from '../kernel/signoff-request-file';
import { recheckAttestationEvidence } from './evidence-check';
import { requestChanges, stepStatus } from './request';
import { type StoredRequest, SignOffRequestRepository } from './requests-repository';
import { sha256Hex } from '../kernel/signature';

export interface ImportInput {
  id: string;
  /** The armored SSH signature (the .sig file). */
  signature: string;
  /** The request file; when absent, the request of this incident the signature holds over. */
  request?: string | undefined;
  /** File names, for messages and the evidence kept. */
  signatureName?: string | undefined;
  requestName?: string | undefined;
}

const refused = (message: string, details?: string[]) => new FirebreakError('check-failed', message, details);

/** The request the signature is over: the one given (which must be one made here), or the one it verifies against. */
function findRequest(ctx: CoreContext, input: ImportInput, sig: ReturnType<typeof parseSshSignature>, sigName: string): StoredRequest {
  const repo = new SignOffRequestRepository(ctx.db);
  const holds = (r: StoredRequest) => verifySshsig(sig, r.text, { namespace: SIGNOFF_SSH_NAMESPACE, key: sig.key }).valid;
  if (input.request !== undefined) {
    const where = input.requestName ?? 'the request';
    const stored = repo.bySha256(sha256Hex(input.request));
    if (!stored) {
      parseRequest(input.request, where);
      throw refused(`${where} is not a request made for ${input.id} in this installation: no request with its SHA-256 was made here (it was edited, or made elsewhere).`);
    }
    if (stored.incidentId !== input.id) throw badInput(`${where} (${stored.id}) is a request for ${stored.incidentId}, not ${input.id}.`);
    return stored;
  }
  const all = repo.ofIncident(input.id);
  const hit = all.find(holds);
  if (!hit) {
    throw refused(`${sigName} is not a signature over any of the ${all.length} sign-off request${all.length === 1 ? '' : 's'} made for ${input.id}.`, [
      'Give the request it signs with --request (a request changed after it was made is refused), or make a new request and have it signed.',
    ]);
  }
  return hit;
}

/** The active enrolment of the signing key for the request's role; refused, saying what the key is enrolled as. */
function enrolmentFor(ctx: CoreContext, fingerprint: string, role: string, sample: boolean): Signer {
  const all = new SignerRepository(ctx.db).byFingerprint(fingerprint);
  const active = all.filter((s) => !s.revoked);
  if (all.length === 0) {
    throw refused(`The key ${fingerprint} that made the signature is not enrolled: nobody enrolled it as a signer.`, [
      'If it is the signer\'s key (confirm its fingerprint with them in person or by phone), enrol it: firebreak signers add --name NAME --role ROLE --public-key KEY.pub',
    ]);
  }
  if (active.length === 0) {
    const r = all.at(-1) as Signer;
    throw refused(`The key ${fingerprint} was enrolled for ${r.name} (${r.role}) as ${r.id}, but that enrolment was revoked on ${r.revoked?.at ?? ''}.`);
  }
  const forRole = active.filter((s) => roleKey(s.role) === roleKey(role) && (sample || !s.sample));
  if (forRole.length === 0) {
    const sampleOnly = active.filter((s) => roleKey(s.role) === roleKey(role));
    if (sampleOnly.length) throw refused(`The key ${fingerprint} is enrolled as a signer of the sample incident only (${sampleOnly[0]?.id}); it signs no real incident.`);
    throw refused(`The key ${fingerprint} is enrolled for ${active.map((s) => `${s.name} as ${s.role} (${s.id})`).join(', ')}, not for ${role}: it cannot sign as ${role}.`);
  }
  return forRole[0] as Signer;
}

/**
 * Imports a signature on a request. Refused (check-failed) when the signature does not hold over the request's bytes,
 * when the key is not enrolled for the role, and when the request is no longer current, saying what changed.
 */
export async function importSignature(ctx: CoreContext, actor: Actor, input: ImportInput): Promise<SignOffRecord> {
  const sigName = input.signatureName ?? 'the signature';
  const sig = parseSshSignature(input.signature, sigName);
  const request = findRequest(ctx, input, sig, sigName);
  const reqName = input.requestName ?? `request ${request.id}`;
  const check = verifySshsig(sig, request.text, { namespace: SIGNOFF_SSH_NAMESPACE, key: sig.key });
  if (!check.valid) throw refused(`${sigName} does not hold over ${reqName}: ${check.reason}.`);
  const body = parseRequest(request.text, reqName);
  const incident = incidentOf(ctx, input.id);
  const enrolment = enrolmentFor(ctx, sig.key.fingerprint, request.role, incident.sample);

  const refuseIfSigned = () => {
    const already = stepStatus(ctx, input.id, request.stepId).signOffs.find((r) => r.role === request.role);
    if (already) throw new FirebreakError('conflict', `${request.role} already signed "${body.step.title}" for ${input.id}: ${already.name} on ${already.signedAt} (${already.id}).`);
  };
  const refuseIfStale = (alsoKept: string[] = []) => {
    const changes = requestChanges(ctx, request, body, alsoKept);
    if (changes.length) {
      throw refused(`${reqName} (${request.id}) is out of date: the incident changed since it was made, so the signature does not cover the record as it is; nothing was recorded.`, [
        ...changes,
        `Make a new request (firebreak signoff request ${input.id} --role "${request.role}" --out FILE) and have it signed again.`,
      ]);
    }
  };
  refuseIfSigned();
  // The evidence behind the attestations is hashed again: a copy changed since the request makes it stale.
  await recheckAttestationEvidence(ctx, actor, stepStatus(ctx, input.id, request.stepId));
  refuseIfStale();

  const slug = `${input.id}-${roleSlug(request.role)}-${request.id}`;
  const keep = (bytes: string, name: string, description: string) =>
    intakeBytes(ctx, actor, bytes, { incidentId: input.id, name, sourceKind: 'report', description, linkedSteps: [request.stepId] });
  const report = await keep(request.reportJson, `${slug}-incident-report.json`, `Incident report as pinned by sign-off request ${request.id} (${request.role}); content SHA-256 ${request.reportSha256}`);
  const kept = await keep(request.text, `${slug}.signoff-request.txt`, `Sign-off request ${request.id} for ${request.role}, signed by ${enrolment.name}`);
  const sigItem = await keep(input.signature, `${slug}.signoff-request.txt.sig`, `SSH signature of ${enrolment.name} (${request.role}) over sign-off request ${request.id}; key ${sig.key.fingerprint}`);

  const entry = {
    scope: input.id,
    action: body.override ? 'signoff.signed-with-override' : 'signoff.signed',
    subject: request.stepId,
    payload: {
      title: body.step.title,
      // The signer, from the enrolment of the key; the entry's actor is the operator who imported the signature.
      role: request.role,
      name: enrolment.name,
      scheme: 'sshsig',
      request: request.id,
      requestSha256: request.sha256,
      statementSha256: request.sha256,
      requestEvidenceId: kept.id,
      signatureEvidenceId: sigItem.id,
      reportSha256: request.reportSha256,
      reportEvidenceId: report.id,
      signature: input.signature,
      keyType: sig.key.type,
      fingerprint: sig.key.fingerprint,
      publicKey: enrolment.publicKey,
      enrolment: enrolment.id,
      principal: enrolment.principal,
      pinned: { seq: request.pinnedSeq, head: request.pinnedHead },
      validation: { status: body.gate.validation.status, runId: body.gate.validation.runId },
      ...(body.override ? { justification: body.override.justification, waived: body.override.waived } : {}),
    },
  };
  return ctx.change(actor, entry, (recorded) => {
    // Again inside the change: another signature or any other change may have landed meanwhile (the entry goes with a refusal).
    refuseIfSigned();
    refuseIfStale([report.id, kept.id, sigItem.id]);
    const id = new SignOffRepository(ctx.db).insert({
      incidentId: input.id,
      stepId: request.stepId,
      role: request.role,
      name: enrolment.name,
      signedAt: recorded.at,
      statementJson: request.text,
      statementSha256: request.sha256,
      signature: input.signature,
      publicKeyPem: enrolment.publicKey,
      fingerprint: sig.key.fingerprint,
      reportSha256: request.reportSha256,
      reportEvidenceId: report.id,
      overrideReason: body.override?.justification ?? null,
      ledgerSeq: recorded.seq,
      sshsig: { signerId: enrolment.id, requestId: request.id, requestEvidenceId: kept.id, signatureEvidenceId: sigItem.id },
    });
    return new CaseRepository(ctx.db).signOff(id) as SignOffRecord;
  });
}
