import type { Core } from '../../electron/core/core';
import type { FindingsSummary, TimelineEventDetail, TimelinePage } from '../../electron/shared/cloudtrail';
import { call } from './core';

/**
 * Every call an incident holds, each with its record, rules and resources, without what names this incident's own
 * evidence items and findings: two incidents that stored the same records compare equal.
 */
export async function storedCalls(core: Core, incidentId: string): Promise<unknown[]> {
  const page = await call<TimelinePage>(core, 'cloudtrail.events', { incidentId, filter: {}, offset: 0, limit: 1000 });
  const out: unknown[] = [];
  for (const e of page.events) {
    const { evidenceIds: _evidence, findingIds: _findings, support: _support, ...detail } = await call<TimelineEventDetail>(core, 'cloudtrail.event', { incidentId, eventId: e.eventID });
    out.push(detail);
  }
  return out;
}

/** The incident's findings as kind and title: what the analysis concluded, without ids and times. */
export async function findingTitles(core: Core, incidentId: string): Promise<string[]> {
  const summary = await call<FindingsSummary>(core, 'cloudtrail.summary', { incidentId });
  return summary.findings.map((f) => `${f.kind}: ${f.title}`).sort();
}
