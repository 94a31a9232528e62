/**
 * Sign-off requests: what a signer is asked to sign, made by the operator and sent to the signer, who signs it on
 * their own machine. A request pins the incident report (its hash), the incident ledger (its last entry and hash) and
 * the gate's facts (every attestation's evidence with its status, the validation the gate reads, what is missing). It
 * stays signable while none of that changes except through sign-offs; otherwise it is stale, and says what changed.
 */
import type { LedgerEntry } from '../../shared/domain';
import {
  SIGNOFF_REQUEST_FORMAT,
  type SignOffRequestBody,
  type SignOffRequestFile,
  type SignOffRequestSummary,
  type SignOffStatus,
  type StoreValidation,
  type ValidationGate,
} from '../../shared/signoff';
import { SIGNOFF_SSH_NAMESPACE } from '../../shared/signers';
import type { CoreContext } from '../context';
import { FirebreakError } from '../errors';
import { canonicalJson } from '../ledger/canonical-json';
import type { Actor } from '../ledger/ledger';
import type { CloudTrailSource } from '../case/cloudtrail-facts';
import { incidentRun } from '../case/incident-run';
import { CaseRepository } from '../case/repository';
import { contentSha256, modelJson } from '../case/model-common';
import { incidentReportModel } from '../case/model-incident';
import { reportIam } from '../iam/report/report-section';
import { recheckAttestationEvidence } from './evidence-check';
import { renderRequest, requestFileName, requestSentence, storedRequestBody } from '../kernel/signoff-request-file';
import { type StoredRequest, SignOffRequestRepository } from './requests-repository';
import { sha256Hex } from '../kernel/signature';
import { canonicalRole, pickSignOffStep, signOffStatus } from '../case/signoff-status';

export interface RequestInput {
  id: string;
  stepId?: string | undefined;
  role: string;
  override?: string | undefined;
}

export const stepStatus = (ctx: CoreContext, id: string, stepId: string): SignOffStatus =>
  signOffStatus(ctx, incidentRun(ctx, id)).find((s) => s.stepId === stepId) as SignOffStatus;

/** The gate's facts a request pins: compared whole, so any change to the gate or the evidence behind it shows. */
const gateFacts = (x: Pick<SignOffStatus, 'gate' | 'attestations'>): string => canonicalJson({ gate: x.gate, attestations: x.attestations });

const evidenceList = (a: SignOffStatus['attestations'][number] | undefined) =>
  a?.evidence.length ? a.evidence.map((e) => `${e.id} ${e.status}`).join(', ') : 'none';

/** What differs between the gate a request pinned and the gate now, in words. */
function gateChanges(pinned: Pick<SignOffStatus, 'gate' | 'attestations'>, now: Pick<SignOffStatus, 'gate' | 'attestations'>): string[] {
  if (gateFacts(pinned) === gateFacts(now)) return [];
  const out: string[] = [];
  if (pinned.gate.met !== now.gate.met) out.push(`the sign-off gate was ${pinned.gate.met ? 'met' : 'not met'} and now is ${now.gate.met ? 'met' : 'not met'}`);
  const v = (x: ValidationGate | undefined) => (x ? `${x.status}${x.runId ? ` (${x.runId})` : ''}` : 'not an affected store');
  // Each affected data store by its own newest compare; a store that became affected, or stopped being, shows too.
  const key = (x: StoreValidation) => x.store?.key ?? '';
  const stores = new Map<string, { label: string; was?: StoreValidation; now?: StoreValidation }>();
  for (const x of pinned.gate.stores) stores.set(key(x), { label: x.store?.label ?? '', was: x });
  for (const x of now.gate.stores) stores.set(key(x), { ...(stores.get(key(x)) ?? { label: x.store?.label ?? '' }), now: x });
  for (const { label, was, now: is } of stores.values()) {
    if (canonicalJson(was ?? null) !== canonicalJson(is ?? null)) out.push(`validation${label ? ` of ${label}` : ''}: was ${v(was)}, now ${v(is)}`);
  }
  if (out.length === (pinned.gate.met !== now.gate.met ? 1 : 0) && canonicalJson(pinned.gate.validation) !== canonicalJson(now.gate.validation)) {
    out.push(`validation: was ${v(pinned.gate.validation)}, now ${v(now.gate.validation)}`);
  }
  for (const a of now.attestations) {
    const before = pinned.attestations.find((x) => x.id === a.id);
    if (canonicalJson(before ?? null) !== canonicalJson(a)) out.push(`attestation ${a.id}: its evidence was ${evidenceList(before)}, now ${evidenceList(a)}`);
  }
  if (out.length === 0) out.push(`what the gate names as missing changed: now ${now.gate.missing.length ? now.gate.missing.join('; ') : 'nothing'}`);
  return out;
}

/** Entries that sign-offs write: they never make another role's request out of date. */
const SIGNOFF_ACTIONS: ReadonlySet<string> = new Set(['signoff.requested', 'signoff.signed', 'signoff.signed-with-override']);
const ACQUISITIONS: ReadonlySet<string> = new Set(['evidence.acquired', 'evidence.reacquired']);

const describe = (e: LedgerEntry) => `entry ${e.seq} ${e.action} (${e.subject}) by ${e.actor} at ${e.at}`;

/**
 * How the incident's chain moved since the request pinned it, other than by sign-offs: a rewritten history, or new
 * entries. `keptBySignOffs`: evidence items sign-offs kept (signed reports, requests, signatures), whose acquisition
 * is part of a sign-off.
 */
function ledgerChanges(ctx: CoreContext, r: StoredRequest, keptBySignOffs: ReadonlySet<string>): string[] {
  const pinned = r.pinnedSeq > 0 ? ctx.ledger.entriesAt(r.incidentId, [r.pinnedSeq])[0] : null;
  if (r.pinnedSeq > 0 && pinned?.hash !== r.pinnedHead) {
    return [`the ledger was rewritten: entry ${r.pinnedSeq} no longer has the hash ${r.pinnedHead ?? ''} the request pinned`];
  }
  const head = ctx.ledger.head(r.incidentId)?.seq ?? 0;
  const other = ctx.ledger.page(r.incidentId, r.pinnedSeq, head, Math.max(0, head - r.pinnedSeq)).filter((e) => {
    if (SIGNOFF_ACTIONS.has(e.action)) return false;
    const item = typeof (e.payload as { item?: unknown } | null)?.item === 'string' ? (e.payload as { item: string }).item : e.subject;
    return !(ACQUISITIONS.has(e.action) && keptBySignOffs.has(item));
  });
  if (other.length === 0) return [];
  const shown = other.slice(0, 8).map(describe);
  if (other.length > shown.length) shown.push(`and ${other.length - shown.length} more`);
  return [`${other.length} ledger ${other.length === 1 ? 'entry was' : 'entries were'} added since the request pinned entry ${r.pinnedSeq}, other than sign-offs:`, ...shown];
}

/**
 * Everything that changed since the request was made, other than through sign-offs; empty while it is current.
 * `alsoKept`: evidence items the sign-off being recorded has just kept.
 */
export function requestChanges(ctx: CoreContext, r: StoredRequest, body: SignOffRequestBody, alsoKept: readonly string[] = []): string[] {
  const now = stepStatus(ctx, r.incidentId, r.stepId);
  const kept = new Set([...new CaseRepository(ctx.db).signOffArtefacts(r.incidentId), ...alsoKept]);
  return [...gateChanges(body, now), ...ledgerChanges(ctx, r, kept)];
}

/**
 * Makes a request for one role to sign one sign-off step. The gate fails closed as signing does: while it is not met,
 * only an override with a justification makes a request, and the request carries it. The evidence behind the
 * attestations is re-hashed first. Recorded in the incident's ledger (signoff.requested) with the request's hash.
 */
export async function makeRequest(ctx: CoreContext, actor: Actor, deps: { cloudtrail?: CloudTrailSource | undefined }, input: RequestInput): Promise<SignOffRequestFile> {
  const run = incidentRun(ctx, input.id);
  const { step, phaseId } = pickSignOffStep(run, input.stepId);
  const role = canonicalRole(step, input.role);
  const override = input.override?.trim() || null;
  const refuseIfSigned = (s: SignOffStatus) => {
    const already = s.signOffs.find((r) => r.role === role);
    if (already) {
      throw new FirebreakError('conflict', `${role} already signed "${step.title}" for ${input.id}: ${already.name} on ${already.signedAt} (${already.id}).`);
    }
  };
  const initial = stepStatus(ctx, input.id, step.id);
  refuseIfSigned(initial);
  await recheckAttestationEvidence(ctx, actor, initial);

  const status = stepStatus(ctx, input.id, step.id);
  refuseIfSigned(status);
  if (!status.gate.met && !override) {
    throw new FirebreakError('gate-not-met', `${role} cannot sign "${step.title}" for ${input.id}: the sign-off gate is not met.`, [
      ...status.gate.missing,
      'Link the missing evidence and finish the comparison, or make the request with an override that says why.',
    ]);
  }
  // Read before the moment below: it waits on the locker and the action catalogue.
  const iam = await reportIam(ctx, input.id);
  // No await from here to the change: the gate's facts, the report and the pinned head are read as one moment.
  const report = incidentReportModel(ctx, input.id, { generatedBy: actor, cloudtrail: deps.cloudtrail, iam });
  const repo = new SignOffRequestRepository(ctx.db);
  const head = ctx.ledger.head(input.id) ?? { seq: 0, hash: null };
  const id = repo.nextId();
  const requestedAt = ctx.now().toISOString();
  const waived = status.gate.met ? null : override;
  const body: SignOffRequestBody = {
    format: SIGNOFF_REQUEST_FORMAT,
    version: 1,
    request: id,
    incident: { id: run.incident.id, title: run.incident.title, sample: run.incident.sample },
    step: { id: step.id, title: step.title, phaseId },
    role,
    statement: requestSentence(role, step.attestations, status.gate.stores, waived),
    attestations: status.attestations,
    gate: status.gate,
    override: waived ? { justification: waived, waived: [...status.gate.missing] } : null,
    report: { kind: 'incident', sha256: contentSha256(report) },
    ledger: { scope: input.id, seq: head.seq, head: head.hash },
    requestedBy: { name: actor.name, role: actor.role },
    requestedAt,
    namespace: SIGNOFF_SSH_NAMESPACE,
  };
  const text = renderRequest(body);
  const sha256 = sha256Hex(text);
  const entry = {
    scope: input.id,
    action: 'signoff.requested',
    subject: step.id,
    payload: {
      request: id,
      title: step.title,
      role,
      requestSha256: sha256,
      reportSha256: body.report.sha256,
      pinned: { seq: head.seq, head: head.hash },
      gateMet: status.gate.met,
      ...(body.override ? { justification: body.override.justification, waived: body.override.waived } : {}),
    },
  };
  return ctx.change(actor, entry, (recorded) => {
    // The request's own entry must follow the head it pinned: anything in between (another process) makes it wrong.
    if (recorded.seq !== head.seq + 1) throw new FirebreakError('conflict', `The ledger of ${input.id} moved while the request was made; nothing was recorded. Make it again.`);
    repo.insert({
      id,
      incidentId: input.id,
      stepId: step.id,
      role,
      text,
      sha256,
      reportJson: modelJson(report),
      reportSha256: body.report.sha256,
      pinnedSeq: head.seq,
      pinnedHead: head.hash,
      override: body.override?.justification ?? null,
      requestedAt,
      requestedBy: { name: actor.name, role: actor.role },
      ledgerSeq: recorded.seq,
    });
    return { id, incidentId: input.id, stepId: step.id, role, fileName: requestFileName(body), text, sha256, body };
  });
}

/** Every request made for the incident, newest first, with whether it can still be signed and, if not, why. */
export function requestSummaries(ctx: CoreContext, incidentId: string): SignOffRequestSummary[] {
  const run = incidentRun(ctx, incidentId);
  const records = new CaseRepository(ctx.db).signOffs(incidentId);
  const statuses = signOffStatus(ctx, run);
  return new SignOffRequestRepository(ctx.db).ofIncident(incidentId).map((r) => {
    const body = storedRequestBody(r.text);
    const signed = records.find((x) => x.request?.id === r.id) ?? null;
    const closed = !signed && records.some((x) => x.stepId === r.stepId && x.role === r.role);
    const changes = signed || closed || !statuses.some((s) => s.stepId === r.stepId) ? [] : requestChanges(ctx, r, body);
    return {
      id: r.id,
      incidentId,
      stepId: r.stepId,
      stepTitle: body.step.title,
      role: r.role,
      requestedAt: r.requestedAt,
      requestedBy: r.requestedBy,
      sha256: r.sha256,
      fileName: requestFileName(body),
      override: r.override !== null,
      state: signed ? 'signed' : closed ? 'closed' : changes.length ? 'stale' : 'open',
      changes,
      signOffId: signed?.id ?? null,
    };
  });
}

/** The request file again, for an open request (to send it once more). */
export function requestFile(ctx: CoreContext, incidentId: string, requestId: string): SignOffRequestFile {
  const r = new SignOffRequestRepository(ctx.db).get(requestId);
  if (!r || r.incidentId !== incidentId) throw new FirebreakError('not-found', `There is no sign-off request ${requestId} for ${incidentId}.`);
  const body = storedRequestBody(r.text);
  return { id: r.id, incidentId, stepId: r.stepId, role: r.role, fileName: requestFileName(body), text: r.text, sha256: r.sha256, body };
}
