import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { reportsContract } from '../../shared/contract/reports';
import type { TlpMarking } from '../../shared/reports';
import type { CloudTrailSource } from '../case/cloudtrail-facts';
import { incidentOf } from '../case/incident-run';
import { contentSha256 } from '../case/model-common';
import { CaseRepository } from '../case/repository';
import type { CoreContext } from '../context';
import type { HandlersOf } from '../kernel/handler-types';
import type { SignerKeyStore } from '../signers/key-store';
import { verifyBundle } from './bundle/verify-bundle';
import { writeBundle } from './bundle/write-bundle';
import { type ReportDeps, exportReport, gatheredReportModel } from './export';
import { MarkingsRepository } from './markings-repository';
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
  ctx.change(
    actor,
    (before) => (before === tlp ? null : { scope: id, action: 'report.marking-set', subject: id, payload: { from: before, to: tlp } }),
    () => {
      incidentOf(ctx, id);
      const before = new CaseRepository(ctx.db).marking(id);
      if (before !== tlp) new MarkingsRepository(ctx.db).setMarking(id, tlp, ctx.now().toISOString(), actor.name);
      return before;
    },
  );
  return { tlp };
}

export function reportHandlers(ctx: CoreContext, o: ReportHandlerOptions = {}): HandlersOf<typeof reportsContract> {
  const deps: ReportDeps = { pdf: o.pdf ?? (() => chromiumPdf()), cloudtrail: o.cloudtrail, keys: o.keys };
  return {
    'reports.preview': async ({ id, kind, tlp }) => {
      const model = await gatheredReportModel(ctx, deps, id, kind, { tlp, generatedBy: ctx.operator() ?? { name: 'preview', role: 'viewer' } });
      const hash = contentSha256(model);
      return { kind, contentSha256: hash, html: (await loadHtmlRenderer())(model, hash) };
    },
    'reports.export': async (input) => {
      const { bytes: _b, ...out } = await exportReport(ctx, deps, ctx.human(), input);
      return out;
    },
    'reports.marking': ({ id }) => {
      incidentOf(ctx, id);
      return { tlp: new CaseRepository(ctx.db).marking(id) };
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
