import type { IncidentTraces } from '../../../electron/shared/traces';

interface Mark {
  key: string;
  at: number;
  label: string;
  destructive: boolean;
  linked: boolean;
}

/**
 * The chain on one time axis: the agent's tool calls, the incident's cloud events and its database changes, each a
 * lane, so a deletion right after a call (or with no call near it) is seen at a glance. Hovering a mark names it.
 */
export function ChainAxis({ chain }: { chain: IncidentTraces }) {
  const { axis } = chain;
  if (!axis.start || !axis.end) return null;
  const from = Date.parse(axis.start);
  const span = Math.max(1, Date.parse(axis.end) - from);
  const x = (ms: number) => `${Math.min(100, Math.max(0, ((ms - from) / span) * 100)).toFixed(2)}%`;
  const linked = new Set(chain.toolCalls.flatMap((t) => t.correlated.map((c) => `${c.cloud}|${c.eventID}`)));
  const lanes: Array<{ id: string; label: string; marks: Mark[] }> = [
    {
      id: 'agent',
      label: 'Tool calls',
      marks: chain.toolCalls.map((t) => ({
        key: `${t.traceId}/${t.id}`,
        at: Date.parse(t.start),
        label: `${t.start} ${t.name}${t.destructive ? ' (destructive)' : ''}`,
        destructive: t.destructive,
        linked: t.correlated.length > 0,
      })),
    },
    ...(['cloud', 'db'] as const).map((lane) => ({
      id: lane,
      label: lane === 'cloud' ? 'Cloud events' : 'Database changes',
      marks: axis.events
        .filter((e) => (lane === 'db' ? e.source === 'db' : e.source !== 'db'))
        .map((e) => ({
          key: `${e.source}|${e.id}`,
          at: Date.parse(e.time),
          label: `${e.time} ${e.source} ${e.operation}${e.resource ? ` ${e.resource}` : ''}${e.principal ? ` by ${e.principal}` : ''}`,
          destructive: e.destructive,
          linked: linked.has(`${e.source}|${e.id}`),
        })),
    })),
  ];
  return (
    <div className="chain-axis" data-testid="chain-axis">
      <div className="sub small">
        {axis.start} to {axis.end}
        {axis.total > axis.events.length ? ` · ${axis.events.length} of ${axis.total.toLocaleString('en')} events shown: those the chain ties or leaves unexplained` : ''}
      </div>
      {lanes.map((lane) => (
        <div key={lane.id} className="chain-lane" data-testid={`chain-lane-${lane.id}`} data-count={lane.marks.length}>
          <span className="chain-lane-label small">{lane.label}</span>
          <span className="chain-lane-track">
            {lane.marks.map((m) => (
              <span
                key={m.key}
                className={`chain-mark${m.destructive ? ' destructive' : ''}${m.linked ? ' linked' : ''}`}
                style={{ left: x(m.at) }}
                title={m.label}
                aria-label={m.label}
                data-testid="chain-mark"
              />
            ))}
          </span>
        </div>
      ))}
    </div>
  );
}
