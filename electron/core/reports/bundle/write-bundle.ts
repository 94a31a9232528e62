import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BundleResult, ReportKind, ReportModel } from '../../../shared/reports';
import type { SignOffRecord } from '../../../shared/signoff';
import { incidentOf } from '../../case/incident-run';
import { evidenceFacts } from '../../case/model-common';
import { CaseRepository } from '../../case/repository';
import { orgSettings } from '../../checkpoints/org-settings';
import { CheckpointRepository } from '../../checkpoints/repository';
import type { CoreContext } from '../../context';
import { FirebreakError } from '../../errors';
import { CUSTODY_ACTIONS, recordBatchCustody } from '../../evidence/custody';
import { evidenceRepository } from '../../evidence/repository';
import { reportIam } from '../../iam/report/report-section';
import { objectPath } from '../../evidence/store';
import { sha256Hex } from '../../kernel/signature';
import type { Actor } from '../../ledger/ledger';
import { allowedSignersText } from '../../signers/enrolment';
import { FileKeyStore, type SignerKey, keysDir } from '../../signers/key-store';
import { initOwnKey } from '../../signers/own-keys';
import { type ReportDeps, reportModel } from '../export';
import { renderReport } from '../render';
import {
  ALLOWED_SIGNERS_FILE,
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  type BundleIndex,
  EVIDENCE_MANIFEST,
  EXPORTER_KEY_FILE,
  type EvidenceManifestFile,
  INDEX_FILE,
  LEDGER_FILE,
  type ManifestItem,
  OSCAL_PATHS,
  RENDERING,
  SUMS_FILE,
  SUMS_SIGNATURE_FILE,
  VERIFY_FILE,
  bundleRoot,
  evidencePath,
  reportPath,
  signOffFiles,
  verifyText,
} from './layout';
import { checkpointBundleFiles } from './checkpoint-files';
import { ledgerStream, redactedSeqs } from './ledger-lines';

export interface BundleOptions {
  out: string;
  /** Only the evidence manifest, not the files. */
  manifestOnly?: boolean;
  /** Include PDF renderings (needs Chromium). */
  pdf?: boolean;
  /** The Firebreak version that writes the bundle. */
  version: string;
  signal?: AbortSignal;
  onProgress?: (stage: 'reports' | 'evidence' | 'ledger' | 'finishing', done: number, total: number) => void;
}

const STORED = /\.(gz|tgz|zip|7z|xz|bz2|zst|png|jpe?g|gif|webp|pdf|mp4|mov|docx|xlsx|pptx)$/i;

const cancelled = () => new FirebreakError('cancelled', 'The bundle was cancelled; no file was left behind.');

/** A pass-through that hashes what flows through it and reports the digest at the end. */
function hashing(onChunk: (n: number) => void, onDone: (sha256: string) => void): Transform {
  const h = createHash('sha256');
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      h.update(chunk);
      onChunk(chunk.length);
      done(null, chunk);
    },
    flush(done) {
      onDone(h.digest('hex'));
      done();
    },
  });
}

/** The files bundle.json lists for a sign-off: those of its kind. */
function signOffPaths(r: SignOffRecord) {
  const { statement, signature, publicKey, request, requestSignature, signedReport } = signOffFiles(r.id);
  return r.scheme === 'sshsig' ? { request, requestSignature, signedReport } : { statement, signature, publicKey, signedReport };
}

/** The enrolments of the sign-offs signed by their signers, one line each, for ssh-keygen -Y verify; null when none. */
function bundleAllowedSigners(records: readonly SignOffRecord[]): string | null {
  const enrolments = new Map<string, SignOffRecord>();
  for (const r of records) if (r.signer && !enrolments.has(r.signer.enrolmentId)) enrolments.set(r.signer.enrolmentId, r);
  if (enrolments.size === 0) return null;
  return allowedSignersText(
    [...enrolments.values()].map((r) => {
      const e = r.signer as NonNullable<SignOffRecord['signer']>;
      return { name: r.name, role: r.role, principal: e.principal, publicKey: e.publicKey, enrolledBy: e.enrolledBy, enrolledAt: e.enrolledAt };
    }),
  );
}

/**
 * The exporting operator's own key: the one `keys init` made for them (the one they sign off with), made now if they
 * have none yet, so a reviewer compares one key per person.
 */
function exporterKey(ctx: CoreContext, deps: ReportDeps, actor: Actor): SignerKey {
  const keys = deps.keys ?? new FileKeyStore(keysDir(ctx.dataDir));
  const who = { name: actor.name.trim(), role: actor.role };
  const key = keys.get(who);
  if (key) return key;
  initOwnKey(ctx, actor, keys, who);
  return keys.get(who) as SignerKey;
}

/**
 * Writes the case bundle as a zip, streaming evidence files and the ledger (memory stays flat for any size). The
 * ledger and the reports are cut at the same entry: the reports name it as their ledger head. Stored evidence that
 * no longer matches its recorded hash is bundled as found, named in the result, and caught by `verify`. SHA256SUMS,
 * written last, is signed with the exporting operator's key (SHA256SUMS.sig; the public key is exporter.pem).
 */
export async function writeBundle(ctx: CoreContext, deps: ReportDeps, actor: Actor, id: string, o: BundleOptions): Promise<BundleResult> {
  const incident = incidentOf(ctx, id);
  // Before any work: a key that cannot be opened stops the export here, with the key file named.
  const key = exporterKey(ctx, deps, actor);
  const exporter = { name: actor.name.trim(), role: actor.role, fingerprint: key.fingerprint };
  const progress = o.onProgress ?? (() => {});
  const kinds: ReportKind[] = ['incident', 'gap', 'signoff'];
  const iam = await reportIam(ctx, id);
  const models = kinds.map((k) => reportModel(ctx, deps, id, k, { generatedBy: actor, iam })) as ReportModel[];
  const head = (models[0] as ReportModel).record;
  const records = new CaseRepository(ctx.db).signOffs(id);
  const allowedSigners = bundleAllowedSigners(records);
  // The checkpoints recorded up to the entry the bundle is cut at: a later one pins entries the bundle does not hold.
  const checkpoints = checkpointBundleFiles(new CheckpointRepository(ctx.db).ofIncident(id, head.ledgerEntries), orgSettings(ctx.db)['tsa-ca']);
  const repo = evidenceRepository(ctx.db);
  const rows = repo.itemRows(id);
  const problems: string[] = [];
  const createdAt = ctx.now().toISOString();
  const root = bundleRoot(id);
  const mtime = new Date(createdAt);
  // Loaded here, not at the top: only `bundle` writes zip files.
  const { ZipFile } = await import('yazl');
  const zip = new ZipFile();
  const sums: Array<[string, string]> = [];
  const add = (path: string, bytes: Buffer, compress = true) => {
    sums.push([path, sha256Hex(bytes)]);
    zip.addBuffer(bytes, `${root}/${path}`, { mtime, compress });
  };

  // Reports first: they are what a reviewer opens, and rendering them is the only step that can fail on a missing tool.
  const rendered: BundleIndex['reports'] = [];
  const files: Array<[string, Buffer, boolean]> = [];
  const pdf = o.pdf === false ? undefined : deps.pdf?.();
  const formats: Array<'json' | 'html' | 'md' | 'pdf'> = pdf ? ['json', 'html', 'md', 'pdf'] : ['json', 'html', 'md'];
  const oscal: BundleIndex['oscal'] = [];
  try {
    for (const [i, model] of models.entries()) {
      if (o.signal?.aborted) throw cancelled();
      const entry: BundleIndex['reports'][number] = { kind: model.kind, contentSha256: '', files: {} };
      let html: string | undefined;
      for (const f of formats) {
        const r = await renderReport(model, f, pdf, html);
        if (f === 'html') html = r.bytes.toString('utf8');
        entry.contentSha256 = r.contentSha256;
        entry.files[f] = reportPath(model.kind, f);
        files.push([reportPath(model.kind, f), r.bytes, f !== 'pdf']);
      }
      rendered.push(entry);
      if (model.kind === 'gap') {
        for (const format of ['oscal-ar', 'oscal-poam'] as const) {
          try {
            const r = await renderReport(model, format);
            files.push([OSCAL_PATHS[format], r.bytes, true]);
            oscal.push({ format, file: OSCAL_PATHS[format], fromContentSha256: r.contentSha256 });
          } catch (e) {
            // A POA&M needs at least one open gap; with none, the bundle simply has no POA&M.
            if (!(e instanceof FirebreakError && e.code === 'conflict')) throw e;
          }
        }
      }
      progress('reports', i + 1, models.length);
    }
  } finally {
    await pdf?.close();
  }

  const manifestItems: ManifestItem[] = rows.map((r) => {
    let file: string | null = o.manifestOnly ? null : evidencePath(r.id, r.name);
    if (file) {
      try {
        statSync(objectPath(ctx.dataDir, r.sha256));
      } catch {
        problems.push(`${r.id} ${r.name}: the stored copy is missing; the bundle lists it without its file`);
        file = null;
      }
    }
    return { ...evidenceFacts(r), file };
  });
  const manifest: EvidenceManifestFile = { format: 'firebreak-bundle-evidence', version: 1, incidentId: id, items: manifestItems };
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');

  // Entries an older version recorded with a password in a URL: the ledger file carries them redacted (ledger-lines.ts).
  const redacted = redactedSeqs(ctx.ledger, id, head.ledgerEntries);
  const index: BundleIndex = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    rendering: RENDERING,
    generator: { name: 'firebreak', version: o.version },
    incident: { id, title: incident.title },
    createdAt,
    createdBy: { name: actor.name, role: actor.role },
    exporter: { ...exporter, publicKey: EXPORTER_KEY_FILE, signature: SUMS_SIGNATURE_FILE },
    tlp: (models[0] as ReportModel).tlp,
    evidence: {
      mode: o.manifestOnly ? 'manifest-only' : 'files',
      manifest: EVIDENCE_MANIFEST,
      items: rows.length,
      totalBytes: rows.reduce((a, r) => a + r.size, 0),
    },
    ledger: { file: LEDGER_FILE, entries: head.ledgerEntries, headHash: head.ledgerHeadHash, ...(redacted.length ? { redacted } : {}) },
    reports: rendered,
    oscal,
    signOffs: records.map((s) => ({
      id: s.id,
      stepId: s.stepId,
      role: s.role,
      name: s.name,
      signedAt: s.signedAt,
      reportSha256: s.reportSha256,
      fingerprint: s.fingerprint,
      scheme: s.scheme ?? 'ed25519-app-key',
      ...signOffPaths(s),
      ...(s.signer && s.request
        ? {
            principal: s.signer.principal,
            keyType: s.signer.keyType,
            enrolment: { id: s.signer.enrolmentId, enrolledBy: s.signer.enrolledBy, enrolledAt: s.signer.enrolledAt },
            pinned: { seq: s.request.ledgerSeq, head: s.request.ledgerHead },
          }
        : {}),
    })),
    ...(allowedSigners ? { allowedSigners: ALLOWED_SIGNERS_FILE } : {}),
    checkpoints: checkpoints.entries,
    ...(checkpoints.tsaCa ? { tsaCa: checkpoints.tsaCa } : {}),
  };

  add(VERIFY_FILE, Buffer.from(verifyText(index), 'utf8'));
  add(EXPORTER_KEY_FILE, Buffer.from(key.publicKeyPem, 'utf8'));
  add(INDEX_FILE, Buffer.from(`${JSON.stringify(index, null, 2)}\n`, 'utf8'));
  for (const [path, bytes, compress] of files) add(path, bytes, compress);
  if (allowedSigners) add(ALLOWED_SIGNERS_FILE, Buffer.from(allowedSigners, 'utf8'));
  for (const [k, s] of index.signOffs.entries()) {
    const r = records[k] as (typeof records)[number];
    const p = signOffFiles(s.id);
    if (r.scheme === 'sshsig') {
      add(p.request, Buffer.from(r.statementJson, 'utf8'));
      add(p.requestSignature, Buffer.from(r.signature, 'utf8'));
    } else {
      add(p.statement, Buffer.from(r.statementJson, 'utf8'));
      add(p.signature, Buffer.from(r.signature, 'base64'));
      add(p.publicKey, Buffer.from(r.publicKeyPem, 'utf8'));
    }
    try {
      add(s.signedReport, readFileSync(objectPath(ctx.dataDir, r.reportSha256)));
    } catch {
      problems.push(`${s.id}: the report ${s.name} signed (sha256 ${r.reportSha256}) is missing from the evidence store`);
    }
  }
  for (const [path, bytes] of checkpoints.files) add(path, bytes);
  add(EVIDENCE_MANIFEST, manifestBytes);

  const totalBytes = manifestItems.reduce((a, m) => a + (m.file ? m.size : 0), 0);
  let doneBytes = 0;
  for (const m of manifestItems) {
    if (!m.file) continue;
    const path = m.file;
    const slot = sums.push([path, '']) - 1;
    zip.addReadStreamLazy(`${root}/${path}`, { mtime, compress: !STORED.test(m.name) }, (cb) => {
      if (o.signal?.aborted) return cb(cancelled(), undefined as unknown as NodeJS.ReadableStream);
      // Small files get small read buffers: 10,000 evidence items should not each hold 64 KiB until the next GC.
      const src = createReadStream(objectPath(ctx.dataDir, m.sha256), { highWaterMark: Math.max(1024, Math.min(65_536, m.size)) });
      const pass = hashing(
        (n) => {
          doneBytes += n;
          progress('evidence', doneBytes, totalBytes);
        },
        (sha) => {
          (sums[slot] as [string, string])[1] = sha;
          if (sha !== m.sha256) problems.push(`${m.id} ${m.name}: the stored copy no longer matches its recorded SHA-256 (bundled as found)`);
        },
      );
      src.on('error', (e) => pass.destroy(e));
      cb(null, src.pipe(pass));
    });
  }

  const ledgerSlot = sums.push([LEDGER_FILE, '']) - 1;
  zip.addReadStreamLazy(`${root}/${LEDGER_FILE}`, { mtime, compress: true }, (cb) => {
    const lines = ledgerStream(ctx.ledger, id, head.ledgerEntries, (n) => progress('ledger', n, head.ledgerEntries));
    cb(null, lines.pipe(hashing(() => {}, (sha) => ((sums[ledgerSlot] as [string, string])[1] = sha))));
  });

  // Added last and made when reached: by then every other entry has been streamed and hashed. yazl reaches entries in
  // order, so the signature's callback runs after SHA256SUMS is made.
  let sumsSha256 = '';
  let sumsText: Buffer | null = null;
  zip.addReadStreamLazy(`${root}/${SUMS_FILE}`, { mtime, compress: true }, (cb) => {
    progress('finishing', 0, 1);
    sumsText = Buffer.from(sums.map(([p, h]) => `${h}  ${p}\n`).join(''), 'utf8');
    sumsSha256 = sha256Hex(sumsText);
    cb(null, Readable.from([sumsText]));
  });
  zip.addReadStreamLazy(`${root}/${SUMS_SIGNATURE_FILE}`, { mtime, compress: false }, (cb) => {
    if (!sumsText) return cb(new Error(`${SUMS_FILE} was not made before its signature`), undefined as unknown as NodeJS.ReadableStream);
    cb(null, Readable.from([key.sign(sumsText)]));
  });
  zip.end();

  const partial = `${o.out}.partial`;
  let zipSha = '';
  let zipBytes = 0;
  try {
    await pipeline(
      zip.outputStream,
      hashing((n) => (zipBytes += n), (sha) => (zipSha = sha)),
      createWriteStream(partial, { mode: 0o600 }),
      ...(o.signal ? [{ signal: o.signal }] : []),
    );
    renameSync(partial, o.out);
  } catch (e) {
    rmSync(partial, { force: true });
    if (o.signal?.aborted) throw cancelled();
    if (e instanceof FirebreakError) throw e;
    throw new FirebreakError('unavailable', `The bundle could not be written to ${o.out}: ${(e as Error).message}`);
  }

  recordBatchCustody(ctx, actor, id, rows.map((r) => r.id), 'export', CUSTODY_ACTIONS.exported, {
    format: 'case-bundle',
    fileName: basename(o.out),
    manifestSha256: sha256Hex(manifestBytes),
    bundleSha256: zipSha,
    sumsSha256,
    exporter,
    mode: index.evidence.mode,
    ledgerHead: { seq: head.ledgerEntries, hash: head.ledgerHeadHash },
    reports: rendered.map((r) => ({ kind: r.kind, contentSha256: r.contentSha256 })),
    items: rows.map((r) => r.id),
  });
  progress('finishing', 1, 1);
  return {
    path: o.out,
    bytes: zipBytes,
    sha256: zipSha,
    sumsSha256,
    // SHA256SUMS and its signature are not listed in SHA256SUMS.
    files: sums.length + 2,
    evidenceItems: rows.length,
    manifestOnly: Boolean(o.manifestOnly),
    ledgerEntries: head.ledgerEntries,
    exporter,
    problems,
  };
}
