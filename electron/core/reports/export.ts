import type { Operator } from '../../shared/domain';
import type { ReportIam } from '../../shared/iam';
import type { ReportExport, ReportFormat, ReportKind, ReportModel, TlpMarking } from '../../shared/reports';
import type { CloudTrailSource } from '../case/cloudtrail-facts';
import { incidentOf } from '../case/incident-run';
import { incidentReportModel } from '../case/model-incident';
import { gapReportModel, signOffReportModel } from '../case/model-other';
import type { CoreContext } from '../context';
import { intakeBytes } from '../evidence/intake';
import { reportIam } from '../iam/report/report-section';
import { sha256Hex } from '../kernel/signature';
import type { Actor } from '../ledger/ledger';
import type { SignerKeyStore } from '../signers/key-store';
import type { PdfRenderer } from './pdf';
import { type RenderedReport, renderReport } from './render';

export interface ReportDeps {
  /** Made on demand; the caller closes it. */
  pdf?: () => PdfRenderer;
  cloudtrail?: CloudTrailSource | undefined;
  /** Signing keys, for the exporter's signature over a case bundle. Default: the sign-off key store of the data directory. */
  keys?: SignerKeyStore | undefined;
}

export function reportModel(
  ctx: CoreContext,
  deps: Pick<ReportDeps, 'cloudtrail'>,
  id: string,
  kind: ReportKind,
  o: { tlp?: TlpMarking | undefined; generatedBy: Operator; iam?: ReportIam | null },
): ReportModel {
  if (kind === 'incident') return incidentReportModel(ctx, id, { ...o, cloudtrail: deps.cloudtrail });
  if (kind === 'gap') return gapReportModel(ctx, id, o);
  return signOffReportModel(ctx, id, o);
}

/** The model with the agent's identity section gathered first: it reads the locker, which the model builder cannot wait for. */
export async function gatheredReportModel(
  ctx: CoreContext,
  deps: Pick<ReportDeps, 'cloudtrail'>,
  id: string,
  kind: ReportKind,
  o: { tlp?: TlpMarking | undefined; generatedBy: Operator },
): Promise<ReportModel> {
  const iam = kind === 'incident' ? await reportIam(ctx, id) : null;
  return reportModel(ctx, deps, id, kind, { ...o, iam });
}

const LABEL: Record<ReportFormat, string> = {
  pdf: 'PDF',
  html: 'HTML',
  md: 'Markdown',
  json: 'JSON',
  'oscal-ar': 'OSCAL assessment results',
  'oscal-poam': 'OSCAL POA&M',
};

/** Keeps a generated report as evidence of the incident (source 'report'), with its content hash in the description. */
export async function keepReport(ctx: CoreContext, actor: Actor, id: string, r: RenderedReport, kind: ReportKind, format: ReportFormat): Promise<string> {
  const item = await intakeBytes(ctx, actor, r.bytes, {
    incidentId: id,
    name: r.fileName,
    sourceKind: 'report',
    description: `${kind === 'incident' ? 'Incident report' : kind === 'gap' ? 'Gap analysis' : 'Sign-off report'} (${LABEL[format]}), content SHA-256 ${r.contentSha256}`,
  });
  return item.id;
}

/** Renders a report and, unless asked not to, keeps it as evidence. */
export async function exportReport(
  ctx: CoreContext,
  deps: ReportDeps,
  actor: Actor,
  input: { id: string; kind: ReportKind; format: ReportFormat; tlp?: TlpMarking | undefined; save: boolean },
): Promise<ReportExport & { bytes: Buffer }> {
  incidentOf(ctx, input.id);
  const model = await gatheredReportModel(ctx, deps, input.id, input.kind, { tlp: input.tlp, generatedBy: actor });
  const pdf = input.format === 'pdf' ? deps.pdf?.() : undefined;
  let rendered: RenderedReport;
  try {
    rendered = await renderReport(model, input.format, pdf);
  } finally {
    await pdf?.close();
  }
  const evidenceId = input.save ? await keepReport(ctx, actor, input.id, rendered, input.kind, input.format) : null;
  const binary = input.format === 'pdf';
  return {
    kind: input.kind,
    format: input.format,
    fileName: rendered.fileName,
    mediaType: rendered.mediaType,
    encoding: binary ? 'base64' : 'utf8',
    content: rendered.bytes.toString(binary ? 'base64' : 'utf8'),
    contentSha256: rendered.contentSha256,
    fileSha256: sha256Hex(rendered.bytes),
    evidenceId,
    bytes: rendered.bytes,
  };
}
