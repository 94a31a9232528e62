import { renderToStaticMarkup } from 'react-dom/server';
import type { ReportModel } from '../../../shared/reports';
import { ReportDocument } from './common';
import { GapBody, SignOffBody } from './gap-signoff-html';
import { IncidentBody } from './incident-html';

/**
 * A self-contained HTML report. Rendering is deterministic (same model, same bytes), which lets `verify` re-render a
 * bundle's HTML from its JSON and prove the two say the same thing.
 */
export function renderHtml(model: ReportModel, contentSha256: string): string {
  const body =
    model.kind === 'incident' ? <IncidentBody m={model} /> : model.kind === 'gap' ? <GapBody m={model} /> : <SignOffBody m={model} />;
  return `<!DOCTYPE html>\n${renderToStaticMarkup(
    <ReportDocument header={model} hash={contentSha256}>
      {body}
    </ReportDocument>,
  )}\n`;
}
