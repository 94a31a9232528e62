/**
 * What a case bundle holds and where. Everything sits under one folder, `<incident>-case-bundle/`, and every path in
 * SHA256SUMS and bundle.json is relative to it, so a reviewer unzips, changes into it and runs the checks of VERIFY.txt.
 * SHA256SUMS lists every file but itself and its signature; the exporting operator signs it (SHA256SUMS.sig, Ed25519,
 * with the key in exporter.pem), so no file can change unless whoever changes it signs with a key of their own.
 */
import type { Operator } from '../../../shared/domain';
import type { ReportKind, TlpMarking } from '../../../shared/reports';
import { APP_HELD_KEY_LABEL, type SignOffScheme } from '../../../shared/signoff';
import { SIGNOFF_SSH_NAMESPACE, type SignerKeyType } from '../../../shared/signers';
import { type BundleCheckpoint, checkpointReviewerChecks } from './checkpoint-files';

export const BUNDLE_FORMAT = 'firebreak-case-bundle';
/**
 * 4: ledger checkpoints signed by the operator (and time-stamped) come with the bundle. 3: sign-offs signed by their signers (SSHSIG over a request) come with an allowed_signers file. 2: SHA256SUMS is
 * signed by the exporter. Version 1 bundles carried no such signature and are not checked.
 */
export const BUNDLE_VERSION = 4;
export const VERIFIABLE_VERSIONS: readonly number[] = [2, 3, 4];
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
/** The enrolled signers of the bundle's sign-offs, in the OpenSSH allowed_signers format. */
export const ALLOWED_SIGNERS_FILE = 'allowed_signers';

export const bundleRoot = (incidentId: string): string => `${incidentId}-case-bundle`;

export const REPORT_BASE: Record<ReportKind, string> = { incident: 'incident-report', gap: 'gap-analysis', signoff: 'sign-off-report' };
export const reportPath = (kind: ReportKind, ext: 'json' | 'html' | 'md' | 'pdf'): string => `reports/${REPORT_BASE[kind]}.${ext}`;
export const OSCAL_PATHS = { 'oscal-ar': 'reports/oscal-assessment-results.json', 'oscal-poam': 'reports/oscal-poam.json' } as const;

export const signOffDir = (id: string): string => `signoffs/${id}`;
/**
 * The files of one signature, always at these paths: verify reads them here, whatever bundle.json says. A sign-off
 * signed with a key the app held has statement, signature and signer.pem; one signed by its signer has the request
 * they signed and its .sig. Both have the report they signed.
 */
export const signOffFiles = (id: string) => {
  const dir = signOffDir(id);
  return {
    statement: `${dir}/statement.json`,
    signature: `${dir}/signature.sig`,
    publicKey: `${dir}/signer.pem`,
    signedReport: `${dir}/signed-report.json`,
    request: `${dir}/request.txt`,
    requestSignature: `${dir}/request.txt.sig`,
  };
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
  /** Absent in version 2 bundles, whose sign-offs were all made with keys the app held. */
  scheme?: SignOffScheme;
  /** The files (as signOffFiles names them): statement, signature and publicKey of a sign-off made with a key the app held, request and requestSignature of one its signer signed. */
  statement?: string;
  signature?: string;
  publicKey?: string;
  request?: string;
  requestSignature?: string;
  signedReport: string;
  /** sshsig: the allowed_signers principal of the enrolment, the key's type, and the enrolment. */
  principal?: string;
  keyType?: SignerKeyType;
  enrolment?: { id: string; enrolledBy: Operator; enrolledAt: string };
  /** sshsig: the ledger entry and hash the request pinned. */
  pinned?: { seq: number; head: string | null };
}

export interface BundleExporter extends Operator {
  /** SHA-256 of the DER public key in exporter.pem. */
  fingerprint: string;
  publicKey: typeof EXPORTER_KEY_FILE;
  signature: typeof SUMS_SIGNATURE_FILE;
}

export interface BundleIndex {
  format: typeof BUNDLE_FORMAT;
  version: 2 | 3 | typeof BUNDLE_VERSION;
  rendering: number;
  generator: { name: 'firebreak'; version: string };
  incident: { id: string; title: string };
  createdAt: string;
  createdBy: Operator;
  /** The operator who exported the bundle and signed SHA256SUMS with their key (the one they sign off with). */
  exporter: BundleExporter;
  tlp: TlpMarking;
  evidence: { mode: 'files' | 'manifest-only'; manifest: string; items: number; totalBytes: number };
  /**
   * `redacted`: the entries written redacted (a password in a URL an older version recorded), by number; absent when
   * none is. Each such line keeps its own hash, so the chain links through it, but its content is attested by that digest only.
   */
  ledger: { file: string; entries: number; headHash: string | null; redacted?: number[] };
  reports: Array<{ kind: ReportKind; contentSha256: string; files: Partial<Record<'json' | 'html' | 'md' | 'pdf', string>> }>;
  oscal: Array<{ format: 'oscal-ar' | 'oscal-poam'; file: string; fromContentSha256: string }>;
  signOffs: BundleSignOff[];
  /** Present when a sign-off was signed by its signer: their enrolments, for ssh-keygen -Y verify. */
  allowedSigners?: typeof ALLOWED_SIGNERS_FILE;
  /** Version 4: the ledger checkpoints recorded up to the bundle's head, and the TSA's CA when configured. */
  checkpoints?: BundleCheckpoint[];
  tsaCa?: string;
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

/** A sign-off made with a key the app held: openssl checks it; the fingerprint shows a key, not a person. */
function appKeySignOffChecks(s: BundleSignOff): ReviewerCheck[] {
  const { statement, signature, publicKey, signedReport } = signOffFiles(s.id);
  const held = s.scheme ? ` (signed with a ${APP_HELD_KEY_LABEL}: it shows the key, not that ${s.name} signed)` : '';
  return [
    {
      title: `${s.id}: the signature of ${s.name} (${s.role}) holds${held}`,
      command: `openssl pkeyutl -verify -pubin -inkey ${publicKey} -rawin -in ${statement} -sigfile ${signature}`,
      expect: 'Signature Verified Successfully',
    },
    {
      title: `${s.id}: the key is ${s.name}'s (compare the fingerprint with the one they give you in person or by phone)`,
      command: `openssl pkey -pubin -in ${publicKey} -outform DER | sha256sum`,
      expect: `${s.fingerprint}  -`,
    },
    { title: `${s.id}: the signed report is the one named in the statement ("report" in ${statement})`, command: `sha256sum ${signedReport}`, expect: `${s.reportSha256}  ${signedReport}` },
  ];
}

/** ssh-keygen's line for a good signature, e.g. `Good "firebreak-signoff" signature for priya-shah@ciso with ED25519 key SHA256:...`. */
export const sshGoodSignature = (principal: string, keyType: SignerKeyType | undefined, fingerprint: string): string =>
  `Good "${SIGNOFF_SSH_NAMESPACE}" signature for ${principal} with ${sshKeyLabel(keyType)} key ${fingerprint}`;

const sshKeyLabel = (t: SignerKeyType | undefined) => (t === 'sk-ssh-ed25519@openssh.com' ? 'ED25519-SK' : 'ED25519');

/** A sign-off its signer signed with their own enrolled key: ssh-keygen checks it against the bundle's allowed_signers. */
function sshSignOffChecks(s: BundleSignOff): ReviewerCheck[] {
  const { request, requestSignature, signedReport } = signOffFiles(s.id);
  const principal = s.principal ?? '';
  const by = s.enrolment ? ` by ${s.enrolment.enrolledBy.name} on ${s.enrolment.enrolledAt}` : '';
  return [
    {
      title: `${s.id}: ${s.name} (${s.role}) signed the request with the key enrolled for ${principal}`,
      command: `ssh-keygen -Y verify -f ${ALLOWED_SIGNERS_FILE} -I ${principal} -n ${SIGNOFF_SSH_NAMESPACE} -s ${requestSignature} < ${request}`,
      expect: sshGoodSignature(principal, s.keyType, s.fingerprint),
    },
    {
      title: `${s.id}: the key is ${s.name}'s: its fingerprint, here and in the enrolment record (${s.enrolment?.id ?? 'enrolment'}${by}, after the key on the line), must be the one ${s.name} gives you in person or by phone`,
      command: `grep '^${principal} ' ${ALLOWED_SIGNERS_FILE} | cut -d' ' -f3,4 | ssh-keygen -lf -`,
      expect: `256 ${s.fingerprint} no comment (${sshKeyLabel(s.keyType)})`,
    },
    { title: `${s.id}: the signed report is the one the request names ("Incident report (JSON) SHA-256" in ${request})`, command: `sha256sum ${signedReport}`, expect: `${s.reportSha256}  ${signedReport}` },
    ...(s.pinned && s.pinned.seq > 0
      ? [
          {
            title: `${s.id}: the ledger entry the request pinned ("Ledger of" in ${request}) is in this ledger, unchanged`,
            command: `sed -n '${s.pinned.seq}p' ${LEDGER_FILE} | grep -o '"hash":"[0-9a-f]*"' | head -1`,
            expect: `"hash":"${s.pinned.head ?? ''}"`,
          },
        ]
      : []),
  ];
}

const FILE_SET_OK = 'exactly the listed files';
/**
 * `sha256sum -c` checks each listed file and says nothing of a file planted beside them: this compares the folder's
 * files with the list (names are plain ASCII, see safeName, so cutting after the hash and two spaces gives the name).
 * A difference prints the file (`<` in the folder only, `>` listed only) and exits non-zero.
 */
export const FILE_SET_COMMAND =
  `diff <(find . -type f ! -path ./${SUMS_FILE} ! -path ./${SUMS_SIGNATURE_FILE} | cut -c3- | LC_ALL=C sort) ` +
  `<(cut -c67- ${SUMS_FILE} | LC_ALL=C sort) && echo "${FILE_SET_OK}"`;

/** The checks VERIFY.txt lists, also run verbatim by the tests: sha256sum, openssl and ssh-keygen, nothing of Firebreak's. */
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
    { title: `No file was added: the bundle holds exactly the files ${SUMS_FILE} lists (bash or zsh)`, command: FILE_SET_COMMAND, expect: FILE_SET_OK },
  ];
  for (const s of index.signOffs) checks.push(...(s.scheme === 'sshsig' ? sshSignOffChecks(s) : appKeySignOffChecks(s)));
  checks.push(...checkpointReviewerChecks(index.checkpoints ?? [], index.tsaCa ?? null, LEDGER_FILE));
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

/**
 * The optional ledger check with jq: each line's hash covers the line without its hash, and links to the line before.
 * A line marked "redacted" cannot have its own hash recomputed (that covers the original, which held a secret): only
 * its links are checked, and it is counted.
 */
export const LEDGER_JQ_CHECK = `prev=${'0'.repeat(64)}; n=0; r=0; ok=yes
while IFS= read -r line; do
  n=$((n+1))
  want=$(printf '%s' "$line" | jq -r .hash); link=$(printf '%s' "$line" | jq -r .prevHash)
  if [ "$(printf '%s' "$line" | jq 'has("redacted")')" = true ]; then got=$want; r=$((r+1))
  else got=$(printf '%s' "$line" | jq -jcS 'del(.hash)' | sha256sum | cut -d' ' -f1); fi
  if [ "$got" != "$want" ] || [ "$link" != "$prev" ]; then echo "ledger entry $n is broken"; ok=no; break; fi
  prev=$want
done < ${LEDGER_FILE}
echo "entries: $n, head: $prev, intact: $ok"
if [ "$r" -gt 0 ]; then echo "redacted: $r"; fi`;

/** What VERIFY.txt says about redacted ledger lines, when the bundle has any. */
export function redactionNote(redacted: readonly number[]): string[] {
  if (redacted.length === 0) return [];
  const list = redacted.length > 20 ? `${redacted.slice(0, 20).join(', ')}, ...` : redacted.join(', ');
  return [
    `REDACTED LEDGER ENTRIES. ${redacted.length === 1 ? 'Entry' : 'Entries'} ${list} (bundle.json, ledger.redacted) recorded a password inside a URL`,
    '(an older Firebreak accepted one). The bundle carries them with every such password replaced by *** and a "redacted"',
    'field naming the fields it changed. Each keeps its own hash, so the entry after it still links to it and a checkpoint',
    'or sign-off that pinned the chain still holds; but that hash covers the original line, which is not in the bundle, so',
    'their content is attested by digest only. The SHA256SUMS check above covers the redacted lines as exported.',
    '',
  ];
}

/**
 * Ids are numbered across the installation, not per incident: said where a reviewer reads the numbers, with the check
 * that the gaps hide nothing (every item this incident acquired has its ledger entry).
 */
export const EVIDENCE_NUMBERS_NOTE = [
  'GAPS IN THE NUMBERS. Evidence (EV-), validation (VR-), sign-off (SO-) and checkpoint (CP-) numbers are counted across',
  "every incident of the Firebreak installation, so one incident's numbers skip those given to others: EV-000026",
  'followed by EV-000029 is not a removed exhibit. Every item this incident acquired has its evidence.acquired entry',
  'in the ledger; their ids are exactly those of evidence/manifest.json:',
  `   jq -r 'select(.action=="evidence.acquired") | .subject' ${LEDGER_FILE} | sort -u`,
  `   jq -r '.items[].id' ${EVIDENCE_MANIFEST} | sort -u`,
];

export function verifyText(index: BundleIndex): string {
  const checks = reviewerChecks(index);
  const lines = [
    `CASE BUNDLE ${index.incident.id}: ${index.incident.title}`,
    `Marking: ${index.tlp}. Made ${index.createdAt} by ${index.createdBy.name} (${index.createdBy.role}) with Firebreak ${index.generator.version}.`,
    '',
    'HOW TO CHECK THIS BUNDLE WITHOUT FIREBREAK',
    '',
    'You need sha256sum (GNU coreutils; on macOS use "shasum -a 256" in its place), OpenSSL 3 and OpenSSH 8.2 or newer',
    '(ssh-keygen) for signatures signers made with their own keys.',
    `Unzip the bundle, then run every command below inside the folder ${bundleRoot(index.incident.id)}/.`,
    '',
    'WHAT TO TRUST. Every public key is inside this bundle, and so is this file: whoever altered the bundle could sign it',
    'again with a key of their own and write its fingerprint here. The checks below show who signed only once you compare',
    'each fingerprint with one you obtained from that person out of band (in person, by phone, from a key list you keep):',
    '',
    `  ${'exporter'.padEnd(9)}  ${index.exporter.name} (${index.exporter.role})  ${index.exporter.fingerprint}`,
    ...index.signOffs.map((s) => `  ${s.id.padEnd(9)}  ${s.name} (${s.role})  ${s.fingerprint}${s.scheme === 'ed25519-app-key' ? `  (${APP_HELD_KEY_LABEL})` : ''}`),
    '',
    `${SUMS_SIGNATURE_FILE} signs ${SUMS_FILE}, which lists every other file with its SHA-256: with the exporter's key`,
    "confirmed, no file changed after the export. A signer who signed with their own key signed the request in",
    `signoffs/<id>/request.txt on their own machine; ${ALLOWED_SIGNERS_FILE} holds the key each was enrolled with, and after`,
    'each key the enrolment record (name, role, fingerprint, who enrolled them and when). The request names the incident',
    'report as it stood (its hash), the ledger entry and hash it pinned, and the gate: what was proven, and by what evidence.',
    ...(index.checkpoints?.length
      ? [
          'At each phase close the operator signed a checkpoint (checkpoints/CP-*.txt): the newest entry and hash of this',
          "incident's ledger and of the system ledger. A history rewritten before a checkpoint or a sign-off no longer has",
          'the entry it pinned, unless its signer signs again; a time-stamp token (.tsr) shows the checkpoint existed then.',
        ]
      : []),
    ...(index.signOffs.some((s) => s.scheme !== 'sshsig')
      ? [
          `A sign-off signed with a ${APP_HELD_KEY_LABEL} (before signers were enrolled) covers its`,
          'statement, but that key was made by Firebreak for whatever name was typed: it does not show who signed.',
        ]
      : []),
    '',
  ];
  checks.forEach((c, i) => {
    lines.push(`${i + 1}. ${c.title}`, `   ${c.command}`, `   Expect: ${c.expect}`, '');
  });
  lines.push(
    `${checks.length + 1}. The ledger chain (optional; needs jq, and takes a while for a long ledger)`,
    ...LEDGER_JQ_CHECK.split('\n').map((l) => `   ${l}`),
    `   Expect: entries: ${index.ledger.entries}, head: ${index.ledger.headHash ?? '(none)'}, intact: yes`,
    ...(index.ledger.redacted?.length ? [`           redacted: ${index.ledger.redacted.length}`] : []),
    '',
    ...redactionNote(index.ledger.redacted ?? []),
    'The evidence files are listed with their SHA-256 in evidence/manifest.json, in the ledger entry that acquired each',
    '(evidence.acquired) and in the incident report. The reports under reports/ were generated when the bundle was made:',
    'no signer signed them, only the exporter (through SHA256SUMS). What each signer signed is in signoffs/<id>/:',
    'the request (or statement), and signed-report.json, the incident report as it stood. Evidence acquired after',
    "the last signature is covered by the exporter's signature alone.",
    '',
    ...EVIDENCE_NUMBERS_NOTE,
    '',
    '`firebreak verify <bundle>.zip` runs all of these checks at once; it also checks each evidence file against the',
    'ledger and the signed reports and statements, that every signature the ledger records is in the bundle, and',
    're-renders the HTML, Markdown and OSCAL reports from their JSON to show they say the same thing. PDFs cannot be',
    're-rendered byte for byte: they are covered by the signed SHA256SUMS only.',
    index.evidence.mode === 'manifest-only' ? '\nThis bundle carries the evidence manifest only, not the evidence files.' : '',
  );
  return `${lines.join('\n').trimEnd()}\n`;
}
