import type { CorrelatedEvent, TraceRun, TraceStep, TraceToolCall } from '../../../electron/shared/traces';

/** Links shown under a call before the rest fold away (core keeps the strongest 25 per call). */
const LINKS_SHOWN = 5;

const KIND_LABEL: Record<TraceStep['kind'], string> = { agent: 'agent', model: 'model', tool: 'tool', other: 'step' };
const CLOUD_LABEL: Record<CorrelatedEvent['cloud'], string> = { aws: 'AWS', azure: 'Azure', gcp: 'GCP', db: 'Database' };

/** Seconds from the run's start, so the steps of one run read on one axis. */
const offset = (runStart: string, at: string) => `+${((Date.parse(at) - Date.parse(runStart)) / 1000).toFixed(1)} s`;

/** One cloud event or database change tied to a tool call: what, where, why, and how sure. */
function Correlated({ c }: { c: CorrelatedEvent }) {
  const what = c.cloud === 'db' ? `${c.operation}${c.table ? ` ${c.table}` : ''}${c.rows !== null && c.rows !== undefined ? ` (${c.rows} rows)` : ''}` : c.operation;
  return (
    <li data-testid="chain-correlated" data-source={c.cloud} data-event-id={c.eventID} data-confidence={c.confidence}>
      <span className={`badge conf-${c.confidence}`}>{c.confidence}</span> {CLOUD_LABEL[c.cloud]} <span className="mono">{what}</span>{' '}
      <span className="sub">
        {c.principal ? `by ${c.principal} ` : ''}at {c.eventTime} · <span className="mono">{c.eventID}</span> · because: {c.reasons.join(', ')}
      </span>
      {c.statement && <div className="mono small chain-text">{c.statement}</div>}
    </li>
  );
}

function StepBody({ step, call }: { step: TraceStep; call: TraceToolCall | undefined }) {
  return (
    <>
      {step.text && <div className="chain-text small" data-testid="chain-model-text">{step.text}</div>}
      {step.arguments && <div className="mono small chain-text">arguments: {step.arguments}</div>}
      {step.error && <div className="error-text small">error: {step.error}</div>}
      {call?.destructive && <div className="small sub">destructive: {call.destructiveBecause}</div>}
      {call &&
        (call.correlated.length ? (
          <ul className="chain-links">
            {call.correlated.slice(0, LINKS_SHOWN).map((c) => (
              <Correlated key={`${c.cloud}|${c.eventID}`} c={c} />
            ))}
            {call.correlated.length > LINKS_SHOWN && (
              <li className="chain-more">
                <details>
                  <summary className="small">{call.correlated.length - LINKS_SHOWN} weaker or later links</summary>
                  <ul className="chain-links">
                    {call.correlated.slice(LINKS_SHOWN).map((c) => (
                      <Correlated key={`${c.cloud}|${c.eventID}`} c={c} />
                    ))}
                  </ul>
                </details>
              </li>
            )}
          </ul>
        ) : (
          <div className="small sub" data-testid="chain-uncorrelated">No cloud event or database change tied to this call.</div>
        ))}
    </>
  );
}

/** A step and its children: a node with children folds open and shut; a leaf is a row. */
function Step({ step, runStart, calls }: { step: TraceStep; runStart: string; calls: ReadonlyMap<string, TraceToolCall> }) {
  const call = step.kind === 'tool' ? calls.get(`${step.traceId}/${step.id}`) : undefined;
  const head = (
    <>
      <span className="mono sub">{offset(runStart, step.start)}</span> <span className={`badge kind-${step.kind}`}>{KIND_LABEL[step.kind]}</span>{' '}
      <span className="mono">{step.tool ?? step.name}</span>
      {call?.destructive && <span className="badge danger">destructive</span>}
    </>
  );
  const attrs = { 'data-testid': 'chain-step', 'data-kind': step.kind, 'data-name': step.tool ?? step.name, 'data-destructive': call?.destructive ? 'true' : 'false' };
  if (step.children.length === 0) {
    return (
      <li className="chain-step" {...attrs}>
        {head}
        <StepBody step={step} call={call} />
      </li>
    );
  }
  return (
    <li className="chain-step" {...attrs}>
      <details open>
        <summary data-testid="chain-step-toggle">{head}</summary>
        <StepBody step={step} call={call} />
        <ul className="chain-children">
          {step.children.map((c) => (
            <Step key={c.id} step={c} runStart={runStart} calls={calls} />
          ))}
        </ul>
      </details>
    </li>
  );
}

/** Each agent run as a collapsible tree: agent, model turns, tool calls, each call with what it is tied to. */
export function ChainTree({ runs, toolCalls }: { runs: readonly TraceRun[]; toolCalls: readonly TraceToolCall[] }) {
  const calls = new Map(toolCalls.map((t) => [`${t.traceId}/${t.id}`, t]));
  return (
    <div data-testid="chain-runs">
      {runs.map((run) => (
        <details key={run.traceId} open className="chain-run" data-testid="chain-run" data-agent={run.agent}>
          <summary data-testid="chain-run-toggle">
            <strong>{run.agent}</strong>{' '}
            <span className="sub">
              {run.format === 'otlp' ? 'OpenTelemetry' : 'LangSmith'} · {run.steps} steps · {run.start} to {run.end ?? 'unfinished'} · trace <span className="mono">{run.traceId}</span>
            </span>
          </summary>
          <ul className="chain-children">
            {run.root.map((s) => (
              <Step key={s.id} step={s} runStart={run.start} calls={calls} />
            ))}
          </ul>
        </details>
      ))}
    </div>
  );
}
