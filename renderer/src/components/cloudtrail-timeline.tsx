import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { CloudTrailFinding, TimelineEvent, TimelineEventDetail, TimelineFilter } from '../../../electron/shared/cloudtrail';
import { api, errorText } from '../api/client';

const PAGE = 200;
const ROW_HEIGHT = 34;

type Facets = Awaited<ReturnType<typeof loadFacets>>;
const loadFacets = (incidentId: string) => api('cloudtrail.facets', { incidentId });

/**
 * Every call of the incident, newest analysis first: a virtualized list (only the rows on screen exist) over pages the
 * server filters and slices, so 100,000+ events scroll as smoothly as 100.
 */
export function CloudTrailTimeline({ incidentId, version, findings }: { incidentId: string; version: number; findings: CloudTrailFinding[] }) {
  const [filter, setFilter] = useState<TimelineFilter>({});
  const [facets, setFacets] = useState<Facets | null>(null);
  const [total, setTotal] = useState(0);
  const [pages, setPages] = useState<Map<number, TimelineEvent[]>>(new Map());
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loading = useRef(new Set<number>());
  const scroller = useRef<HTMLDivElement>(null);
  const key = useMemo(() => JSON.stringify(filter), [filter]);

  useEffect(() => {
    loadFacets(incidentId).then(setFacets, (e) => setError(errorText(e)));
  }, [incidentId, version]);

  // A new filter (or new events) starts from the first page.
  useEffect(() => {
    loading.current = new Set([0]);
    api('cloudtrail.events', { incidentId, filter, offset: 0, limit: PAGE }).then(
      (p) => {
        setTotal(p.total);
        setPages(new Map([[0, p.events]]));
        loading.current.delete(0);
      },
      (e) => setError(errorText(e)),
    );
    // key stands for filter's content
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [incidentId, key, version]);

  // TanStack Virtual keeps its own mutable state, so the React Compiler leaves this component alone (a lint warning).
  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 30 });
  const items = virtualizer.getVirtualItems();
  const firstPage = items.length ? Math.floor(items[0]!.index / PAGE) : 0;
  const lastPage = items.length ? Math.floor(items[items.length - 1]!.index / PAGE) : 0;

  useEffect(() => {
    for (let p = firstPage; p <= lastPage; p++) {
      if (pages.has(p) || loading.current.has(p)) continue;
      loading.current.add(p);
      api('cloudtrail.events', { incidentId, filter, offset: p * PAGE, limit: PAGE }).then(
        (res) => {
          loading.current.delete(p);
          setPages((m) => new Map(m).set(p, res.events));
        },
        (e) => setError(errorText(e)),
      );
    }
    // key stands for filter's content
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [firstPage, lastPage, pages, incidentId, key]);

  const row = (i: number) => pages.get(Math.floor(i / PAGE))?.[i % PAGE];
  const set = (patch: Partial<TimelineFilter>) => setFilter((f) => Object.fromEntries(Object.entries({ ...f, ...patch }).filter(([, v]) => v !== undefined && v !== '' && v !== false)) as TimelineFilter);

  return (
    <div className="card" data-testid="cloudtrail-timeline" data-total={total}>
      <h2>Timeline ({total.toLocaleString()} events)</h2>
      <div className="filters">
        <select value={filter.principal ?? ''} onChange={(e) => set({ principal: e.target.value })} aria-label="Principal" data-testid="filter-principal">
          <option value="">every principal</option>
          {facets?.principals.map((p) => (
            <option key={p.principalArn} value={p.principalArn}>
              {p.agent ? '[agent] ' : ''}
              {p.label} ({p.calls})
            </option>
          ))}
        </select>
        <select value={filter.service ?? ''} onChange={(e) => set({ service: e.target.value })} aria-label="Service" data-testid="filter-service">
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
            <input type="checkbox" checked={Boolean(filter[k])} onChange={(e) => set({ [k]: e.target.checked })} data-testid={`filter-${k}`} />
            {label}
          </label>
        ))}
        <input type="search" placeholder="event name, resource, IP" value={filter.text ?? ''} onChange={(e) => set({ text: e.target.value })} aria-label="Search events" />
      </div>
      {error && <p className="error">{error}</p>}
      <div className="timeline-scroll" ref={scroller} data-testid="timeline-scroll">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((v) => {
            const e = row(v.index);
            return (
              <div
                key={v.key}
                className={`event-row${e?.highRisk ? ' high-risk' : ''}${e?.errorCode ? ' failed' : ''}${e?.eventID === selected ? ' selected' : ''}`}
                style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}
                onClick={() => e && setSelected(e.eventID)}
                data-testid="event-row"
                data-event-id={e?.eventID ?? ''}
              >
                {e ? (
                  <>
                    <time>{e.eventTime.replace('T', ' ').replace('Z', '')}</time>
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
      {selected && <EventDetail incidentId={incidentId} eventId={selected} findings={findings} onClose={() => setSelected(null)} />}
    </div>
  );
}

function EventDetail({ incidentId, eventId, findings, onClose }: { incidentId: string; eventId: string; findings: CloudTrailFinding[]; onClose: () => void }) {
  const [detail, setDetail] = useState<TimelineEventDetail | null>(null);
  const [finding, setFinding] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api('cloudtrail.event', { incidentId, eventId }).then(setDetail, (e) => setError(errorText(e)));
  }, [incidentId, eventId]);
  if (!detail) return error ? <p className="error">{error}</p> : null;
  const mark = async () => {
    try {
      const support = await api('cloudtrail.markSupport', { incidentId, eventId, findingId: finding, ...(note.trim() ? { note: note.trim() } : {}) });
      setDetail({ ...detail, support });
      setNote('');
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <div className="event-detail" data-testid="event-detail">
      <div className="page-head">
        <h3>
          {detail.eventName} <span className="sub">{detail.eventTime}</span>
        </h3>
        <button type="button" onClick={onClose}>Close</button>
      </div>
      <p className="small">
        {detail.principalArn} · {detail.sourceIPAddress} · {detail.userAgent}
        {detail.errorCode ? ` · FAILED ${detail.errorCode}: ${detail.errorMessage ?? ''}` : ''}
      </p>
      {detail.rules.length > 0 && <p className="small">High-risk rules: {detail.rules.map((r) => JSON.stringify(r)).join('; ')}</p>}
      {detail.resources.length > 0 && <p className="small mono">Resources: {detail.resources.join(', ')}</p>}
      <p className="small">Evidence: {detail.evidenceIds.join(', ')}</p>
      {detail.support.map((s) => (
        <p key={s.findingId} className="small ok">
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
          <input value={note} onChange={(e) => setNote(e.target.value)} placeholder="why (optional)" aria-label="Note" />
          <button type="button" disabled={!finding} onClick={() => void mark()} data-testid="support-mark">
            Mark
          </button>
        </div>
      )}
      {error && <p className="error">{error}</p>}
      <pre className="record">{JSON.stringify(detail.record, null, 2)}</pre>
    </div>
  );
}
