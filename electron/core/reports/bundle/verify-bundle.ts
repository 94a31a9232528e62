import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import type { Entry, ZipFile } from 'yauzl';
import type { BundleCheck, BundleVerification, IncidentReportModel } from '../../../shared/reports';
import { storedRequestBody } from '../../kernel/signoff-request-file';
import { loadHtmlRenderer } from '../render';
import {
  BUNDLE_FORMAT,
  VERIFIABLE_VERSIONS,
  type BundleIndex,
  EXPORTER_KEY_FILE,
  INDEX_FILE,
  LEDGER_FILE,
  SUMS_FILE,
  SUMS_SIGNATURE_FILE,
  VERIFY_FILE,
  signOffFiles,
} from './layout';
import { type LoadedFile, type Outcome, checkEvidence, checkExporter, checkHashes, checkLedger, checkReports, outcome } from './verify-checks';
import { CHECKPOINT_FILE, checkpointFiles } from './checkpoint-files';
import { checkCheckpoints, checkpointPinnedSeq } from './verify-checkpoints';
import { checkSignatures } from './verify-signatures';
import { type LedgerFacts, MAX_LEDGER_LINE, checkLedgerStream } from './verify-ledger';

/** What verify agrees to read: a bundle beyond these is refused, not read into memory. */
export interface VerifyLimits {
  /** Files in the zip. */
  entries: number;
  /** One file of the kinds verify reads whole (JSON, HTML, Markdown, signatures, keys, SHA256SUMS, VERIFY.txt). */
  wholeFileBytes: number;
  /** All of those together. Evidence files, PDFs and the ledger stream through a hash and are not limited. */
  wholeTotalBytes: number;
  /** One ledger line. */
  ledgerLine: number;
}

const MiB = 1024 * 1024;
export const VERIFY_LIMITS: VerifyLimits = { entries: 200_000, wholeFileBytes: 64 * MiB, wholeTotalBytes: 512 * MiB, ledgerLine: MAX_LEDGER_LINE };

export interface VerifyOptions {
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
  /** Lower limits (tests); never raised above what memory allows. */
  limits?: Partial<VerifyLimits>;
}

/** The files the checks parse, read whole; every other file is only hashed as it streams. */
const READ_WHOLE = [
  /^(SHA256SUMS|SHA256SUMS\.sig|exporter\.pem|bundle\.json|VERIFY\.txt|allowed_signers)$/,
  /^evidence\/manifest\.json$/,
  /^reports\/[^/]+\.(json|html|md)$/,
  CHECKPOINT_FILE,
  /^signoffs\/[^/]+\/(statement\.json|signature\.sig|signer\.pem|signed-report\.json|request\.txt|request\.txt\.sig)$/,
];
const readsWhole = (path: string) => READ_WHOLE.some((r) => r.test(path));

const size = (bytes: number) => (bytes < MiB ? `${bytes.toLocaleString('en-US')} bytes` : `${Math.round((bytes / MiB) * 10) / 10} MiB`);

/**
 * Hashes an entry as it streams; keeps all of it (a file the checks read, at most `max` bytes: its declared size was
 * checked, and yauzl holds it to that size) or only its first bytes (to recognise a PDF).
 */
async function readAll(stream: Readable, keep: 'all' | 'head' | 'none', max: number, onBytes: (n: number) => void): Promise<LoadedFile> {
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    onBytes(chunk.length);
    if (keep === 'all') {
      if (size + chunk.length > max) throw new Error(`an entry holds more than its declared ${max} bytes`);
      chunks.push(chunk);
    } else if (keep === 'head' && size < 8) chunks.push(chunk);
    size += chunk.length;
  }
  if (keep === 'none') return { sha256: hash.digest('hex') };
  const bytes = Buffer.concat(chunks);
  return { sha256: hash.digest('hex'), bytes: keep === 'head' ? bytes.subarray(0, 8) : bytes };
}

/** Passes an entry's bytes through, then calls `onMismatch` if their CRC-32 is not the one the zip records. */
async function* crcChecked(stream: AsyncIterable<Buffer>, want: number, onMismatch: () => void): AsyncGenerator<Buffer> {
  let crc = 0;
  for await (const chunk of stream) {
    crc = crc32(chunk, crc);
    yield chunk;
  }
  if (crc >>> 0 !== want >>> 0) onMismatch();
}

function parseSums(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (m) out.set(m[2] as string, m[1] as string);
  }
  return out;
}

/** The ledger entry a request file pins, or 0 when it names none readable (the signature check says why). */
function pinnedSeq(bytes: Buffer | undefined): number {
  try {
    const seq: unknown = bytes ? storedRequestBody(bytes.toString('utf8')).ledger.seq : 0;
    return typeof seq === 'number' && Number.isSafeInteger(seq) ? seq : 0;
  } catch {
    return 0;
  }
}

const fail = (path: string, problem: string, checks: BundleCheck[] = []): BundleVerification => ({
  ok: false,
  path,
  incidentId: null,
  checks: [...checks, { name: 'layout', ok: false, detail: problem }],
  problems: [problem],
  exporter: null,
  signers: [],
});

/** The shape every check relies on; anything else is not an index this version reads. */
function isIndex(x: unknown): x is BundleIndex {
  const i = x as Partial<BundleIndex> | null;
  return Boolean(
    i &&
      i.format === BUNDLE_FORMAT &&
      typeof i.incident?.id === 'string' &&
      typeof i.ledger?.file === 'string' &&
      typeof i.evidence?.manifest === 'string' &&
      Array.isArray(i.reports) &&
      i.reports.every((r) => r && typeof r.files === 'object' && r.files !== null) &&
      Array.isArray(i.oscal) &&
      Array.isArray(i.signOffs) &&
      i.signOffs.every((s) => s && typeof s.id === 'string'),
  );
}

/**
 * Checks a case bundle offline, with nothing but the zip: the exporter's signature over SHA256SUMS and SHA256SUMS
 * itself, the ledger chain, report hashes (and that every rendering says what the JSON says), every signature (and that
 * every signature the ledger records is there), and the evidence files against the ledger and the signed documents.
 * Each problem names the file and what is wrong with it. The result carries the fingerprints of the exporter's and
 * every signer's key: the keys come with the bundle, so only comparing those out of band says who signed.
 */
export async function verifyBundle(path: string, o: VerifyOptions = {}): Promise<BundleVerification> {
  const limits: VerifyLimits = { ...VERIFY_LIMITS };
  for (const k of Object.keys(VERIFY_LIMITS) as Array<keyof VerifyLimits>) limits[k] = Math.min(VERIFY_LIMITS[k], o.limits?.[k] ?? Infinity);
  // Loaded here, not at the top: only `verify` reads zip files.
  const { openPromise } = await import('yauzl');
  let zip: ZipFile;
  try {
    zip = await openPromise(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true });
  } catch (e) {
    return fail(path, `${path} cannot be read as a zip file (${(e as Error).message})`);
  }
  try {
    if (zip.entryCount > limits.entries) {
      return fail(path, `${path} holds ${zip.entryCount.toLocaleString('en-US')} files, more than the ${limits.entries.toLocaleString('en-US')} verify agrees to check: refused`);
    }
    const entries: Entry[] = [];
    // A zip can hold two files of one name; an unzip tool shows the reviewer one of them and verify would check the
    // other. Firebreak never writes two names that differ only in letter case either (they collide on macOS and Windows).
    const seen = new Map<string, string>();
    for await (const e of zip.eachEntry()) {
      if (e.fileName.endsWith('/')) continue;
      const folded = e.fileName.normalize('NFC').toLowerCase();
      const before = seen.get(folded);
      if (before === e.fileName) return fail(path, `${e.fileName} is in the zip twice: a bundle never holds two files of one name (unzip would show one and hide the other): refused`);
      if (before !== undefined) return fail(path, `${e.fileName} and ${before} differ only in letter case: a bundle never holds such names (they collide when unzipped): refused`);
      seen.set(folded, e.fileName);
      entries.push(e);
    }
    const roots = new Set(entries.map((e) => e.fileName.split('/')[0]));
    if (roots.size !== 1 || entries.some((e) => !e.fileName.includes('/'))) {
      return fail(path, `${path} is not a Firebreak case bundle: its files are not all in one folder`);
    }
    const root = `${[...roots][0] as string}/`;
    const byPath = new Map(entries.map((e) => [e.fileName.slice(root.length), e]));
    for (const required of [SUMS_FILE, INDEX_FILE, VERIFY_FILE]) {
      if (!byPath.has(required)) return fail(path, `${root}${required} is missing: this is not a complete case bundle`);
    }
    let wholeTotal = 0;
    for (const [p, e] of byPath) {
      if (!readsWhole(p)) continue;
      if (e.uncompressedSize > limits.wholeFileBytes) {
        return fail(path, `${root}${p} is ${e.uncompressedSize.toLocaleString('en-US')} bytes: verify reads a file of this kind whole and refuses one over ${size(limits.wholeFileBytes)} (Firebreak never writes one that large)`);
      }
      wholeTotal += e.uncompressedSize;
    }
    if (wholeTotal > limits.wholeTotalBytes) {
      return fail(path, `${path}: its reports, signatures and other files verify reads whole come to ${size(wholeTotal)}, more than the ${size(limits.wholeTotalBytes)} verify agrees to hold: refused`);
    }
    const total = entries.reduce((a, e) => a + e.uncompressedSize, 0);
    let done = 0;
    const onBytes = (n: number) => {
      done += n;
      o.onProgress?.(done, total);
    };
    const files = new Map<string, LoadedFile>();
    // yauzl does not check an entry's CRC-32: every entry is checked here as it streams, so a byte changed inside the
    // zip is caught even in a file whose hash nothing else lists.
    const crcProblems: string[] = [];
    const open = async (e: Entry): Promise<Readable> => {
      const rel = e.fileName.slice(root.length);
      return Readable.from(crcChecked(await zip.openReadStreamPromise(e), e.crc32, () => crcProblems.push(`${rel}: its bytes do not match the CRC-32 the zip records for it (the zip was altered or damaged)`)));
    };

    // Small files first: bundle.json says which ledger entries the reports and signatures need.
    for (const [p, e] of byPath) if (readsWhole(p)) files.set(p, await readAll(await open(e), 'all', limits.wholeFileBytes, onBytes));
    let index: BundleIndex;
    try {
      const parsed = JSON.parse((files.get(INDEX_FILE)?.bytes as Buffer).toString('utf8')) as unknown;
      if (!isIndex(parsed)) throw new Error('not a bundle index');
      index = parsed;
    } catch {
      return fail(path, `${root}${INDEX_FILE} is not a Firebreak bundle index`);
    }
    if (!VERIFIABLE_VERSIONS.includes(index.version)) {
      return fail(
        path,
        `${root}${INDEX_FILE}: a version ${String(index.version)} bundle; this Firebreak checks version ${VERIFIABLE_VERSIONS.join(' and ')} bundles, whose ${SUMS_FILE} is signed (${SUMS_SIGNATURE_FILE}, ${EXPORTER_KEY_FILE}). Export the bundle again.`,
      );
    }
    const wanted = new Set<number>();
    const want = (b: Buffer | undefined) => {
      try {
        const at = b ? (JSON.parse(b.toString('utf8')) as { record?: { ledgerEntries?: unknown } }).record?.ledgerEntries : undefined;
        if (typeof at === 'number' && at > 0) wanted.add(at);
      } catch {
        // Reported by the report and signature checks.
      }
    };
    for (const r of index.reports) want(r.files.json ? files.get(r.files.json)?.bytes : undefined);
    for (const so of index.signOffs) want(files.get(signOffFiles(so.id).signedReport)?.bytes);
    // The ledger entry each signer's request pinned, read from the request itself (bundle.json only repeats it).
    for (const so of index.signOffs) {
      const seq = pinnedSeq(files.get(signOffFiles(so.id).request)?.bytes);
      if (seq > 0) wanted.add(seq);
    }
    // And the entry each checkpoint's signed bytes pin.
    for (const c of Array.isArray(index.checkpoints) ? index.checkpoints : []) {
      const seq = checkpointPinnedSeq(files.get(checkpointFiles(String(c.id)).body)?.bytes);
      if (seq > 0) wanted.add(seq);
    }

    let ledger: LedgerFacts | null = null;
    const ledgerEntry = byPath.get(LEDGER_FILE);
    if (ledgerEntry) {
      ledger = await checkLedgerStream((await open(ledgerEntry)) as AsyncIterable<Buffer>, index.incident.id, wanted, onBytes, limits.ledgerLine);
      files.set(LEDGER_FILE, { sha256: ledger.fileSha256 });
    }
    for (const [p, e] of byPath) if (!files.has(p)) files.set(p, await readAll(await open(e), p.endsWith('.pdf') ? 'head' : 'none', 0, onBytes));

    const sums = parseSums((files.get(SUMS_FILE)?.bytes as Buffer).toString('utf8'));
    const reports = checkReports(index, files, ledger, await loadHtmlRenderer());
    const incidentReport = (reports.models.get('incident') as IncidentReportModel | undefined) ?? null;
    const exporter = checkExporter(index, files);
    const signatures = checkSignatures(index, files, ledger, incidentReport);
    const outcomes: Outcome[] = [
      checkHashes(files, sums),
      outcome('zip', crcProblems, `${entries.length.toLocaleString('en-US')} entries match their CRC-32`),
      exporter,
      checkLedger(index, ledger),
      reports,
      signatures,
      checkCheckpoints(index, files, ledger),
      checkEvidence(index, files, incidentReport, ledger, signatures.signed),
    ];
    const problems = outcomes.flatMap((x) => x.problems);
    return {
      ok: problems.length === 0,
      path,
      incidentId: index.incident.id,
      checks: outcomes.map((x) => x.check),
      problems,
      exporter: exporter.exporter,
      signers: signatures.signers,
    };
  } catch (e) {
    return fail(path, `${path} could not be read to the end (${(e as Error).message}): the file is damaged or truncated`);
  } finally {
    zip.close();
  }
}
