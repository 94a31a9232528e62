import { z } from 'zod';
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
import { incidentId, method, text } from './define';

const operationId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'an operation id is 8-64 letters, digits, - or _');
const tlp = z.enum(TLP_MARKINGS, { error: `the TLP marking is one of ${TLP_MARKINGS.join(', ')}` });

export const exportReportInput = z
  .object({
    id: incidentId,
    kind: z.enum(REPORT_KINDS),
    format: z.enum(REPORT_FORMATS),
    /** This report only; the incident's marking otherwise. */
    tlp: tlp.optional(),
    /** Keep the report as evidence of the incident (default). */
    save: z.boolean().default(true),
  })
  .strict()
  .refine((v) => !v.format.startsWith('oscal-') || v.kind === 'gap', {
    message: 'OSCAL assessment results and POA&M are made from the gap analysis: use kind "gap"',
    path: ['kind'],
  });

export const reportsContract = {
  /** The report as self-contained HTML, for a sandboxed preview; nothing is recorded. */
  'reports.preview': method<ReportPreview>().query(
    z.object({ id: incidentId, kind: z.enum(REPORT_KINDS), tlp: tlp.optional() }).strict(),
  ),
  'reports.export': method<ReportExport>().mutation(exportReportInput),
  'reports.marking': method<{ tlp: TlpMarking }>().query(z.object({ id: incidentId }).strict()),
  'reports.setMarking': method<{ tlp: TlpMarking }>().mutation(z.object({ id: incidentId, tlp }).strict()),
  /** Writes the case bundle under the data directory's exports/ folder; poll reports.operations for progress. */
  'reports.bundle': method<BundleResult>().mutation(
    z
      .object({
        id: incidentId,
        manifestOnly: z.boolean().default(false),
        pdf: z.boolean().default(true),
        operationId: operationId.optional(),
      })
      .strict(),
  ),
  'reports.operations': method<BundleProgress[]>().query(z.object({ id: incidentId.optional() }).strict()),
  'reports.cancel': method<{ cancelled: boolean }>().mutation(z.object({ operationId }).strict()),
  /** Checks a case bundle offline: hashes, ledger chain, report hashes and every signature. */
  'reports.verifyBundle': method<BundleVerification>().query(z.object({ path: text('Bundle path', 4096) }).strict()),
};
