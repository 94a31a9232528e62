import type { TimelineEntry } from '../../../electron/shared/timeline';

const shortTime = (iso: string) => iso.replace('T', ' ').replace('Z', '').replace(/(\.\d{3})\d+/, '$1');

function Markers({ entry }: { entry: TimelineEntry }) {
  return (
    <>
      {entry.destructive && (
        <span className="badge danger" data-testid="destructive-marker">
          destructive
        </span>
      )}
      {entry.simultaneous && (
        <span className="badge" title="Another entry fell in the same whole second and one of the two has whole seconds only; their order is unknown" data-testid="simultaneous">
          same second
        </span>
      )}
    </>
  );
}

/** One line of the incident timeline: a cloud call, a database statement or one of the agent's tool calls. */
export function TimelineEntryRow({ entry: e }: { entry: TimelineEntry }) {
  if (e.source === 'cloud') {
    const c = e.event;
    return (
      <>
        <time>{shortTime(e.at)}</time>
        <span className={`cloud cloud-${c.cloud}`}>{c.cloud}</span>
        <span className="principal" title={c.principalArn}>
          {c.agentIdentity ? <span className="badge danger">agent</span> : null} {c.principalLabel}
        </span>
        <span className="mono">{c.eventName}</span>
        <span className="sub">{c.service}</span>
        <span className="sub">{c.awsRegion}</span>
        <span>
          {c.highRisk && <span className="badge danger">high risk</span>}
          {c.errorCode && <span className="badge">{c.errorCode}</span>}
          {c.burst && <span className="badge">burst</span>}
          <Markers entry={e} />
        </span>
      </>
    );
  }
  if (e.source === 'database') {
    const s = e.statement;
    return (
      <>
        <time>{shortTime(e.at)}</time>
        <span className="cloud source-database">db</span>
        <span className="principal" title={`${s.source}, session ${s.session ?? 'unknown'}`}>
          {s.login ?? s.database ?? s.source}
        </span>
        <span className="mono">
          {s.operation}
          {s.table ? ` ${s.table}` : ''}
        </span>
        <span className="sub">{s.rows === null ? '' : `${s.rows.toLocaleString()} rows`}</span>
        <span className="sub">{s.database ?? ''}</span>
        <span className="mono small" title={s.statement}>
          <Markers entry={e} /> {s.statement}
        </span>
      </>
    );
  }
  const t = e.call;
  return (
    <>
      <time>{shortTime(e.at)}</time>
      <span className="cloud source-agent">tool</span>
      <span className="principal" title={`trace ${t.traceId}`}>
        <span className="badge danger">agent</span> tool call
      </span>
      <span className="mono">{t.name}</span>
      <span className="sub">{t.error ? 'failed' : ''}</span>
      <span className="sub" />
      <span className="small" title={t.destructiveBecause ?? ''}>
        <Markers entry={e} /> {t.destructiveBecause ?? ''}
        {t.error ? ` ${t.error}` : ''}
      </span>
    </>
  );
}
