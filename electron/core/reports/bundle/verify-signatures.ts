/**
 * The signatures of a case bundle. A sign-off its signer signed (sshsig) is checked as ssh-keygen checks it: the
 * signature over the request's bytes, with the key the bundle's allowed_signers enrols for the sign-off's principal,
 * whose enrolment record names the signer, role and fingerprint; the request names the report and pins a ledger entry
 * of this chain. A sign-off made with a key the app held is checked over its statement with its key, and said to be so.
 */
import type { BundleVerification, IncidentReportModel } from '../../../shared/reports';
import { APP_HELD_KEY_LABEL, type SignOffRequestBody, type SignOffStatement } from '../../../shared/signoff';
import { SIGNOFF_SSH_NAMESPACE } from '../../../shared/signers';
import { parseRequest } from '../../kernel/signoff-request-file';
import { publicKeyFingerprint, sha256Hex, verifySignature } from '../../kernel/signature';
import { type AllowedSigner, parseAllowedSigners } from '../../trust/allowed-signers';
import { parseSshSignature, verifySshsig } from '../../trust/sshsig';
import { ALLOWED_SIGNERS_FILE, type BundleIndex, type BundleSignOff, INDEX_FILE, signOffFiles } from './layout';
import { type LoadedFile, MORE, type Outcome, type SignedListing, isObject, outcome, plural } from './verify-checks';
import type { LedgerFacts, LedgerSignOff } from './verify-ledger';

/** What one sign-off's own files say, before what it shares with every sign-off is checked. */
interface Signed {
  /** The signature as the ledger records it: base64 (app-held key) or the armored SSH signature. */
  signature: string;
  fingerprint: string;
  name: string;
  role: string;
  verified: boolean;
  /** The signed document: its path, SHA-256, the report it names and the evidence it lists. */
  document: { path: string; sha256: string; reportSha256: string | null; evidence: SignedListing['items'] };
  /** sshsig: the ledger entry the request pinned. */
  pinned?: { seq: number; head: string | null };
}

const bytesOf = (files: ReadonlyMap<string, LoadedFile>, path: string) => files.get(path)?.bytes;

function appKeySigned(s: BundleSignOff, index: BundleIndex, files: ReadonlyMap<string, LoadedFile>, problems: string[]): Signed | null {
  const p = signOffFiles(s.id);
  const statement = bytesOf(files, p.statement);
  const sig = bytesOf(files, p.signature);
  const pem = bytesOf(files, p.publicKey)?.toString('utf8');
  if (!statement || !sig || !pem) {
    problems.push(`${s.id} (${s.name}, ${s.role}): ${[!statement && p.statement, !sig && p.signature, !pem && p.publicKey].filter(Boolean).join(', ')} missing`);
    return null;
  }
  const holds = verifySignature(statement, sig, pem);
  if (!holds) problems.push(`${s.id} (${s.name}, ${s.role}): the signature in ${p.signature} does not verify over ${p.statement} with ${p.publicKey}`);
  let fp = '';
  try {
    fp = publicKeyFingerprint(pem);
  } catch {
    problems.push(`${p.publicKey}: not a public key`);
  }
  let st: SignOffStatement | null = null;
  try {
    const parsed = JSON.parse(statement.toString('utf8')) as unknown;
    if (!isObject(parsed)) throw new Error('not an object');
    st = parsed as unknown as SignOffStatement;
  } catch {
    problems.push(`${p.statement}: not a sign-off statement`);
  }
  const keyMatches = Boolean(fp) && fp === s.fingerprint && st?.publicKey?.fingerprint === fp;
  if (fp && !keyMatches) problems.push(`${s.id}: the key in ${p.publicKey} (fingerprint ${fp}) is not the key the statement names`);
  if (st && st.incidentId !== index.incident.id) problems.push(`${p.statement}: signed for ${st.incidentId}, not ${index.incident.id}`);
  return {
    signature: sig.toString('base64'),
    fingerprint: fp,
    name: st?.signer?.name ?? s.name,
    role: st?.signer?.role ?? s.role,
    verified: holds && keyMatches && st !== null,
    document: { path: p.statement, sha256: sha256Hex(statement), reportSha256: st?.report?.sha256 ?? null, evidence: (st?.attestations ?? []).flatMap((a) => a.evidence ?? []) },
  };
}

function sshSigned(s: BundleSignOff, index: BundleIndex, files: ReadonlyMap<string, LoadedFile>, enrolled: readonly AllowedSigner[] | null, problems: string[]): Signed | null {
  const p = signOffFiles(s.id);
  const request = bytesOf(files, p.request);
  const sigBytes = bytesOf(files, p.requestSignature);
  if (!request || !sigBytes) {
    problems.push(`${s.id} (${s.name}, ${s.role}): ${[!request && p.request, !sigBytes && p.requestSignature].filter(Boolean).join(', ')} missing`);
    return null;
  }
  const text = request.toString('utf8');
  const signature = sigBytes.toString('utf8');
  let body: SignOffRequestBody | null = null;
  try {
    body = parseRequest(text, p.request);
  } catch (e) {
    problems.push((e as Error).message);
  }
  let fingerprint = '';
  let holds = false;
  try {
    const sig = parseSshSignature(signature, p.requestSignature);
    fingerprint = sig.key.fingerprint;
    const lines = (enrolled ?? []).filter((l) => l.principals.includes(s.principal ?? '') && l.key.fingerprint === fingerprint);
    const line = lines[0];
    if (!enrolled) problems.push(`${s.id}: ${ALLOWED_SIGNERS_FILE} is missing or unreadable, so nothing says whose key signed`);
    else if (!line) problems.push(`${s.id}: the key ${fingerprint} that signed ${p.requestSignature} is not enrolled for ${s.principal ?? '(no principal)'} in ${ALLOWED_SIGNERS_FILE}`);
    else {
      const check = verifySshsig(sig, text, { namespace: SIGNOFF_SSH_NAMESPACE, key: line.key });
      holds = check.valid;
      if (!check.valid) problems.push(`${s.id}: ${p.requestSignature} does not hold over ${p.request}: ${check.reason}`);
      if (line.namespaces && !line.namespaces.includes(SIGNOFF_SSH_NAMESPACE)) problems.push(`${ALLOWED_SIGNERS_FILE}:${line.line}: the key may not sign in ${SIGNOFF_SSH_NAMESPACE}`);
      const e = line.enrolment;
      if (!e) problems.push(`${ALLOWED_SIGNERS_FILE}:${line.line}: no enrolment record after the key`);
      else if (e.name !== s.name || e.role !== s.role) problems.push(`${ALLOWED_SIGNERS_FILE}:${line.line}: enrols ${e.name} (${e.role}), but ${INDEX_FILE} says ${s.id} was signed by ${s.name} (${s.role})`);
    }
  } catch (e) {
    problems.push((e as Error).message);
  }
  if (fingerprint && fingerprint !== s.fingerprint) problems.push(`${s.id}: signed by the key ${fingerprint}, but ${INDEX_FILE} names ${s.fingerprint}`);
  if (body) {
    if (body.incident.id !== index.incident.id) problems.push(`${p.request}: a request for ${body.incident.id}, not ${index.incident.id}`);
    if (body.role !== s.role) problems.push(`${p.request}: asks the ${body.role} to sign, but ${INDEX_FILE} says ${s.id} is the ${s.role}'s signature`);
  }
  return {
    signature,
    fingerprint,
    name: s.name,
    role: s.role,
    verified: holds && body !== null && fingerprint === s.fingerprint,
    document: { path: p.request, sha256: sha256Hex(request), reportSha256: body?.report.sha256 ?? null, evidence: (body?.attestations ?? []).flatMap((a) => a.evidence) },
    ...(body ? { pinned: { seq: body.ledger.seq, head: body.ledger.head } } : {}),
  };
}

function readAllowedSigners(files: ReadonlyMap<string, LoadedFile>, problems: string[]): AllowedSigner[] | null {
  const bytes = bytesOf(files, ALLOWED_SIGNERS_FILE);
  if (!bytes) return null;
  try {
    return parseAllowedSigners(bytes.toString('utf8'), ALLOWED_SIGNERS_FILE);
  } catch (e) {
    problems.push((e as Error).message);
    return null;
  }
}

/** How a reviewer should read the key: its holder, or that the app held it. */
const custody = (s: BundleSignOff) => (s.scheme === 'sshsig' ? `own key enrolled as ${s.enrolment?.id ?? '?'} (${s.principal ?? ''})` : APP_HELD_KEY_LABEL);

/**
 * Every signature holds over what it signed, with the key it names (an enrolled key for signers' own signatures), over
 * the report it names, as the ledger recorded; and every sign-off the ledger records has its signature in the bundle.
 * Returns each signer's key, and the evidence hashes the signed documents and reports list (for the evidence check).
 */
export function checkSignatures(
  index: BundleIndex,
  files: ReadonlyMap<string, LoadedFile>,
  ledger: LedgerFacts | null,
  incidentReport: IncidentReportModel | null,
): Outcome & { signers: BundleVerification['signers']; signed: SignedListing[] } {
  const problems: string[] = [];
  const signers: BundleVerification['signers'] = [];
  const signed: SignedListing[] = [];
  const ledgerOk = ledger !== null && !ledger.broken;
  const bySignature = new Map<string, LedgerSignOff>((ledger?.signOffs ?? []).map((r) => [r.signature, r]));
  const present = new Set<string>();
  const enrolled = index.signOffs.some((s) => s.scheme === 'sshsig') ? readAllowedSigners(files, problems) : null;
  for (const s of index.signOffs) {
    const one = s.scheme === 'sshsig' ? sshSigned(s, index, files, enrolled, problems) : appKeySigned(s, index, files, problems);
    if (!one) continue;
    const doc = one.document;
    present.add(one.signature);
    signers.push({ id: s.id, name: one.name, role: one.role, fingerprint: one.fingerprint, verified: one.verified, custody: s.scheme === 'sshsig' ? 'signer' : 'firebreak' });
    if (one.verified) signed.push({ source: `${doc.path} (signed by ${one.name})`, items: doc.evidence });
    if (doc.reportSha256 !== null && doc.reportSha256 !== s.reportSha256) problems.push(`${doc.path}: names report ${doc.reportSha256}, ${INDEX_FILE} says ${s.reportSha256}`);
    if (one.pinned && ledgerOk && one.pinned.seq > 0 && ledger.hashAt.get(one.pinned.seq) !== one.pinned.head) {
      problems.push(`${doc.path}: the ledger entry ${one.pinned.seq} it pinned is not in the bundle's ledger with hash ${one.pinned.head ?? ''} (the history before ${s.name}'s signature was rewritten)`);
    }
    const reportItems = checkSignedReport(s, files, ledger, doc.reportSha256, problems);
    if (one.verified && reportItems) signed.push({ source: `${signOffFiles(s.id).signedReport} (signed by ${one.name})`, items: reportItems });

    const recorded = bySignature.get(one.signature);
    if (ledgerOk && !recorded) problems.push(`${s.id}: the ledger has no sign-off entry with this signature`);
    if (recorded) {
      const entry = `ledger entry ${recorded.seq} (${recorded.action})`;
      if (one.fingerprint && recorded.fingerprint !== one.fingerprint) problems.push(`${s.id}: ${entry} recorded key ${recorded.fingerprint}, the bundle holds ${one.fingerprint}`);
      if (recorded.statementSha256 !== doc.sha256) problems.push(`${doc.path}: not what ${entry} recorded as signed (SHA-256 ${recorded.statementSha256})`);
      if (doc.reportSha256 !== null && recorded.reportSha256 !== doc.reportSha256) problems.push(`${doc.path}: names report ${doc.reportSha256}, ${entry} recorded ${recorded.reportSha256}`);
    }
    if (incidentReport && !incidentReport.signOffs?.records?.some((r) => r.id === s.id && r.signature === one.signature)) {
      problems.push(`${s.id}: the incident report does not list this signature`);
    }
  }
  // The other way round: every signature the ledger records is in the bundle. Removing a signer's folder and its line
  // in bundle.json (and re-signing SHA256SUMS) must not make a signature disappear.
  if (ledgerOk) {
    for (const r of ledger.signOffs) {
      if (!present.has(r.signature)) {
        problems.push(`ledger entry ${r.seq} (${r.action}): ${r.name} (${r.role}) signed ${r.stepId}, but no folder under signoffs/ holds that signature (it was removed from the bundle)`);
      }
    }
  }
  const listed = new Set(index.signOffs.map((s) => s.id));
  const folders = new Set([...files.keys()].filter((k) => k.startsWith('signoffs/')).map((k) => k.split('/')[1] as string));
  for (const id of folders) if (!listed.has(id)) problems.push(`signoffs/${id}/: in the bundle but not listed in ${INDEX_FILE}`);
  const extra = (incidentReport?.signOffs?.records ?? []).filter((r) => !listed.has(r.id));
  for (const r of extra) problems.push(`${r.id} (${r.name}, ${r.role}): in the incident report but its signature files are not in the bundle`);

  const keys = index.signOffs.map((s) => {
    const found = signers.find((x) => x.id === s.id);
    return `${s.id}  ${found?.name ?? s.name} (${found?.role ?? s.role})  ${found?.fingerprint || '(no readable key)'}  ${custody(s)}`;
  });
  const own = signers.filter((x) => x.custody === 'signer').length;
  const detail = signers.length
    ? [
        `${plural(signers.length, 'signature')} verified, each one the ledger recorded${own ? ` (${own} with the signer's own key, checked against ${ALLOWED_SIGNERS_FILE})` : ''}; compare each key out of band:`,
        ...keys,
      ].join(MORE)
    : 'no signatures, and the ledger records none';
  return { ...outcome('signatures', problems, detail, keys), signers, signed };
}

/** The report a signer signed: the one their document names, made at a ledger entry that is in this chain. */
function checkSignedReport(s: BundleSignOff, files: ReadonlyMap<string, LoadedFile>, ledger: LedgerFacts | null, named: string | null, problems: string[]): SignedListing['items'] | null {
  const path = signOffFiles(s.id).signedReport;
  const report = files.get(path);
  if (!report) {
    problems.push(`${path}: missing (the report ${s.name} signed)`);
    return null;
  }
  if (report.sha256 !== s.reportSha256 || report.sha256 !== named) {
    problems.push(`${path}: its SHA-256 ${report.sha256} is not the signed report hash ${named ?? s.reportSha256}`);
    return null;
  }
  if (!report.bytes) return null;
  let model: IncidentReportModel;
  try {
    const parsed = JSON.parse(report.bytes.toString('utf8')) as unknown;
    if (!isObject(parsed)) throw new Error('not an object');
    model = parsed as unknown as IncidentReportModel;
  } catch {
    problems.push(`${path}: not an incident report`);
    return null;
  }
  // The signed report names the ledger entry it was made at: that entry must be in this chain, unchanged.
  const record = model.record;
  if (ledger && !ledger.broken && record?.ledgerEntries && ledger.hashAt.get(record.ledgerEntries) !== record.ledgerHeadHash) {
    problems.push(`${path}: the ledger entry ${record.ledgerEntries} it was made at is not in the bundle's ledger with hash ${record.ledgerHeadHash}`);
  }
  return model.evidence?.items ?? null;
}
