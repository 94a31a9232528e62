/**
 * What a case bundle holds and where. Everything sits under one folder, `<incident>-case-bundle/`, and every path in
 * SHA256SUMS and bundle.json is relative to it, so a reviewer unzips, changes into it and runs the checks of VERIFY.txt.
 * SHA256SUMS lists every file but itself and its signature; the exporting operator signs it (SHA256SUMS.sig, Ed25519,
 * with the key in exporter.pem), so no file can change unless whoever changes it signs with a key of their own.
 */
import type { Operator } from '../../../shared/domain';
import type { ReportKind, TlpMarking } from '../../../shared/reports';

export const BUNDLE_FORMAT = 'firebreak-case-bundle';
/** 2: SHA256SUMS is signed by the exporter. Version 1 bundles carried no such signature. */
export const BUNDLE_VERSION = 2;
/**
 * Bumped whenever a template changes: verify re-renders HTML, Markdown and OSCAL and compares them byte for byte, so it
 * can only check bundles of its own rendering, and fails any other ("cannot re-render") rather than skip the check.
 */
export const RENDERING = 1;

export const SUMS_FILE = 'SHA256SUMS';
export const SUMS_SIGNATURE_FILE = 'SHA256SUMS.sig';
export const EXPORTER_KEY_FILE = 'exporter.pem';
export const INDEX_FILE = 'bundle.json';
export const VERIFY_FILE = 'VERIFY.txt';
export const LEDGER_FILE = 'ledger/ledger.jsonl';
export const EVIDENCE_MANIFEST = 'evidence/manifest.json';

export const bundleRoot = (incidentId: string): string => `${incidentId}-case-bundle`;

export const REPORT_BASE: Record<ReportKind, string> = { incident: 'incident-report', gap: 'gap-analysis', signoff: 'sign-off-report' };
export const reportPath = (kind: ReportKind, ext: 'json' | 'html' | 'md' | 'pdf'): string => `reports/${REPORT_BASE[kind]}.${ext}`;
export const OSCAL_PATHS = { 'oscal-ar': 'reports/oscal-assessment-results.json', 'oscal-poam': 'reports/oscal-poam.json' } as const;

export const signOffDir = (id: string): string => `signoffs/${id}`;
/** The four files of one signature, always at these paths: verify reads them here, whatever bundle.json says. */
export const signOffFiles = (id: string) => {
  const dir = signOffDir(id);
  return { statement: `${dir}/statement.json`, signature: `${dir}/signature.sig`, publicKey: `${dir}/signer.pem`, signedReport: `${dir}/signed-report.json` };
};

/** A name every shell, zip tool and `sha256sum -c` handles: ASCII letters, digits, '.', '-', '_'. */
export function safeName(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^[._-]+/, '')
    .slice(-80);
  return s || 'item';
}

export const evidencePath = (itemId: string, name: string): string => `evidence/files/${itemId}-${safeName(name)}`;

export interface BundleSignOff {
  id: string;
  stepId: string;
  role: string;
  name: string;
  signedAt: string;
  reportSha256: string;
  fingerprint: string;
  statement: string;
  signature: string;
  publicKey: string;
  signedReport: string;
}

export interface BundleExporter extends Operator {
  /** SHA-256 of the DER public key in exporter.pem. */
  fingerprint: string;
  publicKey: typeof EXPORTER_KEY_FILE;
  signature: typeof SUMS_SIGNATURE_FILE;
}

export interface BundleIndex {
  format: typeof BUNDLE_FORMAT;
  version: typeof BUNDLE_VERSION;
  rendering: number;
  generator: { name: 'firebreak'; version: string };
  incident: { id: string; title: string };
  createdAt: string;
  createdBy: Operator;
  /** The operator who exported the bundle and signed SHA256SUMS with their key (the one they sign off with). */
  exporter: BundleExporter;
  tlp: TlpMarking;
  evidence: { mode: 'files' | 'manifest-only'; manifest: string; items: number; totalBytes: number };
  ledger: { file: string; entries: number; headHash: string | null };
  reports: Array<{ kind: ReportKind; contentSha256: string; files: Partial<Record<'json' | 'html' | 'md' | 'pdf', string>> }>;
  oscal: Array<{ format: 'oscal-ar' | 'oscal-poam'; file: string; fromContentSha256: string }>;
  signOffs: BundleSignOff[];
}

export interface ManifestItem {
  id: string;
  name: string;
  sha256: string;
  size: number;
  sourceKind: string;
  acquiredAt: string;
  acquiredBy: Operator;
  status: string;
  /** The file in the bundle; null when the bundle carries only the manifest. */
  file: string | null;
}

export interface EvidenceManifestFile {
  format: 'firebreak-bundle-evidence';
  version: 1;
  incidentId: string;
  items: ManifestItem[];
}

export interface ReviewerCheck {
  title: string;
  command: string;
  expect: string;
}

/** The command that checks the exporter's signature over SHA256SUMS (VERIFY.txt, the docs and the tests use it). */
export const SUMS_VERIFY_COMMAND = `openssl pkeyutl -verify -pubin -inkey ${EXPORTER_KEY_FILE} -rawin -in ${SUMS_FILE} -sigfile ${SUMS_SIGNATURE_FILE}`;

/** The checks VERIFY.txt lists, also run verbatim by the tests: sha256sum and openssl, nothing of Firebreak's. */
export function reviewerChecks(index: BundleIndex): ReviewerCheck[] {
  const x = index.exporter;
  const checks: ReviewerCheck[] = [
    {
      title: `SHA256SUMS is signed by the key in ${EXPORTER_KEY_FILE}, which the bundle names as ${x.name}'s (${x.role}), who exported it`,
      command: SUMS_VERIFY_COMMAND,
      expect: 'Signature Verified Successfully',
    },
    {
      title: `That key is ${x.name}'s: compare its fingerprint with the one ${x.name} gives you out of band (in person, by phone)`,
      command: `openssl pkey -pubin -in ${EXPORTER_KEY_FILE} -outform DER | sha256sum`,
      expect: `${x.fingerprint}  -`,
    },
    { title: 'Every file is intact', command: `sha256sum -c ${SUMS_FILE}`, expect: 'every line ends in ": OK"' },
  ];
  for (const s of index.signOffs) {
    checks.push(
      {
        title: `${s.id}: the signature of ${s.name} (${s.role}) holds`,
        command: `openssl pkeyutl -verify -pubin -inkey ${s.publicKey} -rawin -in ${s.statement} -sigfile ${s.signature}`,
        expect: 'Signature Verified Successfully',
      },
      {
        title: `${s.id}: the key is ${s.name}'s (compare the fingerprint with the one they give you in person or by phone)`,
        command: `openssl pkey -pubin -in ${s.publicKey} -outform DER | sha256sum`,
        expect: `${s.fingerprint}  -`,
      },
      {
        title: `${s.id}: the signed report is the one named in the statement ("report" in ${s.statement})`,
        command: `sha256sum ${s.signedReport}`,
        expect: `${s.reportSha256}  ${s.signedReport}`,
      },
    );
  }
  for (const r of index.reports) {
    if (r.files.json) {
      checks.push({
        title: `The ${r.kind} report's content hash (printed on each of its pages) is the SHA-256 of its JSON form`,
        command: `sha256sum ${r.files.json}`,
        expect: `${r.contentSha256}  ${r.files.json}`,
      });
    }
  }
  return checks;
}

/** The optional ledger check with jq: each line's hash covers the line without its hash, and links to the line before. */
export const LEDGER_JQ_CHECK = `prev=${'0'.repeat(64)}; n=0; ok=yes
while IFS= read -r line; do
  n=$((n+1))
  want=$(printf '%s' "$line" | jq -r .hash); link=$(printf '%s' "$line" | jq -r .prevHash)
  got=$(printf '%s' "$line" | jq -jcS 'del(.hash)' | sha256sum | cut -d' ' -f1)
  if [ "$got" != "$want" ] || [ "$link" != "$prev" ]; then echo "ledger entry $n is broken"; ok=no; break; fi
  prev=$want
done < ${LEDGER_FILE}
echo "entries: $n, head: $prev, intact: $ok"`;

export function verifyText(index: BundleIndex): string {
  const checks = reviewerChecks(index);
  const lines = [
    `CASE BUNDLE ${index.incident.id}: ${index.incident.title}`,
    `Marking: ${index.tlp}. Made ${index.createdAt} by ${index.createdBy.name} (${index.createdBy.role}) with Firebreak ${index.generator.version}.`,
    '',
    'HOW TO CHECK THIS BUNDLE WITHOUT FIREBREAK',
    '',
    'You need sha256sum (GNU coreutils; on macOS use "shasum -a 256" in its place) and OpenSSL 3.',
    `Unzip the bundle, then run every command below inside the folder ${bundleRoot(index.incident.id)}/.`,
    '',
    'WHAT TO TRUST. Every public key is inside this bundle, and so is this file: whoever altered the bundle could sign it',
    'again with a key of their own and write its fingerprint here. The checks below show who signed only once you compare',
    'each fingerprint with one you obtained from that person out of band (in person, by phone, from a key list you keep):',
    '',
    `  ${'exporter'.padEnd(9)}  ${index.exporter.name} (${index.exporter.role})  ${index.exporter.fingerprint}`,
    ...index.signOffs.map((s) => `  ${s.id.padEnd(9)}  ${s.name} (${s.role})  ${s.fingerprint}`),
    '',
    `${SUMS_SIGNATURE_FILE} signs ${SUMS_FILE}, which lists every other file with its SHA-256: with the exporter's key`,
    "confirmed, no file changed after the export. Each signer's signature covers their statement and, through the hash in",
    'it, the incident report as it stood when they signed (with its evidence hashes and ledger head).',
    '',
  ];
  checks.forEach((c, i) => {
    lines.push(`${i + 1}. ${c.title}`, `   ${c.command}`, `   Expect: ${c.expect}`, '');
  });
  lines.push(
    `${checks.length + 1}. The ledger chain (optional; needs jq, and takes a while for a long ledger)`,
    ...LEDGER_JQ_CHECK.split('\n').map((l) => `   ${l}`),
    `   Expect: entries: ${index.ledger.entries}, head: ${index.ledger.headHash ?? '(none)'}, intact: yes`,
    '',
    'The evidence files are listed with their SHA-256 in evidence/manifest.json, in the ledger entry that acquired each',
    '(evidence.acquired) and in the incident report. The reports under reports/ were generated when the bundle was made:',
    'no signer signed them, only the exporter (through SHA256SUMS). What each signer signed is in signoffs/<id>/:',
    'the statement, and signed-report.json, the incident report as it stood when they signed. Evidence acquired after',
    "the last signature is covered by the exporter's signature alone.",
    '',
    '`firebreak verify <bundle>.zip` runs all of these checks at once; it also checks each evidence file against the',
    'ledger and the signed reports and statements, that every signature the ledger records is in the bundle, and',
    're-renders the HTML, Markdown and OSCAL reports from their JSON to show they say the same thing. PDFs cannot be',
    're-rendered byte for byte: they are covered by the signed SHA256SUMS only.',
    index.evidence.mode === 'manifest-only' ? '\nThis bundle carries the evidence manifest only, not the evidence files.' : '',
  );
  return `${lines.join('\n').trimEnd()}\n`;
}
