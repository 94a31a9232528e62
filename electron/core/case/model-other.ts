import { GAP_STATES, type GapState } from '../../shared/gap';
import type { GapReportModel, SignOffReportModel } from '../../shared/reports';
import { redactUrlSecretsDeep } from '../../shared/url-secrets';
import type { CoreContext } from '../context';
import { gapAnalysis } from './gap-analysis';
import { incidentRun } from './incident-run';
import { type ModelOptions, reportHeader, reportOverrides } from './model-common';
import { CaseRepository } from './repository';
import { signatureHolds } from './signature-check';
import { signOffStatus } from './signoff-status';

export function gapReportModel(ctx: CoreContext, id: string, o: ModelOptions): GapReportModel {
  const run = incidentRun(ctx, id);
  const analysis = gapAnalysis(ctx, id);
  const counts = Object.fromEntries([...GAP_STATES, 'unassessed'].map((s) => [s, 0])) as Record<GapState | 'unassessed', number>;
  for (const c of analysis.controls) counts[c.state ?? 'unassessed'] += 1;
  // An older record may hold a URL with a password (from before such URLs were refused): never export it.
  return redactUrlSecretsDeep({
    ...reportHeader(ctx, run.incident, 'gap', o),
    controls: analysis.controls,
    counts,
    missing: analysis.missing,
    signOffs: new CaseRepository(ctx.db).signOffs(id),
  });
}

export function signOffReportModel(ctx: CoreContext, id: string, o: ModelOptions): SignOffReportModel {
  const run = incidentRun(ctx, id);
  const steps = signOffStatus(ctx, run);
  const records = steps.flatMap((s) => s.signOffs);
  const verified = Object.fromEntries(records.map((r) => [r.id, signatureHolds(r)]));
  return redactUrlSecretsDeep({
    ...reportHeader(ctx, run.incident, 'signoff', o),
    steps,
    overrides: reportOverrides(run, records),
    verified,
  });
}
