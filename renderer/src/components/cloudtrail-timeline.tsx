import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import type { CloudTrailFinding, TimelineFilter } from '../../../electron/shared/cloudtrail';
import { useCloudTrail } from '../stores/cloudtrail-store';
import { TIMELINE_PAGE, useCloudTrailTimeline } from '../stores/cloudtrail-timeline-store';

const ROW_HEIGHT = 34;

/**
 * Every call of the incident, newest analysis first: a virtualized list (only the rows on screen exist) over pages the
 * server filters and slices, so 100,000+ events scroll as smoothly as 100.
 */
export function CloudTrailTimeline({ incidentId, findings }: { incidentId: string; findings: CloudTrailFinding[] }) {
  const version = useCloudTrail((s) => s.version);
  // Until this incident's first page is read, another incident's rows must not show.
  const mine = useCloudTrailTimeline((s) => s.incidentId === incidentId);
  const status = useCloudTrailTimeline((s) => (mine ? s.status : 'loading'));
  const error = useCloudTrailTimeline((s) => (s.errorAt === null ? s.error : null));
  const filter = useCloudTrailTimeline((s) => s.filter);
  const facets = useCloudTrailTimeline((s) => s.facets);
  const total = useCloudTrailTimeline((s) => (mine ? s.total : 0));
  const pages = useCloudTrailTimeline((s) => s.pages);
  const detail = useCloudTrailTimeline((s) => s.detail);
  const load = useCloudTrailTimeline((s) => s.load);
  const setFilter = useCloudTrailTimeline((s) => s.setFilter);
  const showRows = useCloudTrailTimeline((s) => s.showRows);
  const open = useCloudTrailTimeline((s) => s.open);
  const scroller = useRef<HTMLDivElement>(null);

  // A new summary may mean new events: read the facets and the first page again.
  useEffect(() => {
    void load(incidentId);
  }, [incidentId, version, load]);

  // TanStack Virtual keeps its own mutable state, so the React Compiler leaves this component alone (a lint warning).
  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 30 });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    showRows(first, last);
  }, [first, last, total, showRows]);

  const row = (i: number) => pages.get(Math.floor(i / TIMELINE_PAGE))?.[i % TIMELINE_PAGE];

  return (
    <div className="card" data-testid="cloudtrail-timeline" data-state={status} data-total={total}>
      <h2>Timeline ({total.toLocaleString()} events)</h2>
      <div className="filters">
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
            ['highRiskOnly', 'high-risk'],
            ['errorsOnly', 'errors'],
            ['agentOnly', 'agent only'],
          ] as const
        ).map(([k, label]) => (
          <label key={k} className="choice">
            <input type="checkbox" checked={Boolean(filter[k])} onChange={(e) => void setFilter({ [k]: e.target.checked } as Partial<TimelineFilter>)} data-testid={`filter-${k}`} />
            {label}
          </label>
        ))}
        <input type="search" placeholder="event name, resource, IP" value={filter.text ?? ''} onChange={(e) => void setFilter({ text: e.target.value })} aria-label="Search events" data-testid="filter-text" />
      </div>
      {error && <p className="error" role="alert" data-testid="timeline-error">{error}</p>}
      <div className="timeline-scroll" ref={scroller} data-testid="timeline-scroll">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((v) => {
            const e = row(v.index);
            return (
              <div
                key={v.key}
                className={`event-row${e?.highRisk ? ' high-risk' : ''}${e?.errorCode ? ' failed' : ''}${e && e.eventID === detail?.eventID ? ' selected' : ''}`}
                style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}
                onClick={() => e && void open(e.eventID)}
                data-testid="event-row"
                data-event-id={e?.eventID ?? ''}
              >
                {e ? (
                  <>
                    <time>{e.eventTime.replace('T', ' ').replace('Z', '').replace(/(\.\d{3})\d+/, '$1')}</time>
                    <span className={`cloud cloud-${e.cloud}`}>{e.cloud}</span>
                    <span className="principal" title={e.principalArn}>
                      {e.agentIdentity ? <span className="badge danger">agent</span> : null} {e.principalLabel}
                    </span>
                    <span className="mono">{e.eventName}</span>
                    <span className="sub">{e.service}</span>
                    <span className="sub">{e.awsRegion}</span>
                    <span>
                      {e.highRisk && <span className="badge danger">high risk</span>}
                      {e.errorCode && <span className="badge">{e.errorCode}</span>}
                      {e.burst && <span className="badge">burst</span>}
                      {e.simultaneous && (
                        <span className="badge" title="Another call fell in the same whole second; CloudTrail cannot tell which came first" data-testid="simultaneous">
                          same second
                        </span>
                      )}
                    </span>
                  </>
                ) : (
                  <span className="sub">…</span>
                )}
              </div>
            );
          })}
        </div>
      </div>
      <EventDetail findings={findings} />
    </div>
  );
}

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
