import { REPORT_TITLES, type ReportFormat, type ReportKind, type ReportModel } from '../../shared/reports';
import { contentSha256, modelJson } from '../case/model-common';
import { badInput } from '../errors';
import { renderMarkdown } from './markdown';
import { oscalAssessmentResults, oscalPoam } from './oscal-documents';
import { type PdfRenderer, pageTemplates } from './pdf';

export interface RenderedReport {
  bytes: Buffer;
  fileName: string;
  mediaType: string;
  contentSha256: string;
}

const MEDIA: Record<ReportFormat, string> = {
  pdf: 'application/pdf',
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  json: 'application/json',
  'oscal-ar': 'application/json',
  'oscal-poam': 'application/json',
};

const BASE: Record<ReportKind, string> = { incident: 'incident-report', gap: 'gap-analysis', signoff: 'sign-off-report' };

export function reportFileName(incidentId: string, kind: ReportKind, format: ReportFormat): string {
  if (format === 'oscal-ar') return `${incidentId}-oscal-assessment-results.json`;
  if (format === 'oscal-poam') return `${incidentId}-oscal-poam.json`;
  return `${incidentId}-${BASE[kind]}.${format}`;
}

/** The HTML renderer, with React, is loaded by the commands that render HTML and by no other. */
export const loadHtmlRenderer = async () => (await import('./html/render-html')).renderHtml;

/**
 * One model, any format; all carry the same content hash. A PDF is printed from the HTML: `html`, when given, is that
 * model's HTML rendered already (a bundle renders both), which saves rendering it twice.
 */
export async function renderReport(model: ReportModel, format: ReportFormat, pdf?: PdfRenderer, html?: string): Promise<RenderedReport> {
  const hash = contentSha256(model);
  const out = (bytes: Buffer): RenderedReport => ({ bytes, fileName: reportFileName(model.incident.id, model.kind, format), mediaType: MEDIA[format], contentSha256: hash });
  switch (format) {
    case 'json':
      return out(Buffer.from(modelJson(model), 'utf8'));
    case 'html':
      return out(Buffer.from((await loadHtmlRenderer())(model, hash), 'utf8'));
    case 'md':
      return out(Buffer.from(renderMarkdown(model, hash), 'utf8'));
    case 'pdf': {
      if (!pdf) throw badInput('No PDF renderer is available here.');
      return out(await pdf.render(html ?? (await loadHtmlRenderer())(model, hash), pageTemplates(model, hash)));
    }
    case 'oscal-ar':
    case 'oscal-poam': {
      if (model.kind !== 'gap') {
        throw badInput(`OSCAL documents are made from the gap analysis, not the ${REPORT_TITLES[model.kind].toLowerCase()}: use kind "gap".`);
      }
      return out(Buffer.from(format === 'oscal-ar' ? oscalAssessmentResults(model, hash) : oscalPoam(model, hash), 'utf8'));
    }
  }
}
