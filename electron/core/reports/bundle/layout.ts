/**
 * What a case bundle holds and where. Everything sits under one folder, `<incident>-case-bundle/`, and every path in
 * SHA256SUMS and bundle.json is relative to it, so a reviewer unzips, changes into it and runs the checks of VERIFY.txt.
 */
import type { Operator } from '../../../shared/domain';
import type { ReportKind, TlpMarking } from '../../../shared/reports';

export const BUNDLE_FORMAT = 'firebreak-case-bundle';
/** Bumped whenever a template changes: verify re-renders HTML, Markdown and OSCAL only for bundles of its own rendering. */
export const RENDERING = 1;

export const SUMS_FILE = 'SHA256SUMS';
export const INDEX_FILE = 'bundle.json';
export const VERIFY_FILE = 'VERIFY.txt';
export const LEDGER_FILE = 'ledger/ledger.jsonl';
export const EVIDENCE_MANIFEST = 'evidence/manifest.json';

export const bundleRoot = (incidentId: string): string => `${incidentId}-case-bundle`;

export const REPORT_BASE: Record<ReportKind, string> = { incident: 'incident-report', gap: 'gap-analysis', signoff: 'sign-off-report' };
export const reportPath = (kind: ReportKind, ext: 'json' | 'html' | 'md' | 'pdf'): string => `reports/${REPORT_BASE[kind]}.${ext}`;
export const OSCAL_PATHS = { 'oscal-ar': 'reports/oscal-assessment-results.json', 'oscal-poam': 'reports/oscal-poam.json' } as const;

export const signOffDir = (id: string): string => `signoffs/${id}`;

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

export interface BundleIndex {
  format: typeof BUNDLE_FORMAT;
  version: 1;
  rendering: number;
  generator: { name: 'firebreak'; version: string };
  incident: { id: string; title: string };
  createdAt: string;
  createdBy: Operator;
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

/** The checks VERIFY.txt lists, also run verbatim by the tests: sha256sum and openssl, nothing of Firebreak's. */
export function reviewerChecks(index: BundleIndex): ReviewerCheck[] {
  const checks: ReviewerCheck[] = [
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
  const lines = [
    `CASE BUNDLE ${index.incident.id}: ${index.incident.title}`,
    `Marking: ${index.tlp}. Made ${index.createdAt} by ${index.createdBy.name} (${index.createdBy.role}) with Firebreak ${index.generator.version}.`,
    '',
    'HOW TO CHECK THIS BUNDLE WITHOUT FIREBREAK',
    '',
    'You need sha256sum (GNU coreutils; on macOS use "shasum -a 256" in its place) and OpenSSL 3.',
    `Unzip the bundle, then run every command below inside the folder ${bundleRoot(index.incident.id)}/.`,
    'SHA256SUMS alone only shows that nothing changed since it was written; the signatures tie the reports, and through',
    "them the evidence hashes and the ledger head, to the signers' keys.",
    '',
  ];
  reviewerChecks(index).forEach((c, i) => {
    lines.push(`${i + 1}. ${c.title}`, `   ${c.command}`, `   Expect: ${c.expect}`, '');
  });
  lines.push(
    `${reviewerChecks(index).length + 1}. The ledger chain (optional; needs jq, and takes a while for a long ledger)`,
    ...LEDGER_JQ_CHECK.split('\n').map((l) => `   ${l}`),
    `   Expect: entries: ${index.ledger.entries}, head: ${index.ledger.headHash ?? '(none)'}, intact: yes`,
    '',
    'The evidence files are listed with their SHA-256 in evidence/manifest.json and in the incident report; the',
    'incident report is what the signers signed. `firebreak verify <bundle>.zip` runs all of these checks at once and',
    'also re-renders the HTML and Markdown reports from their JSON to show they say the same thing.',
    index.evidence.mode === 'manifest-only' ? '\nThis bundle carries the evidence manifest only, not the evidence files.' : '',
  );
  return `${lines.join('\n').trimEnd()}\n`;
}
