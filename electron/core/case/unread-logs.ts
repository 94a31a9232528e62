import type { ReportUnreadLog } from '../../shared/reports';
import type { Db } from '../store/database';
import { UnreadLogsRepository } from './unread-logs-repository';

interface FileImported {
  evidence?: string | null;
  path?: string;
  status?: string;
  reason?: string | null;
}
interface CloudPage {
  cloud?: string;
  scope?: string;
  call?: string;
  page?: number;
  evidence?: string | null;
  status?: string;
  reason?: string | null;
  error?: string;
}
interface LookupFailed {
  region?: string;
  attribute?: string;
  value?: string;
  error?: string;
}

/**
 * Log files that were kept but not read in full (cut short, records refused or skipped) and lookups that failed: a
 * file whose hash is intact may still hold less than it should, and the report must say so rather than call it intact.
 */
export function unreadLogs(db: Db, incidentId: string): ReportUnreadLog[] {
  return new UnreadLogsRepository(db).list(incidentId).map((r) => {
    if (r.action === 'cloudtrail.lookup-failed') {
      const p = JSON.parse(r.payload) as LookupFailed;
      return {
        at: r.at,
        source: 'CloudTrail pull',
        evidenceId: null,
        what: `LookupEvents ${p.region ?? '?'} ${p.attribute ?? '?'}=${p.value ?? '?'}`,
        outcome: 'failed',
        reason: p.error ?? 'no reason recorded',
      };
    }
    if (r.action === 'logs.page-collected' || r.action === 'logs.pull-failed') {
      const p = JSON.parse(r.payload) as CloudPage;
      const failed = r.action === 'logs.pull-failed';
      return {
        at: r.at,
        source: p.cloud === 'azure' ? 'Azure activity log pull' : 'GCP audit log pull',
        evidenceId: failed ? null : (p.evidence ?? null),
        what: `${p.call ?? '?'} ${p.scope ?? '?'} page ${p.page ?? '?'}`,
        outcome: failed ? 'failed' : 'partial',
        reason: (failed ? p.error : p.reason) ?? 'no reason recorded',
      };
    }
    const p = JSON.parse(r.payload) as FileImported;
    return {
      at: r.at,
      source: 'CloudTrail import',
      evidenceId: p.evidence ?? null,
      what: p.path ?? '(no path recorded)',
      outcome: p.status === 'failed' ? 'failed' : 'partial',
      reason: p.reason ?? 'no reason recorded',
    };
  });
}
