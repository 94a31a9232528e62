import * as z from 'zod';
import {
  type BundleProgress,
  type BundleResult,
  type BundleVerification,
  REPORT_FORMATS,
  REPORT_KINDS,
  type ReportExport,
  type ReportPreview,
  TLP_MARKINGS,
  type TlpMarking,
} from '../reports';
import type { ByteProgress } from '../evidence';
import { incidentId, method, operationId, text } from './define';

const tlp = z.enum(TLP_MARKINGS, { error: `the TLP marking is one of ${TLP_MARKINGS.join(', ')}` });

export const exportReportInput = z
  .object({
    id: incidentId,
    kind: z.enum(REPORT_KINDS),
    format: z.enum(REPORT_FORMATS),
    /** This report only; the incident's marking otherwise. */
    tlp: tlp.optional(),
    /** Keep the report as evidence of the incident (default); without it the record does not change and nothing is recorded. */
    save: z.boolean().default(true),
  })
  .strict()
  .refine((v) => !v.format.startsWith('oscal-') || v.kind === 'gap', {
    message: 'OSCAL assessment results and POA&M are made from the gap analysis: use kind "gap"',
    path: ['kind'],
  });

const bundleFields = {
  id: incidentId,
  manifestOnly: z.boolean().default(false),
  pdf: z.boolean().default(true),
  operationId: operationId.optional(),
};

export const reportsContract = {
  /** The report as self-contained HTML, for a sandboxed preview; nothing is recorded. */
  'reports.preview': method<ReportPreview>().query(
    () => z.object({ id: incidentId, kind: z.enum(REPORT_KINDS), tlp: tlp.optional() }).strict(),
  ),
  'reports.export': method<ReportExport>().mutation(() => exportReportInput),
  'reports.marking': method<{ tlp: TlpMarking }>().query(() => z.object({ id: incidentId }).strict()),
  'reports.setMarking': method<{ tlp: TlpMarking }>().mutation(() => z.object({ id: incidentId, tlp }).strict()),
  /**
   * Writes the case bundle under the data directory's exports/ folder, so no remote caller names a path to write to.
   * A cancelled bundle leaves no file and records nothing.
   */
  'reports.bundle': method<BundleResult, BundleProgress>().mutation(() => z.object({ ...bundleFields }).strict(), { long: true }),
  /** The CLI's `firebreak bundle --out FILE`: the same bundle, written where the user said. */
  'reports.writeBundle': method<BundleResult, BundleProgress>().mutation(
    () => z.object({ ...bundleFields, out: text('Output file', 4096) }).strict(),
    { long: true, local: true },
  ),
  /** Checks a case bundle offline: hashes, ledger chain, report hashes and every signature. */
  'reports.verifyBundle': method<BundleVerification, ByteProgress>().query(() => z.object({ path: text('Bundle path', 4096) }).strict()),
};
