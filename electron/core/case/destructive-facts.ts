import { REPORT_DESTRUCTIVE_CALLS, type ReportDestructiveCalls, type ReportDestructiveIdentity } from '../../shared/reports';
import type { CoreContext } from '../context';
import { EventsRepository } from '../cloudtrail/store/events-repository';

/** How many of a call's resources its line names, and how long that part may be: the line stays one line. */
const RESOURCES_SHOWN = 2;
const RESOURCE_CHARS = 90;

/** `["iam:roleName=x","iam:policyName=y"]` as `roleName=x, policyName=y`, cut to one line's worth. */
function resourceText(stored: string): string {
  let list: unknown;
  try {
    list = JSON.parse(stored);
  } catch {
    return '';
  }
  if (!Array.isArray(list)) return '';
  const all = list.filter((r): r is string => typeof r === 'string').map((r) => r.replace(/^[a-z0-9-]+:(?=[A-Za-z]+=)/, ''));
  // `bucketName=b` says nothing that `arn:aws:s3:::b` beside it does not: keep the one that says most.
  const names = all.filter((r) => {
    const value = r.slice(r.indexOf('=') + 1);
    return !(r.includes('=') && value && all.some((o) => o !== r && o.includes(value)));
  });
  const text = names.slice(0, RESOURCES_SHOWN).join(', ') + (names.length > RESOURCES_SHOWN ? ` +${names.length - RESOURCES_SHOWN}` : '');
  return text.length > RESOURCE_CHARS ? `${text.slice(0, RESOURCE_CHARS - 1)}…` : text;
}

/**
 * Every destructive call in the incident's cloud logs, for the report's appendix: grouped by the identity that made
 * it (agent identities first), then by operation, one line per call. Up to REPORT_DESTRUCTIVE_CALLS are listed; every
 * one is counted. Null when the logs hold no destructive call.
 */
export function reportDestructiveCalls(ctx: CoreContext, incidentId: string): ReportDestructiveCalls | null {
  const { rows, counts } = new EventsRepository(ctx.db).destructiveCalls(incidentId, REPORT_DESTRUCTIVE_CALLS);
  if (counts.length === 0) return null;
  const byPrincipal = new Map<string, ReportDestructiveIdentity>();
  for (const c of counts) {
    let id = byPrincipal.get(c.principal);
    if (!id) {
      id = { principal: c.principal, label: c.principal_label, agent: c.agent, total: 0, failed: 0, operations: [], calls: [] };
      byPrincipal.set(c.principal, id);
    }
    id.total += c.calls;
    id.failed += c.failed;
    id.operations.push({ operation: c.event_name, calls: c.calls, failed: c.failed });
  }
  for (const r of rows) {
    byPrincipal.get(r.principal)?.calls.push({
      at: r.event_time,
      operation: r.event_name,
      resource: resourceText(r.resources),
      region: r.aws_region,
      status: r.error_code ?? 'ok',
      eventId: r.event_id,
    });
  }
  const identities = [...byPrincipal.values()];
  const total = identities.reduce((a, i) => a + i.total, 0);
  return {
    total,
    failed: identities.reduce((a, i) => a + i.failed, 0),
    identities,
    notListed: total - rows.length,
  };
}
