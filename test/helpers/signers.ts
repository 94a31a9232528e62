import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Core } from '../../electron/core/core';
import { intakeBytes } from '../../electron/core/evidence/intake';
import { canonicalJson } from '../../electron/core/ledger/canonical-json';
import { contentSha256, modelJson } from '../../electron/core/case/model-common';
import { incidentReportModel } from '../../electron/core/case/model-incident';
import { CaseRepository } from '../../electron/core/case/repository';
import { publicKeyFingerprint, sha256Hex } from '../../electron/core/kernel/signature';
import { SignOffRepository } from '../../electron/core/signoff/repository';
import { stepStatus } from '../../electron/core/signoff/request';
import { FileKeyStore, type SignerKey } from '../../electron/core/signers/key-store';
import { signSshsig } from '../../electron/core/trust/sshsig';
import type { Signer } from '../../electron/shared/signers';
import { SIGNOFF_SSH_NAMESPACE } from '../../electron/shared/signers';
import type { SignOffRecord, SignOffRequestFile, SignOffStatement } from '../../electron/shared/signoff';
import { call } from './core';

/** A signer's own machine: their key made in a folder of its own, never the operator's data directory. */
export interface SignerMachine {
  name: string;
  role: string;
  dir: string;
  key: SignerKey;
  /** What they hand over to be enrolled: the .pub line. */
  publicKey: string;
}

export function signerMachine(root: string, who: { name: string; role: string }): SignerMachine {
  const dir = join(root, `machine-${who.name.replace(/\W+/g, '-').toLowerCase()}-${who.role.replace(/\W+/g, '-').toLowerCase()}`);
  mkdirSync(dir, { recursive: true });
  const { key } = new FileKeyStore(join(dir, 'keys')).init(who, new Date('2026-01-01T00:00:00Z'));
  return { ...who, dir, key, publicKey: readFileSync(key.publicKeyPath, 'utf8') };
}

/** Enrols the machine's key through the Api, as `signers add --public-key FILE` does. */
export const enrol = (core: Core, m: SignerMachine): Promise<Signer> =>
  call<Signer>(core, 'signers.add', { name: m.name, role: m.role, publicKey: m.publicKey, source: basename(m.key.publicKeyPath) });

/** What `firebreak signoff sign` does on the signer's machine: an SSH signature over the request's bytes. */
export const signOn = (m: SignerMachine, request: string): string => signSshsig(request, m.key.signer, SIGNOFF_SSH_NAMESPACE);

/** The whole exchange through the Api: request, signed on the signer's machine, imported. */
export async function signAs(core: Core, m: SignerMachine, id: string, o: { stepId?: string; override?: string } = {}): Promise<SignOffRecord> {
  const req = await call<SignOffRequestFile>(core, 'signoff.request', { id, role: m.role, ...o });
  return call<SignOffRecord>(core, 'signoff.import', { id, signature: signOn(m, req.text), request: req.text, requestName: req.fileName, signatureName: `${req.fileName}.sig` });
}

/** A statement as Firebreak signed them before signers were enrolled: canonical JSON, with a key made for the signer. */
export function legacyStatement(o: {
  incidentId: string;
  stepId: string;
  stepTitle: string;
  signer: { name: string; role: string };
  signedAt: string;
  sentence: string;
  attestations: SignOffStatement['attestations'];
  reportSha256: string;
  validation: SignOffStatement['validation'];
  override: SignOffStatement['override'];
}) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const fingerprint = publicKeyFingerprint(pem);
  const statement: SignOffStatement = {
    format: 'firebreak-signoff',
    version: 1,
    incidentId: o.incidentId,
    stepId: o.stepId,
    stepTitle: o.stepTitle,
    signer: o.signer,
    signedAt: o.signedAt,
    statement: o.sentence,
    attestations: o.attestations,
    report: { kind: 'incident', sha256: o.reportSha256 },
    validation: o.validation,
    override: o.override,
    publicKey: { algorithm: 'Ed25519', fingerprint },
  };
  const message = Buffer.from(canonicalJson(statement), 'utf8');
  return { statement, message, signature: sign(null, message, privateKey).toString('base64'), pem, fingerprint };
}

/**
 * A sign-off as Firebreak made them before signers were enrolled: an Ed25519 key the app made for whatever name was
 * typed, signing the canonical statement, the signed report kept as evidence, the ledger entry, the record. Existing
 * data directories hold such records; they must keep verifying, labelled as made with a key the app held.
 */
export async function legacySignOff(core: Core, o: { id: string; role: string; name: string }): Promise<{ record: SignOffRecord; fingerprint: string }> {
  const ctx = core.context;
  const actor = ctx.human();
  const stepId = 'reinstatement-sign-off';
  const report = incidentReportModel(ctx, o.id, { generatedBy: { name: o.name, role: o.role } });
  const reportJson = modelJson(report);
  const reportSha256 = contentSha256(report);
  const kept = await intakeBytes(ctx, actor, reportJson, { incidentId: o.id, name: `${o.id}-incident-report-signed-by-${o.role.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.json`, sourceKind: 'report', linkedSteps: [stepId] });
  const status = stepStatus(ctx, o.id, stepId);
  const { statement, message, signature, pem, fingerprint } = legacyStatement({
    incidentId: o.id,
    stepId,
    stepTitle: status.title,
    signer: { name: o.name, role: o.role },
    signedAt: ctx.now().toISOString(),
    sentence: `I, ${o.name} (${o.role}), attest that: ${status.attestations.map((a, i) => `(${i + 1}) ${a.text}`).join(' ')}`,
    attestations: status.attestations.map((a) => ({ id: a.id, text: a.text, evidence: a.evidence.map((e) => ({ id: e.id, name: e.name, sha256: e.sha256 })) })),
    reportSha256,
    validation: status.gate.validation,
    override: null,
  });
  const entry = {
    scope: o.id,
    action: 'signoff.signed',
    subject: stepId,
    payload: { title: status.title, role: o.role, name: o.name, reportSha256, reportEvidenceId: kept.id, statementSha256: sha256Hex(message), signature, algorithm: 'Ed25519', fingerprint, publicKey: pem, validation: { status: statement.validation.status, runId: statement.validation.runId } },
  };
  const record = ctx.change(actor, entry, (recorded) => {
    const id = new SignOffRepository(ctx.db).insert({
      incidentId: o.id,
      stepId,
      role: o.role,
      name: o.name,
      signedAt: statement.signedAt,
      statementJson: message.toString('utf8'),
      statementSha256: sha256Hex(message),
      signature,
      publicKeyPem: pem,
      fingerprint,
      reportSha256,
      reportEvidenceId: kept.id,
      overrideReason: null,
      ledgerSeq: recorded.seq,
    });
    return new CaseRepository(ctx.db).signOff(id) as SignOffRecord;
  });
  return { record, fingerprint };
}
