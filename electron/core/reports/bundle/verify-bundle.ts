import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { type Entry, type ZipFile, openPromise } from 'yauzl';
import type { BundleCheck, BundleVerification, IncidentReportModel } from '../../../shared/reports';
import { BUNDLE_FORMAT, type BundleIndex, INDEX_FILE, LEDGER_FILE, SUMS_FILE, VERIFY_FILE } from './layout';
import { type LoadedFile, type Outcome, checkEvidence, checkHashes, checkLedger, checkReports, checkSignatures } from './verify-checks';
import { type LedgerFacts, checkLedgerStream } from './verify-ledger';

export interface VerifyOptions {
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

/** Files read whole: the small ones the checks parse. Evidence files and PDFs are only hashed, as they stream. */
const isStreamedOnly = (path: string) => path.startsWith('evidence/files/') || path.endsWith('.pdf');
const MAX_SMALL = 512 * 1024 * 1024;

/** Hashes an entry as it streams; keeps all of it (small files) or only its first bytes (to recognise a PDF). */
async function readAll(stream: Readable, keep: 'all' | 'head' | 'none', onBytes: (n: number) => void): Promise<LoadedFile> {
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    onBytes(chunk.length);
    if ((keep === 'all' && size + chunk.length <= MAX_SMALL) || (keep === 'head' && size < 8)) chunks.push(chunk);
    size += chunk.length;
  }
  if (keep === 'none' || (keep === 'all' && size > MAX_SMALL)) return { sha256: hash.digest('hex') };
  const bytes = Buffer.concat(chunks);
  return { sha256: hash.digest('hex'), bytes: keep === 'head' ? bytes.subarray(0, 8) : bytes };
}

function parseSums(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (m) out.set(m[2] as string, m[1] as string);
  }
  return out;
}

const fail = (path: string, problem: string, checks: BundleCheck[] = []): BundleVerification => ({
  ok: false,
  path,
  incidentId: null,
  checks: [...checks, { name: 'layout', ok: false, detail: problem }],
  problems: [problem],
});

/**
 * Checks a case bundle offline, with nothing but the zip: SHA256SUMS, the ledger chain, report hashes (and that every
 * rendering says what the JSON says), every signature, and the evidence files. Each problem names the file and what
 * is wrong with it.
 */
export async function verifyBundle(path: string, o: VerifyOptions = {}): Promise<BundleVerification> {
  let zip: ZipFile;
  try {
    zip = await openPromise(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true });
  } catch (e) {
    return fail(path, `${path} cannot be read as a zip file (${(e as Error).message})`);
  }
  try {
    const entries: Entry[] = [];
    for await (const e of zip.eachEntry()) if (!e.fileName.endsWith('/')) entries.push(e);
    const roots = new Set(entries.map((e) => e.fileName.split('/')[0]));
    if (roots.size !== 1 || entries.some((e) => !e.fileName.includes('/'))) {
      return fail(path, `${path} is not a Firebreak case bundle: its files are not all in one folder`);
    }
    const root = `${[...roots][0] as string}/`;
    const byPath = new Map(entries.map((e) => [e.fileName.slice(root.length), e]));
    for (const required of [SUMS_FILE, INDEX_FILE, VERIFY_FILE]) {
      if (!byPath.has(required)) return fail(path, `${root}${required} is missing: this is not a complete case bundle`);
    }
    const total = entries.reduce((a, e) => a + e.uncompressedSize, 0);
    let done = 0;
    const onBytes = (n: number) => {
      done += n;
      o.onProgress?.(done, total);
    };
    const files = new Map<string, LoadedFile>();
    const open = (e: Entry) => zip.openReadStreamPromise(e);

    // Small files first: bundle.json says which ledger entries the reports and signatures need.
    for (const [p, e] of byPath) if (!isStreamedOnly(p) && p !== LEDGER_FILE) files.set(p, await readAll(await open(e), 'all', onBytes));
    let index: BundleIndex;
    try {
      index = JSON.parse((files.get(INDEX_FILE)?.bytes as Buffer).toString('utf8')) as BundleIndex;
      if (index.format !== BUNDLE_FORMAT) throw new Error('not a bundle index');
    } catch {
      return fail(path, `${root}${INDEX_FILE} is not a Firebreak bundle index`);
    }
    const models = new Map<string, { record?: { ledgerEntries?: number } }>();
    for (const r of index.reports ?? []) {
      const b = r.files.json ? files.get(r.files.json)?.bytes : undefined;
      try {
        if (b) models.set(r.kind, JSON.parse(b.toString('utf8')) as { record?: { ledgerEntries?: number } });
      } catch {
        // Reported by the report check.
      }
    }
    for (const so of index.signOffs ?? []) {
      const b = files.get(so.signedReport)?.bytes;
      try {
        if (b) models.set(so.signedReport, JSON.parse(b.toString('utf8')) as { record?: { ledgerEntries?: number } });
      } catch {
        // Reported by the signature check.
      }
    }
    const wanted = new Set<number>([...models.values()].map((m) => m.record?.ledgerEntries ?? 0).filter((x) => x > 0));

    let ledger: LedgerFacts | null = null;
    const ledgerEntry = byPath.get(index.ledger.file);
    if (ledgerEntry) {
      ledger = await checkLedgerStream((await open(ledgerEntry)) as AsyncIterable<Buffer>, index.incident.id, wanted, onBytes);
      files.set(index.ledger.file, { sha256: ledger.fileSha256 });
    }
    for (const [p, e] of byPath) if (isStreamedOnly(p)) files.set(p, await readAll(await open(e), p.endsWith('.pdf') ? 'head' : 'none', onBytes));

    const sums = parseSums((files.get(SUMS_FILE)?.bytes as Buffer).toString('utf8'));
    const reports = checkReports(index, files, ledger);
    const incidentReport = (reports.models.get('incident') as IncidentReportModel | undefined) ?? null;
    const outcomes: Outcome[] = [
      checkHashes(files, sums),
      checkLedger(index, ledger),
      reports,
      checkSignatures(index, files, ledger, incidentReport),
      checkEvidence(index, files, incidentReport),
    ];
    const problems = outcomes.flatMap((x) => x.problems);
    return { ok: problems.length === 0, path, incidentId: index.incident.id, checks: outcomes.map((x) => x.check), problems };
  } catch (e) {
    return fail(path, `${path} could not be read to the end (${(e as Error).message}): the file is damaged or truncated`);
  } finally {
    zip.close();
  }
}
