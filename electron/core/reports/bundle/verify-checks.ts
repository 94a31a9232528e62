import { REPORT_KINDS, type BundleCheck, type BundleVerification, type IncidentReportModel, type ReportModel } from '../../../shared/reports';
import { publicKeyFingerprint, verifySignature } from '../../kernel/signature';
import { canonicalJson } from '../../ledger/canonical-json';
import { renderMarkdown } from '../markdown';
import { oscalAssessmentResults, oscalPoam } from '../oscal-documents';
import {
  type BundleIndex,
  EVIDENCE_MANIFEST,
  EXPORTER_KEY_FILE,
  type EvidenceManifestFile,
  INDEX_FILE,
  LEDGER_FILE,
  RENDERING,
  SUMS_FILE,
  SUMS_SIGNATURE_FILE,
} from './layout';
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

/** Evidence hashes as a signed document lists them: a statement's attestations, or a signed report's evidence. */
export interface SignedListing {
  /** The file and who signed it, e.g. "signoffs/SO-000001/signed-report.json (signed by Dana Reyes)". */
  source: string;
  items: ReadonlyArray<{ id: string; name: string; sha256: string }>;
}

/** Starts a continuation line of a check's detail, under the first line as `firebreak verify` prints it. */
export const MORE = `\n${' '.repeat(18)}`;

/** `keys`: lines shown whether the check passes or fails (the fingerprints a reviewer compares). */
export const outcome = (name: string, problems: string[], okDetail: string, keys: string[] = []): Outcome => ({
  check: {
    name,
    ok: problems.length === 0,
    detail: problems.length ? [`${problems.length} problem${problems.length === 1 ? '' : 's'}`, ...keys].join(MORE) : okDetail,
  },
  problems,
});

const n = (x: number) => x.toLocaleString('en-US');
export const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
export const plural = (k: number, one: string, many = `${one}s`) => `${n(k)} ${k === 1 ? one : many}`;

/** Every file listed in SHA256SUMS is present with that hash, and nothing else (but SHA256SUMS and its signature) is in the bundle. */
export function checkHashes(files: ReadonlyMap<string, LoadedFile>, sums: ReadonlyMap<string, string>): Outcome {
  const problems: string[] = [];
  for (const [path, want] of sums) {
    const f = files.get(path);
    if (!f) problems.push(`${path}: listed in ${SUMS_FILE} but not in the bundle`);
    else if (f.sha256 !== want) problems.push(`${path}: changed after the bundle was made (its SHA-256 is ${f.sha256}, ${SUMS_FILE} says ${want})`);
  }
  for (const path of files.keys()) {
    if (path !== SUMS_FILE && path !== SUMS_SIGNATURE_FILE && !sums.has(path)) problems.push(`${path}: in the bundle but not listed in ${SUMS_FILE}`);
  }
  return outcome('hashes', problems, `${n(sums.size)} files match ${SUMS_FILE}`);
}

/**
 * SHA256SUMS is signed (SHA256SUMS.sig) with the key in exporter.pem, the key bundle.json names as the exporter's. The
 * key comes with the bundle: the signature shows that no file changed after whoever holds that key signed, and the
 * fingerprint, compared out of band, shows who that is.
 */
export function checkExporter(index: BundleIndex, files: ReadonlyMap<string, LoadedFile>): Outcome & { exporter: BundleVerification['exporter'] } {
  const problems: string[] = [];
  const sums = files.get(SUMS_FILE)?.bytes;
  const sig = files.get(SUMS_SIGNATURE_FILE)?.bytes;
  const pem = files.get(EXPORTER_KEY_FILE)?.bytes?.toString('utf8');
  const named = index.exporter;
  if (!sums || !sig || !pem) {
    const missing = [!sums && SUMS_FILE, !sig && SUMS_SIGNATURE_FILE, !pem && EXPORTER_KEY_FILE].filter(Boolean).join(', ');
    problems.push(`${missing}: missing, so nothing shows that ${SUMS_FILE} is the one the exporter wrote (anyone can rewrite an unsigned ${SUMS_FILE})`);
    return { ...outcome('exporter', problems, ''), exporter: null };
  }
  let fingerprint = '';
  try {
    fingerprint = publicKeyFingerprint(pem);
  } catch {
    problems.push(`${EXPORTER_KEY_FILE}: not a public key`);
  }
  const verified = Boolean(fingerprint) && verifySignature(sums, sig, pem);
  if (fingerprint && !verified) {
    problems.push(`${SUMS_SIGNATURE_FILE}: the signature does not verify over ${SUMS_FILE} with ${EXPORTER_KEY_FILE} (${SUMS_FILE} was changed after it was signed)`);
  }
  if (!named?.fingerprint) problems.push(`${INDEX_FILE}: names no exporter`);
  else if (fingerprint && named.fingerprint !== fingerprint) {
    problems.push(`${EXPORTER_KEY_FILE}: its key (fingerprint ${fingerprint}) is not the key ${INDEX_FILE} names as the exporter's (${named.fingerprint})`);
  }
  const who = named ? `${named.name} (${named.role})` : '(no one named)';
  const exporter = fingerprint ? { name: named?.name ?? '', role: named?.role ?? '', fingerprint, verified } : null;
  const detail = `${SUMS_FILE} signed by ${who}, key ${fingerprint}${MORE}the key came with the bundle: compare this fingerprint with one ${named?.name ?? 'the exporter'} gives you out of band`;
  return { ...outcome('exporter', problems, detail, fingerprint ? [`exporter ${who}, key ${fingerprint}`] : []), exporter };
}

export function checkLedger(index: BundleIndex, ledger: LedgerFacts | null): Outcome {
  const problems: string[] = [];
  if (index.ledger.file !== LEDGER_FILE) problems.push(`${INDEX_FILE}: names ${index.ledger.file} as the ledger; a bundle keeps it at ${LEDGER_FILE}`);
  if (!ledger) problems.push(`${LEDGER_FILE}: missing`);
  else {
    if (ledger.broken) problems.push(ledger.broken);
    else if (ledger.entries !== index.ledger.entries) {
      problems.push(`${LEDGER_FILE}: ${ledger.entries} entries, but the bundle was made with ${index.ledger.entries} (entries were removed or added)`);
    } else if (ledger.headHash !== index.ledger.headHash) {
      problems.push(`${LEDGER_FILE}: the newest entry is not the head recorded in bundle.json`);
    }
    // Which entries are redacted is part of what the exporter signed (bundle.json, through SHA256SUMS).
    const listed = (index.ledger.redacted ?? []).join(',');
    const found = ledger.redacted.map((r) => r.seq).join(',');
    if (!ledger.broken && listed !== found) {
      problems.push(`${LEDGER_FILE}: the redacted entries are ${found ? `entries ${found}` : 'none'}, but ${INDEX_FILE} lists ${listed ? `entries ${listed}` : 'none'}`);
    }
  }
  return outcome('ledger', problems, [`chain of ${n(ledger?.entries ?? 0)} entries intact, head ${ledger?.headHash ?? '(empty)'}`, ...redactionLines(ledger)].join(MORE));
}

/** "N entries redacted (secret in a URL); their content is attested by digest only", and which they are. */
function redactionLines(ledger: LedgerFacts | null): string[] {
  if (!ledger || ledger.redacted.length === 0) return [];
  const reasons = [...new Set(ledger.redacted.map((r) => r.reason))].join('; ');
  const which = ledger.redacted.slice(0, 10).map((r) => `${r.seq} (${r.action})`);
  const more = ledger.redacted.length > which.length ? `, and ${n(ledger.redacted.length - which.length)} more` : '';
  return [
    `${plural(ledger.redacted.length, 'entry', 'entries')} redacted (${reasons}); their content is attested by digest only`,
    `redacted: entry ${which.join(', ')}${more}`,
  ];
}

function parseModel(bytes: Buffer | undefined, path: string, problems: string[]): ReportModel | null {
  if (!bytes) {
    problems.push(`${path}: missing`);
    return null;
  }
  let model: unknown;
  try {
    model = JSON.parse(bytes.toString('utf8'));
  } catch {
    problems.push(`${path}: not JSON`);
    return null;
  }
  if (!isObject(model)) {
    problems.push(`${path}: not a report`);
    return null;
  }
  if (canonicalJson(model) !== bytes.toString('utf8')) problems.push(`${path}: not in canonical form (it was re-written after it was made)`);
  return model as unknown as ReportModel;
}

/**
 * Report hashes: each JSON form hashes to its recorded content hash and names a ledger head that is in the chain; the
 * HTML and Markdown are re-rendered from the JSON and must be identical; OSCAL is regenerated from the gap analysis.
 * A bundle of another rendering cannot be re-rendered here and fails: a check that cannot run is not a check passed.
 * PDFs cannot be re-rendered byte for byte; the exporter's signature over SHA256SUMS is what covers them.
 */
export function checkReports(
  index: BundleIndex,
  files: ReadonlyMap<string, LoadedFile>,
  ledger: LedgerFacts | null,
  /** The HTML renderer, passed in so that React loads only when a bundle is verified. */
  renderHtml: (model: ReportModel, contentSha256: string) => string,
): Outcome & { models: Map<string, ReportModel> } {
  const problems: string[] = [];
  const models = new Map<string, ReportModel>();
  const rerender = index.rendering === RENDERING;
  if (!rerender) {
    problems.push(
      `${INDEX_FILE}: rendering ${JSON.stringify(index.rendering)}: cannot re-render: produced by another version (Firebreak ${String(index.generator?.version)}); this one renders version ${RENDERING} and checks the HTML, Markdown and OSCAL reports only by re-rendering them. Verify the bundle with the Firebreak that made it.`,
    );
  }
  for (const kind of REPORT_KINDS) if (!index.reports.some((r) => r.kind === kind)) problems.push(`${INDEX_FILE}: lists no ${kind} report`);
  let pdfs = 0;
  for (const r of index.reports) {
    const jsonPath = r.files.json ?? '(no JSON form)';
    const file = r.files.json ? files.get(r.files.json) : undefined;
    const model = parseModel(file?.bytes, jsonPath, problems);
    if (!model || !file) continue;
    models.set(r.kind, model);
    if (model.kind !== r.kind) problems.push(`${jsonPath}: it is a ${String(model.kind)} report, not the ${r.kind} report`);
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
      else pdfs += 1;
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
  const detail = [
    `${plural(index.reports.length, 'report')} match their content hashes; HTML, Markdown and OSCAL re-rendered identically`,
    ...(pdfs ? [`${plural(pdfs, 'PDF')} covered only by the signed ${SUMS_FILE} (a PDF cannot be re-rendered byte for byte)`] : []),
  ].join(MORE);
  return { ...outcome('reports', problems, detail), models };
}

/**
 * Each evidence item's hash, as its file in the bundle gives it (or the manifest, when the bundle carries no files),
 * must be the one the ledger recorded when the item was acquired, and the one every signed statement and signed report
 * that lists it records. The manifest and the regenerated incident report, which no signer signed, must agree too.
 */
export function checkEvidence(
  index: BundleIndex,
  files: ReadonlyMap<string, LoadedFile>,
  incidentReport: IncidentReportModel | null,
  ledger: LedgerFacts | null,
  signed: readonly SignedListing[],
): Outcome {
  const problems: string[] = [];
  if (index.evidence.manifest !== EVIDENCE_MANIFEST) problems.push(`${INDEX_FILE}: names ${index.evidence.manifest} as the evidence manifest; a bundle keeps it at ${EVIDENCE_MANIFEST}`);
  const raw = files.get(EVIDENCE_MANIFEST)?.bytes;
  let manifest: EvidenceManifestFile | null = null;
  try {
    const parsed = raw ? (JSON.parse(raw.toString('utf8')) as EvidenceManifestFile) : null;
    const item = (i: unknown) => isObject(i) && typeof i.id === 'string' && typeof i.sha256 === 'string' && (i.file === null || typeof i.file === 'string');
    if (parsed && !(isObject(parsed) && Array.isArray(parsed.items) && parsed.items.every(item))) throw new Error('not a manifest');
    manifest = parsed;
  } catch {
    problems.push(`${EVIDENCE_MANIFEST}: not an evidence manifest`);
  }
  if (!manifest) {
    if (!raw) problems.push(`${EVIDENCE_MANIFEST}: missing`);
    return outcome('evidence', problems, '');
  }
  const filesMode = index.evidence.mode !== 'manifest-only';
  const byId = new Map(manifest.items.map((i) => [i.id, i]));
  const ledgerOk = ledger !== null && !ledger.broken;
  // Every hash a signed document records for each item.
  const signedHashes = new Map<string, Array<{ source: string; sha256: string }>>();
  for (const l of signed) {
    for (const e of l.items) {
      const list = signedHashes.get(e.id) ?? [];
      list.push({ source: l.source, sha256: e.sha256 });
      signedHashes.set(e.id, list);
    }
  }
  let checked = 0;
  for (const item of manifest.items) {
    const label = `${item.id} ${item.name}`;
    let have = item.sha256;
    let where = `${EVIDENCE_MANIFEST} (${item.id})`;
    if (filesMode) {
      if (!item.file) {
        problems.push(`${label}: not in the bundle (its stored copy was missing when the bundle was made)`);
      } else {
        const f = files.get(item.file);
        if (!f) {
          problems.push(`${item.file}: missing`);
          continue;
        }
        if (f.sha256 !== item.sha256) problems.push(`${item.file}: its SHA-256 ${f.sha256} is not the recorded ${item.sha256} (${item.id} was altered)`);
        have = f.sha256;
        where = item.file;
      }
    }
    let bad = false;
    if (ledgerOk) {
      const acquired = ledger.acquisitions.get(item.id) ?? [];
      if (!acquired.some((a) => a.action === 'evidence.acquired')) {
        problems.push(`${label}: the ledger records no acquisition of it (no evidence.acquired entry)`);
        bad = true;
      }
      const off = acquired.filter((a) => a.sha256 !== have);
      if (off.length) {
        problems.push(`${where}: its SHA-256 ${have} is not what the ledger recorded when ${item.id} was acquired: ${off.map((a) => `${a.sha256} (entry ${a.seq}, ${a.action})`).join(', ')}`);
        bad = true;
      }
    }
    const disagree = (signedHashes.get(item.id) ?? []).filter((x) => x.sha256 !== have);
    if (disagree.length) {
      problems.push(`${where}: its SHA-256 ${have} is not what the signed documents record for ${item.id}: ${disagree.map((x) => `${x.sha256} in ${x.source}`).join('; ')}`);
      bad = true;
    }
    if (filesMode && item.file && !bad && have === item.sha256) checked += 1;
  }
  if (ledgerOk) {
    for (const [id, acquired] of ledger.acquisitions) {
      const first = acquired[0];
      if (!byId.has(id) && first) problems.push(`${id}: acquired in ledger entry ${first.seq}, but not in ${EVIDENCE_MANIFEST} (removed from the bundle)`);
    }
  }
  for (const [id, list] of signedHashes) {
    if (!byId.has(id)) problems.push(`${id}: ${list.map((x) => x.source).join('; ')} list${list.length === 1 ? 's' : ''} it, but ${EVIDENCE_MANIFEST} does not`);
  }
  for (const e of incidentReport?.evidence?.items ?? []) {
    const m = byId.get(e.id);
    if (!m) problems.push(`${e.id} ${e.name}: in the incident report but not in ${EVIDENCE_MANIFEST}`);
    else if (m.sha256 !== e.sha256) problems.push(`${e.id}: the incident report records SHA-256 ${e.sha256}, ${EVIDENCE_MANIFEST} says ${m.sha256}`);
  }
  const against = `the ledger's acquisition entries and ${plural(signed.length, 'signed document')} listing evidence`;
  const detail = filesMode
    ? `${plural(checked, 'evidence file')} match their SHA-256 in the manifest, ${against}`
    : `manifest of ${plural(manifest.items.length, 'item')} (files not included) agrees with ${against} and the incident report`;
  return outcome('evidence', problems, detail);
}
