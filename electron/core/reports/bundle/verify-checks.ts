import type { BundleCheck, IncidentReportModel, ReportModel } from '../../../shared/reports';
import type { SignOffStatement } from '../../../shared/signoff';
import { canonicalJson } from '../../ledger/canonical-json';
import { publicKeyFingerprint, verifySignature } from '../../signoff/signature';
import { renderHtml } from '../html/render-html';
import { renderMarkdown } from '../markdown';
import { oscalAssessmentResults, oscalPoam } from '../oscal-documents';
import { type BundleIndex, type EvidenceManifestFile, RENDERING, SUMS_FILE } from './layout';
import type { LedgerFacts } from './verify-ledger';

export interface LoadedFile {
  sha256: string;
  /** Kept for the small files the checks read (JSON, HTML, Markdown, signatures, keys). */
  bytes?: Buffer;
}

export interface Outcome {
  check: BundleCheck;
  problems: string[];
}

const outcome = (name: string, problems: string[], okDetail: string): Outcome => ({
  check: { name, ok: problems.length === 0, detail: problems.length ? `${problems.length} problem${problems.length === 1 ? '' : 's'}` : okDetail },
  problems,
});

const n = (x: number) => x.toLocaleString('en-US');

/** Every file listed in SHA256SUMS is present with that hash, and nothing else is in the bundle. */
export function checkHashes(files: ReadonlyMap<string, LoadedFile>, sums: ReadonlyMap<string, string>): Outcome {
  const problems: string[] = [];
  for (const [path, want] of sums) {
    const f = files.get(path);
    if (!f) problems.push(`${path}: listed in ${SUMS_FILE} but not in the bundle`);
    else if (f.sha256 !== want) problems.push(`${path}: changed after the bundle was made (its SHA-256 is ${f.sha256}, ${SUMS_FILE} says ${want})`);
  }
  for (const path of files.keys()) if (path !== SUMS_FILE && !sums.has(path)) problems.push(`${path}: in the bundle but not listed in ${SUMS_FILE}`);
  return outcome('hashes', problems, `${n(sums.size)} files match ${SUMS_FILE}`);
}

export function checkLedger(index: BundleIndex, ledger: LedgerFacts | null): Outcome {
  const problems: string[] = [];
  if (!ledger) problems.push(`${index.ledger.file}: missing`);
  else {
    if (ledger.broken) problems.push(ledger.broken);
    else if (ledger.entries !== index.ledger.entries) {
      problems.push(`${index.ledger.file}: ${ledger.entries} entries, but the bundle was made with ${index.ledger.entries} (entries were removed or added)`);
    } else if (ledger.headHash !== index.ledger.headHash) {
      problems.push(`${index.ledger.file}: the newest entry is not the head recorded in bundle.json`);
    }
  }
  return outcome('ledger', problems, `chain of ${n(ledger?.entries ?? 0)} entries intact, head ${ledger?.headHash ?? '(empty)'}`);
}

function parseModel(bytes: Buffer | undefined, path: string, problems: string[]): ReportModel | null {
  if (!bytes) {
    problems.push(`${path}: missing`);
    return null;
  }
  try {
    const model = JSON.parse(bytes.toString('utf8')) as ReportModel;
    if (canonicalJson(model) !== bytes.toString('utf8')) problems.push(`${path}: not in canonical form (it was re-written after it was made)`);
    return model;
  } catch {
    problems.push(`${path}: not JSON`);
    return null;
  }
}

/**
 * Report hashes: each JSON form hashes to its recorded content hash and names a ledger head that is in the chain; the
 * HTML and Markdown are re-rendered from the JSON and must be identical; OSCAL is regenerated from the gap analysis.
 */
export function checkReports(
  index: BundleIndex,
  files: ReadonlyMap<string, LoadedFile>,
  ledger: LedgerFacts | null,
): Outcome & { models: Map<string, ReportModel> } {
  const problems: string[] = [];
  const models = new Map<string, ReportModel>();
  const rerender = index.rendering === RENDERING;
  for (const r of index.reports) {
    const jsonPath = r.files.json ?? '(no JSON form)';
    const file = r.files.json ? files.get(r.files.json) : undefined;
    const model = parseModel(file?.bytes, jsonPath, problems);
    if (!model || !file) continue;
    models.set(r.kind, model);
    if (file.sha256 !== r.contentSha256) problems.push(`${jsonPath}: its SHA-256 ${file.sha256} is not the report's content hash ${r.contentSha256}`);
    if (model.incident?.id !== index.incident.id) problems.push(`${jsonPath}: it is a report of ${String(model.incident?.id)}, not ${index.incident.id}`);
    const at = model.record?.ledgerEntries ?? 0;
    if (at > 0 && ledger && !ledger.broken && ledger.hashAt.get(at) !== model.record.ledgerHeadHash) {
      problems.push(`${jsonPath}: the ledger entry ${at} it was made at is not in the bundle's ledger with hash ${model.record.ledgerHeadHash}`);
    }
    const expect = (path: string | undefined, text: () => string, what: string) => {
      if (!path) return;
      const f = files.get(path);
      if (!f?.bytes) problems.push(`${path}: missing`);
      else if (rerender && f.bytes.toString('utf8') !== text()) problems.push(`${path}: does not say what ${jsonPath} says (the ${what} was changed)`);
    };
    expect(r.files.html, () => renderHtml(model, r.contentSha256), 'HTML');
    expect(r.files.md, () => renderMarkdown(model, r.contentSha256), 'Markdown');
    if (r.files.pdf) {
      const f = files.get(r.files.pdf);
      if (!f) problems.push(`${r.files.pdf}: missing`);
      else if (f.bytes && f.bytes.subarray(0, 5).toString('latin1') !== '%PDF-') problems.push(`${r.files.pdf}: not a PDF`);
    }
  }
  const gap = models.get('gap');
  for (const o of index.oscal) {
    const f = files.get(o.file);
    if (!f?.bytes) problems.push(`${o.file}: missing`);
    else if (rerender && gap?.kind === 'gap') {
      const again = o.format === 'oscal-ar' ? oscalAssessmentResults(gap, o.fromContentSha256) : oscalPoam(gap, o.fromContentSha256);
      if (f.bytes.toString('utf8') !== again) problems.push(`${o.file}: does not match the gap analysis it was made from (it was changed)`);
    }
  }
  const detail = `${index.reports.length} reports match their content hashes${rerender ? '; HTML, Markdown and OSCAL re-rendered identically' : ` (made by another Firebreak rendering: ${index.generator.version}; re-rendering skipped)`}`;
  return { ...outcome('reports', problems, detail), models };
}

/** Every signature holds over its statement, with the key it names, over the report it names, as the ledger recorded. */
export function checkSignatures(
  index: BundleIndex,
  files: ReadonlyMap<string, LoadedFile>,
  ledger: LedgerFacts | null,
  incidentReport: IncidentReportModel | null,
): Outcome {
  const problems: string[] = [];
  for (const s of index.signOffs) {
    const statement = files.get(s.statement)?.bytes;
    const sig = files.get(s.signature)?.bytes;
    const pem = files.get(s.publicKey)?.bytes?.toString('utf8');
    const signed = files.get(s.signedReport);
    if (!statement || !sig || !pem) {
      problems.push(`${s.id} (${s.name}, ${s.role}): ${[!statement && s.statement, !sig && s.signature, !pem && s.publicKey].filter(Boolean).join(', ')} missing`);
      continue;
    }
    if (!verifySignature(statement, sig, pem)) {
      problems.push(`${s.id} (${s.name}, ${s.role}): the signature in ${s.signature} does not verify over ${s.statement} with ${s.publicKey}`);
    }
    let fp = '';
    try {
      fp = publicKeyFingerprint(pem);
    } catch {
      problems.push(`${s.publicKey}: not a public key`);
    }
    let st: SignOffStatement | null = null;
    try {
      st = JSON.parse(statement.toString('utf8')) as SignOffStatement;
    } catch {
      problems.push(`${s.statement}: not JSON`);
    }
    if (fp && (fp !== s.fingerprint || (st && st.publicKey?.fingerprint !== fp))) {
      problems.push(`${s.id}: the key in ${s.publicKey} (fingerprint ${fp}) is not the key the statement names`);
    }
    if (st) {
      if (st.incidentId !== index.incident.id) problems.push(`${s.statement}: signed for ${st.incidentId}, not ${index.incident.id}`);
      if (st.report?.sha256 !== s.reportSha256) problems.push(`${s.statement}: names report ${String(st.report?.sha256)}, bundle.json says ${s.reportSha256}`);
    }
    if (!signed) problems.push(`${s.signedReport}: missing (the report ${s.name} signed)`);
    else if (signed.sha256 !== s.reportSha256) problems.push(`${s.signedReport}: its SHA-256 ${signed.sha256} is not the signed report hash ${s.reportSha256}`);
    else if (signed.bytes && ledger && !ledger.broken) {
      // The signed report names the ledger entry it was made at: that entry must be in this chain, unchanged.
      let record: ReportModel['record'] | undefined;
      try {
        record = (JSON.parse(signed.bytes.toString('utf8')) as ReportModel).record;
      } catch {
        problems.push(`${s.signedReport}: not JSON`);
      }
      if (record?.ledgerEntries && ledger.hashAt.get(record.ledgerEntries) !== record.ledgerHeadHash) {
        problems.push(`${s.signedReport}: the ledger entry ${record.ledgerEntries} it was made at is not in the bundle's ledger with hash ${record.ledgerHeadHash}`);
      }
    }
    const b64 = sig.toString('base64');
    const recorded = ledger?.signatures.get(b64);
    if (ledger && !ledger.broken && !recorded) problems.push(`${s.id}: the ledger has no sign-off entry with this signature`);
    if (incidentReport && !incidentReport.signOffs?.records?.some((r) => r.id === s.id && r.signature === b64)) {
      problems.push(`${s.id}: the incident report does not list this signature`);
    }
  }
  const extra = (incidentReport?.signOffs?.records ?? []).filter((r) => !index.signOffs.some((s) => s.id === r.id));
  for (const r of extra) problems.push(`${r.id} (${r.name}, ${r.role}): in the incident report but its signature files are not in the bundle`);
  return outcome('signatures', problems, `${index.signOffs.length} signature${index.signOffs.length === 1 ? '' : 's'} verified (Ed25519)`);
}

/** Each evidence file hashes to its recorded SHA-256, and the manifest agrees with the incident report. */
export function checkEvidence(
  index: BundleIndex,
  files: ReadonlyMap<string, LoadedFile>,
  incidentReport: IncidentReportModel | null,
): Outcome {
  const problems: string[] = [];
  const raw = files.get(index.evidence.manifest)?.bytes;
  let manifest: EvidenceManifestFile | null = null;
  try {
    manifest = raw ? (JSON.parse(raw.toString('utf8')) as EvidenceManifestFile) : null;
  } catch {
    problems.push(`${index.evidence.manifest}: not JSON`);
  }
  if (!manifest) {
    if (!raw) problems.push(`${index.evidence.manifest}: missing`);
    return outcome('evidence', problems, '');
  }
  const byId = new Map(manifest.items.map((i) => [i.id, i]));
  let checked = 0;
  for (const item of manifest.items) {
    if (index.evidence.mode === 'manifest-only') continue;
    if (!item.file) {
      problems.push(`${item.id} ${item.name}: not in the bundle (its stored copy was missing when the bundle was made)`);
      continue;
    }
    const f = files.get(item.file);
    if (!f) problems.push(`${item.file}: missing`);
    else if (f.sha256 !== item.sha256) problems.push(`${item.file}: its SHA-256 ${f.sha256} is not the recorded ${item.sha256} (${item.id} was altered)`);
    else checked += 1;
  }
  for (const e of incidentReport?.evidence?.items ?? []) {
    const m = byId.get(e.id);
    if (!m) problems.push(`${e.id} ${e.name}: in the incident report but not in ${index.evidence.manifest}`);
    else if (m.sha256 !== e.sha256) problems.push(`${e.id}: the incident report records SHA-256 ${e.sha256}, ${index.evidence.manifest} says ${m.sha256}`);
  }
  const detail =
    index.evidence.mode === 'manifest-only'
      ? `manifest of ${n(manifest.items.length)} items (files not included) agrees with the incident report`
      : `${n(checked)} evidence files match their recorded SHA-256`;
  return outcome('evidence', problems, detail);
}

