import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { reportsContract } from '../../shared/contract/reports';
import type { TlpMarking } from '../../shared/reports';
import type { CoreContext } from '../context';
import type { SignerKeyStore } from '../signers/key-store';
import { writeBundle } from './bundle/write-bundle';
import { verifyBundle } from './bundle/verify-bundle';
import type { CloudTrailSource } from './cloudtrail-facts';
import { type ReportDeps, exportReport, reportModel } from './export';
import type { HandlersOf } from './handler-types';
import { incidentOf } from './incident-run';
import { contentSha256, incidentMarking } from './model-common';
import { type PdfRenderer, chromiumPdf } from './pdf';
import { loadHtmlRenderer } from './render';

export interface ReportHandlerOptions {
  /** Electron supplies one built on printToPDF; the default prints with Chromium through playwright-core. */
  pdf?: () => PdfRenderer;
  cloudtrail?: CloudTrailSource;
  /** The signing keys: the exporter signs a bundle's SHA256SUMS with theirs. Default: the sign-off key store. */
  keys?: SignerKeyStore;
}

/** Where `reports.bundle` writes: inside the data directory, so no adapter hands core a path to write to. */
export const exportsDir = (dataDir: string): string => join(dataDir, 'exports');

export function setMarking(ctx: CoreContext, id: string, tlp: TlpMarking): { tlp: TlpMarking } {
  const actor = ctx.human();
  ctx.tx(() => {
    incidentOf(ctx, id);
    const before = incidentMarking(ctx.db, id);
    if (before === tlp) return;
    ctx.db
      .prepare(
        `INSERT INTO report_markings (incident_id, tlp, set_at, set_by) VALUES (?, ?, ?, ?)
         ON CONFLICT (incident_id) DO UPDATE SET tlp = excluded.tlp, set_at = excluded.set_at, set_by = excluded.set_by`,
      )
      .run(id, tlp, ctx.now().toISOString(), actor.name);
    ctx.ledger.append(actor, { scope: id, action: 'report.marking-set', subject: id, payload: { from: before, to: tlp } });
  });
  return { tlp };
}

export function reportHandlers(ctx: CoreContext, o: ReportHandlerOptions = {}): HandlersOf<typeof reportsContract> {
  const deps: ReportDeps = { pdf: o.pdf ?? (() => chromiumPdf()), cloudtrail: o.cloudtrail, keys: o.keys };
  return {
    'reports.preview': async ({ id, kind, tlp }) => {
      const model = reportModel(ctx, deps, id, kind, { tlp, generatedBy: ctx.operator() ?? { name: 'preview', role: 'viewer' } });
      const hash = contentSha256(model);
      return { kind, contentSha256: hash, html: (await loadHtmlRenderer())(model, hash) };
    },
    'reports.export': async (input) => {
      const { bytes: _b, ...out } = await exportReport(ctx, deps, ctx.human(), input);
      return out;
    },
    'reports.marking': ({ id }) => {
      incidentOf(ctx, id);
      return { tlp: incidentMarking(ctx.db, id) };
    },
    'reports.setMarking': ({ id, tlp }) => setMarking(ctx, id, tlp),
    'reports.bundle': ({ id, manifestOnly, pdf }, { signal, progress }) => {
      const actor = ctx.human();
      incidentOf(ctx, id);
      const dir = exportsDir(ctx.dataDir);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const stamp = ctx.now().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
      let out = join(dir, `${id}-case-bundle-${stamp}.zip`);
      // Two bundles in the same second keep both files.
      for (let n = 2; existsSync(out); n += 1) out = join(dir, `${id}-case-bundle-${stamp}-${n}.zip`);
      return writeBundle(ctx, deps, actor, id, { out, manifestOnly, pdf, version: ctx.version, signal, onProgress: (stage, done, total) => progress({ stage, done, total }) });
    },
    'reports.writeBundle': ({ id, out, manifestOnly, pdf }, { signal, progress }) =>
      writeBundle(ctx, deps, ctx.human(), id, {
        out: resolve(out),
        manifestOnly,
        pdf,
        version: ctx.version,
        signal,
        onProgress: (stage, done, total) => progress({ stage, done, total }),
      }),
    'reports.verifyBundle': ({ path }, { progress }) => verifyBundle(path, { onProgress: (bytesDone, bytesTotal) => progress({ bytesDone, bytesTotal }) }),
  };
}
