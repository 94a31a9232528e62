/**
 * The agent's identity as the incident report tells it: per agent identity, could against did; the credential facts;
 * each revocation with its time from awareness and time to halt; the least-privilege drafts kept as evidence. Built
 * before the report model (the analysis reads the locker and the action catalogue, which the model builder cannot
 * wait for) and handed to it.
 */
import type { IamIncidentAnalysis, ReportIam, ReportIamIdentity } from '../../../shared/iam';
import type { CoreContext } from '../../context';
import { FirebreakError } from '../../errors';
import { evidenceRepository } from '../../evidence/repository';
import { LEAST_PRIVILEGE_DRAFT } from '../analyse/least-privilege';
import { analyzeIncident } from '../analyse/analyze';
import { revocations } from '../revoke/revoke';
import { IamSourcesRepository } from '../store/sources-repository';

type Draft = ReportIam['drafts'][number];

/** Drafts are found by the description Firebreak gave their evidence item: "Least-privilege draft for ARN from ...". */
function draftsOf(ctx: CoreContext, incidentId: string): Draft[] {
  const prefix = `${LEAST_PRIVILEGE_DRAFT} `;
  return evidenceRepository(ctx.db)
    .itemRows(incidentId)
    .filter((r) => r.source_kind === 'file' && r.description?.startsWith(prefix))
    .map((r) => ({ identity: (r.description as string).slice(prefix.length).split(' ')[0] as string, evidenceId: r.id, acquiredAt: r.acquired_at }));
}

function identityLine(a: IamIncidentAnalysis['analyses'][number], drafts: readonly Draft[]): ReportIamIdentity {
  return {
    identity: a.identity,
    granted: { all: a.granted.all, destructive: a.granted.destructive },
    used: { all: a.used.all.length, destructive: a.used.destructive, services: [...new Set(a.used.all.map((x) => x.slice(0, x.indexOf(':'))))].sort() },
    unused: { count: a.unused.length, lastAccessed: a.unusedLastAccessed ?? [] },
    denied: a.denied,
    conditional: a.conditional,
    boundary: a.boundary,
    missingPolicies: a.missingPolicies,
    calls: a.calls,
    leastPrivilegeEvidence: drafts.filter((d) => d.identity === a.identity).at(-1)?.evidenceId ?? null,
  };
}

export async function reportIam(ctx: CoreContext, incidentId: string): Promise<ReportIam | null> {
  const sources = new IamSourcesRepository(ctx.db).list(incidentId).map((s) => s.evidenceId);
  const revoked = revocations(ctx, incidentId).map(({ calls, undo: _undo, ...r }) => ({ ...r, calls: calls.length }));
  const drafts = draftsOf(ctx, incidentId);
  if (sources.length === 0 && revoked.length === 0 && drafts.length === 0) return null;
  let analysis: IamIncidentAnalysis | null = null;
  let problem: string | null = null;
  if (sources.length === 0) problem = 'No IAM snapshot was imported or captured: what the agent could do is not established.';
  else {
    try {
      analysis = await analyzeIncident(ctx, incidentId, undefined);
    } catch (e) {
      // A report is still written when the analysis cannot be: it says why instead of leaving the section out.
      if (!(e instanceof FirebreakError)) throw e;
      problem = e.message;
    }
  }
  return {
    sources,
    identities: analysis?.analyses.map((a) => identityLine(a, drafts)) ?? [],
    notInSnapshot: analysis?.notInSnapshot ?? [],
    credentials: analysis?.credentials ?? [],
    revocations: revoked,
    drafts,
    problem,
    catalogue: analysis?.analyses[0]?.catalogue ?? null,
  };
}
