import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, useState } from 'react';
import type { CloudTrailFinding, TimelineFilter } from '../../../electron/shared/cloudtrail';
import type { IncidentTimelineFilter, TimelineEntry, TimelineSource } from '../../../electron/shared/timeline';
import { useCloudTrail } from '../stores/cloudtrail-store';
import { useCloudTrailTimeline } from '../stores/cloudtrail-timeline-store';
import { TimelineEntryRow } from './timeline-entry-row';

const ROW_HEIGHT = 34;

/**
 * The incident's one timeline: cloud calls, the database's own statements and the agent's tool calls in time order. A
 * virtualized list (only the rows on screen exist) over pages the server reads by key, so a million entries scroll as
 * smoothly as a hundred; the next page is read as the list nears the end of what it holds.
 */
export function CloudTrailTimeline({ incidentId, findings }: { incidentId: string; findings: CloudTrailFinding[] }) {
  const version = useCloudTrail((s) => s.version);
  // Until this incident's first page is read, another incident's rows must not show.
  const mine = useCloudTrailTimeline((s) => s.incidentId === incidentId);
  const status = useCloudTrailTimeline((s) => (mine ? s.status : 'loading'));
  const error = useCloudTrailTimeline((s) => (s.errorAt === null ? s.error : null));
  const filter = useCloudTrailTimeline((s) => s.filter);
  const facets = useCloudTrailTimeline((s) => s.facets);
  const count = useCloudTrailTimeline((s) => (mine ? s.count : null));
  const reading = useCloudTrailTimeline((s) => !mine || s.reading);
  const load = useCloudTrailTimeline((s) => s.load);
  const setFilter = useCloudTrailTimeline((s) => s.setFilter);

  // A new summary may mean new events: read the first page again.
  useEffect(() => {
    void load(incidentId);
  }, [incidentId, version, load]);

  const total = count?.value ?? 0;
  const counted = count ? `${total.toLocaleString()}${count.capped ? '+' : ''}` : '…';
  return (
    <div className="card" data-testid="cloudtrail-timeline" data-state={status} data-total={total} data-capped={count?.capped ? 'true' : 'false'} data-list={reading ? 'reading' : 'shown'}>
      <h2 title={count?.capped ? `Counted up to ${count.cap.toLocaleString()}: counting further would read every entry on each change of the filter.` : undefined}>
        Timeline ({counted} entries)
      </h2>
      {count && (
        <p className="hint small" data-testid="timeline-sources">
          {SOURCE_LABELS.map(([s, label]) => `${count.bySource[s].toLocaleString()}${count.capped && count.bySource[s] >= count.cap ? '+' : ''} ${label}`).join(' · ')}
        </p>
      )}
      <div className="filters">
        <select
          value={filter.sources?.length === 1 ? filter.sources[0] : ''}
          onChange={(e) => void setFilter({ sources: e.target.value ? [e.target.value as TimelineSource] : [] })}
          aria-label="Source"
          data-testid="filter-source"
        >
          <option value="">every source</option>
          {SOURCE_LABELS.map(([s, label]) => (
            <option key={s} value={s}>
              {label} only
            </option>
          ))}
        </select>
        <select value={filter.cloud ?? ''} onChange={(e) => void setFilter({ cloud: (e.target.value || undefined) as TimelineFilter['cloud'] })} aria-label="Cloud" data-testid="filter-cloud">
          <option value="">every cloud</option>
          <option value="aws">AWS (CloudTrail)</option>
          <option value="azure">Azure (Activity Log)</option>
          <option value="gcp">GCP (Cloud Audit Logs)</option>
        </select>
        <select value={filter.principal ?? ''} onChange={(e) => void setFilter({ principal: e.target.value })} aria-label="Principal" data-testid="filter-principal">
          <option value="">every principal</option>
          {facets?.principals.map((p) => (
            <option key={p.principalArn} value={p.principalArn}>
              {p.agent ? '[agent] ' : ''}
              {p.label} ({p.calls})
            </option>
          ))}
        </select>
        <select value={filter.service ?? ''} onChange={(e) => void setFilter({ service: e.target.value })} aria-label="Service" data-testid="filter-service">
          <option value="">every service</option>
          {facets?.services.map((s) => (
            <option key={s.service} value={s.service}>
              {s.service} ({s.calls})
            </option>
          ))}
        </select>
        {(
          [
            ['destructiveOnly', 'destructive'],
            ['highRiskOnly', 'high-risk'],
            ['errorsOnly', 'errors'],
            ['agentOnly', 'agent only'],
          ] as const
        ).map(([k, label]) => (
          <label key={k} className="choice">
            <input type="checkbox" checked={Boolean(filter[k])} onChange={(e) => void setFilter({ [k]: e.target.checked } as Partial<IncidentTimelineFilter>)} data-testid={`filter-${k}`} />
            {label}
          </label>
        ))}
        <input type="search" placeholder="event name, principal, statement, tool" value={filter.text ?? ''} onChange={(e) => void setFilter({ text: e.target.value })} aria-label="Search the timeline" data-testid="filter-text" />
      </div>
      {error && <p className="error" role="alert" data-testid="timeline-error">{error}</p>}
      <TimelineRows mine={mine} />
      <EventDetail findings={findings} />
    </div>
  );
}

/**
 * The list itself, apart from the heading and the filters: the facets, the count and the status arriving after the
 * first page do not render its rows again (memo: its one prop does not change with them); only new entries, the opened
 * event or scrolling do.
 */
const TimelineRows = memo(function TimelineRows({ mine }: { mine: boolean }) {
  const entries = useCloudTrailTimeline((s) => (mine ? s.entries : NONE));
  const more = useCloudTrailTimeline((s) => mine && s.next !== null);
  const detail = useCloudTrailTimeline((s) => s.detail);
  const showRows = useCloudTrailTimeline((s) => s.showRows);
  const open = useCloudTrailTimeline((s) => s.open);
  const scroller = useRef<HTMLDivElement>(null);

  // TanStack Virtual keeps its own mutable state, so the React Compiler leaves this component alone (a lint warning).
  // One more row than is read while more remain: the "reading" line at the end.
  const virtualizer = useVirtualizer({ count: entries.length + (more ? 1 : 0), getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    showRows(first, last);
  }, [first, last, entries.length, showRows]);

  return (
    <div className="timeline-scroll" ref={scroller} data-testid="timeline-scroll">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((v) => {
          const e = entries[v.index];
          const selected = e?.source === 'cloud' && e.event.eventID === detail?.eventID;
          return (
            <div
              key={v.key}
              className={`event-row source-${e?.source ?? 'pending'}${e?.source === 'cloud' && e.event.highRisk ? ' high-risk' : ''}${e?.destructive ? ' destructive' : ''}${e?.source === 'cloud' && e.event.errorCode ? ' failed' : ''}${selected ? ' selected' : ''}`}
              style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}
              onClick={() => e?.source === 'cloud' && void open(e.event.eventID)}
              data-testid="event-row"
              data-source={e?.source ?? ''}
              data-event-id={e?.source === 'cloud' ? e.event.eventID : ''}
              data-key={e?.key ?? ''}
            >
              {e ? <TimelineEntryRow entry={e} /> : <span className="sub">reading…</span>}
            </div>
          );
        })}
      </div>
    </div>
  );
});

const NONE: TimelineEntry[] = [];

const SOURCE_LABELS: ReadonlyArray<[TimelineSource, string]> = [
  ['cloud', 'cloud calls'],
  ['database', 'database statements'],
  ['agent', 'agent tool calls'],
];

function EventDetail({ findings }: { findings: CloudTrailFinding[] }) {
  const detail = useCloudTrailTimeline((s) => s.detail);
  const error = useCloudTrailTimeline((s) => (s.errorAt === 'event' ? s.error : null));
  const close = useCloudTrailTimeline((s) => s.close);
  const markSupport = useCloudTrailTimeline((s) => s.markSupport);
  const [finding, setFinding] = useState('');
  const [note, setNote] = useState('');
  if (!detail) return error ? <p className="error" role="alert" data-testid="event-error">{error}</p> : null;
  const mark = async () => {
    await markSupport(finding, note);
    setNote('');
  };
  return (
    <div className="event-detail" data-testid="event-detail" data-event-id={detail.eventID}>
      <div className="page-head">
        <h3>
          {detail.eventName} <span className="sub">{detail.eventTime}</span>
        </h3>
        <button type="button" onClick={close} data-testid="event-close">Close</button>
      </div>
      <p className="small">
        {detail.principalArn} · {detail.sourceIPAddress} · {detail.userAgent}
        {detail.errorCode ? ` · FAILED ${detail.errorCode}: ${detail.errorMessage ?? ''}` : ''}
      </p>
      {detail.rules.length > 0 && <p className="small">High-risk rules: {detail.rules.map((r) => JSON.stringify(r)).join('; ')}</p>}
      {detail.resources.length > 0 && <p className="small mono">Resources: {detail.resources.join(', ')}</p>}
      <p className="small">Evidence: {detail.evidenceIds.join(', ')}</p>
      {detail.support.map((s) => (
        <p key={s.findingId} className="small ok" data-testid="event-support">
          Supports {s.findingId} (marked by {s.markedBy}){s.note ? `: ${s.note}` : ''}
        </p>
      ))}
      {findings.length > 0 && (
        <div className="inline-form">
          <select value={finding} onChange={(e) => setFinding(e.target.value)} aria-label="Finding" data-testid="support-finding">
            <option value="">mark as supporting a finding…</option>
            {findings.map((f) => (
              <option key={f.id} value={f.id}>
                {f.id} {f.title}
              </option>
            ))}
          </select>
          <input value={note} onChange={(e) => setNote(e.target.value)} placeholder="why (optional)" aria-label="Note" data-testid="support-note" />
          <button type="button" disabled={!finding} onClick={() => void mark()} data-testid="support-mark">
            Mark
          </button>
        </div>
      )}
      {error && <p className="error" role="alert" data-testid="event-error">{error}</p>}
      <pre className="record">{JSON.stringify(detail.record, null, 2)}</pre>
    </div>
  );
}
