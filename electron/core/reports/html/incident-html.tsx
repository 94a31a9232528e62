import type { IncidentReportModel, PhaseActions } from '../../../shared/reports';
import { GAP_STATE_CLASS, bytes, stateLabel, storeGateLines, utc, who } from '../format';
import { EvidenceRefs, Overrides, Section, SignatureCard } from './common';

/**
 * Chromium lays out one huge table far more slowly than many small ones when printing (a 10,000-row manifest: about
 * 30 s against 11 s), so the manifest is printed as consecutive tables of this many rows, each with its header.
 */
const EVIDENCE_ROWS_PER_TABLE = 500;

const chunks = <T,>(list: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out.length ? out : [[]];
};

function Phase({ p }: { p: PhaseActions }) {
  return (
    <>
      <h3>
        {p.title}: {p.status === 'closed' ? `closed ${utc(p.closedAt)} by ${who(p.closedBy)}` : 'open'}
        {p.override ? <span className="bad"> · CLOSED WITH OVERRIDE</span> : null}
      </h3>
      {p.override ? (
        <div className="callout">
          <span className="label">OVERRIDE</span> {p.override.justification}
          {p.override.waived.length ? <div className="small">Waived: {p.override.waived.join('; ')}</div> : null}
        </div>
      ) : null}
      <table>
        <thead>
          <tr>
            <th>Step</th>
            <th>Status</th>
            <th>By</th>
            <th>When</th>
            <th>Notes and evidence</th>
          </tr>
        </thead>
        <tbody>
          {p.steps.map((s) => (
            <tr key={s.id}>
              <td>
                {s.title}
                <div className="small muted">
                  {s.id} · {s.kind}
                  {s.required ? ' · required' : ''}
                </div>
              </td>
              <td className={s.status === 'done' ? 'ok' : s.status === 'na' ? 'muted' : s.required ? 'bad' : 'muted'}>
                {s.status === 'done' ? 'Done' : s.status === 'na' ? 'Not applicable' : 'Not done'}
              </td>
              <td>{who(s.by)}</td>
              <td>{utc(s.at)}</td>
              <td>
                {s.answers.length ? <div>Decided: {s.answers.join('; ')}</div> : null}
                {s.reason ? <div>Reason: {s.reason}</div> : null}
                {s.note ? <div className="small">{s.note}</div> : null}
                {s.evidence.length ? <EvidenceRefs items={s.evidence} /> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function IncidentBody({ m }: { m: IncidentReportModel }) {
  return (
    <>
      <Section title="Summary" id="summary">
        <p className="overview">{m.summary.overview}</p>
        <p>{m.summary.playbookSummary}</p>
        <table className="meta">
          <tbody>
            {m.summary.facts.map((f) => (
              <tr key={f.label}>
                <th>{f.label}</th>
                <td>{f.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section title="Overrides" id="overrides">
        <Overrides overrides={m.overrides} />
      </Section>
      <Section title="Timeline: deployment, destructive action, detection, containment" id="timeline">
        <table>
          <thead>
            <tr>
              <th>When</th>
              <th>What</th>
              <th>Established by</th>
            </tr>
          </thead>
          <tbody>
            {m.keyTimeline.map((e) => (
              <tr key={e.kind}>
                <td className={e.at ? '' : 'bad'}>{e.at ? utc(e.at) : 'not established'}</td>
                <td>{e.label}</td>
                <td>{e.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section title="Actions per phase" id="actions">
        {m.phases.map((p) => (
          <Phase key={p.id} p={p} />
        ))}
        {m.escalations.length ? (
          <>
            <h3>Escalations</h3>
            <ul>
              {m.escalations.map((e) => (
                <li key={e.id}>
                  {utc(e.raisedAt)}: notify {e.notify.join(', ')} (raised by {e.raisedBy}). {e.when}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {m.clocks.length ? (
          <>
            <h3>Notification clocks</h3>
            <table>
              <thead>
                <tr>
                  <th>Regime</th>
                  <th>Rule</th>
                  <th>Status</th>
                  <th>Due</th>
                  <th>Notified</th>
                </tr>
              </thead>
              <tbody>
                {m.clocks.map((c) => (
                  <tr key={c.regime}>
                    <td>{c.regime}</td>
                    <td>{c.rule}</td>
                    <td className={c.status === 'overdue' ? 'bad' : ''}>{c.status}</td>
                    <td>{utc(c.dueAt)}</td>
                    <td>{utc(c.notifiedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : null}
      </Section>
      <Section title="CloudTrail findings" id="cloudtrail">
        {m.cloudtrail ? (
          <>
            <p>
              {m.cloudtrail.events} events from {utc(m.cloudtrail.firstEventTime)} to {utc(m.cloudtrail.lastEventTime)}; agent identities:{' '}
              {m.cloudtrail.agentIdentities.join(', ') || 'none declared'}.
            </p>
            <table>
              <thead>
                <tr>
                  <th>Finding</th>
                  <th>Severity</th>
                  <th>Principal</th>
                  <th>ATT&amp;CK</th>
                  <th>First / last</th>
                  <th className="num">Events</th>
                </tr>
              </thead>
              <tbody>
                {m.cloudtrail.findings.map((f) => (
                  <tr key={f.id}>
                    <td>
                      {f.title}
                      <div className="small muted">
                        {f.id} · {f.kind}
                      </div>
                    </td>
                    <td className={f.severity === 'critical' || f.severity === 'high' ? 'bad' : ''}>{f.severity}</td>
                    <td className="small">{f.principalArn ?? '—'}</td>
                    <td>{f.attack.join(', ')}</td>
                    <td className="small">
                      {utc(f.firstAt)}
                      <br />
                      {utc(f.lastAt)}
                    </td>
                    <td className="num">{f.events}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : (
          <p>No CloudTrail activity has been collected for this incident.</p>
        )}
      </Section>
      {m.agentTraces ? <AgentTraces t={m.agentTraces} /> : null}
      <Section title="Validation results" id="validation">
        <p>Affected data stores (the sign-off gate needs a complete match for each):</p>
        <ul>
          {storeGateLines(m.validation.stores).map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
        {m.validation.runs.length ? (
          <table>
            <thead>
              <tr>
                <th>Run</th>
                <th>Kind</th>
                <th>Verdict</th>
                <th>Target</th>
                <th>Finished</th>
                <th>Result</th>
              </tr>
            </thead>
            <tbody>
              {m.validation.runs.map((r) => (
                <tr key={r.id}>
                  <td>{r.id}</td>
                  <td>{r.kind}</td>
                  <td className={r.verdict === 'match' || r.verdict === 'ok' ? 'ok' : r.verdict === 'mismatch' || r.verdict === 'problem' ? 'bad' : ''}>
                    {r.verdict ?? r.status}
                  </td>
                  <td className="small">{r.target ?? '—'}</td>
                  <td>{utc(r.finishedAt)}</td>
                  <td className="small">
                    {r.summary ?? ''}
                    {r.resultSha256 ? <div className="hash">sha256 {r.resultSha256}</div> : null}
                    {r.evidenceId ? <div>{r.evidenceId}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="bad">No database validation has been run for this incident.</p>
        )}
      </Section>
      <Section title="Control gaps" id="gaps">
        <table>
          <thead>
            <tr>
              <th>Control</th>
              <th>State</th>
              <th>Gap</th>
              <th>Owner</th>
              <th>Due</th>
            </tr>
          </thead>
          <tbody>
            {m.gaps.map((g) => (
              <tr key={g.label}>
                <td>
                  {g.label} {g.title}
                </td>
                <td className={GAP_STATE_CLASS[g.state ?? 'unassessed']}>{stateLabel(g.state)}</td>
                <td>{g.gap ?? ''}</td>
                <td>{g.owner ?? ''}</td>
                <td>{g.dueDate ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section title="Sign-offs" id="signoffs">
        {m.signOffs.missing.length ? (
          <ul>
            {m.signOffs.missing.map((x) => (
              <li key={x} className="bad">
                {x}
              </li>
            ))}
          </ul>
        ) : null}
        {m.signOffs.records.length ? m.signOffs.records.map((s) => <SignatureCard key={s.id} s={s} />) : <p>Nobody has signed yet.</p>}
      </Section>
      <Section title="Evidence manifest" id="evidence">
        <p>
          {m.evidence.items.length} items, {bytes(m.evidence.totalBytes)}.
          {m.evidence.reportsNotListed ? ` ${m.evidence.reportsNotListed} reports Firebreak generated are kept as evidence too and are not listed here.` : ''}
        </p>
        {chunks(m.evidence.items, EVIDENCE_ROWS_PER_TABLE).map((part, k) => (
          <table key={k} className="chunk">
            <thead>
              <tr>
                <th>Item</th>
                <th>Name</th>
                <th>SHA-256</th>
                <th className="num">Size</th>
                <th>Acquired</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {part.map((e) => (
                <tr key={e.id}>
                  <td>{e.id}</td>
                  <td>
                    {e.name}
                    <div className="small muted">
                      {e.sourceKind}
                      {e.linkedSteps.length ? ` · ${e.linkedSteps.join(', ')}` : ''}
                    </div>
                  </td>
                  <td className="hash">{e.sha256}</td>
                  <td className="num">{bytes(e.size)}</td>
                  <td className="small">
                    {utc(e.acquiredAt)}
                    <br />
                    {who(e.acquiredBy)}
                  </td>
                  <td className={e.status === 'intact' ? 'ok' : 'bad'}>{e.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </Section>
    </>
  );
}

/** The agent's decision chain from its imported traces: its words before the first destructive call, findings, destructive calls. */
function AgentTraces({ t }: { t: NonNullable<IncidentReportModel['agentTraces']> }) {
  return (
    <Section title="The agent's decision chain" id="agent-traces">
      <p>
        {t.runs} run{t.runs === 1 ? '' : 's'}, {t.toolCalls} tool calls ({t.destructive} destructive), imported as{' '}
        {t.imports.map((i) => `${i.id} (${i.evidenceIds.join(', ')})`).join(', ')}.
      </p>
      {t.lastWordsBeforeDestruction ? (
        <>
          <p>What the model said before the first destructive call ({utc(t.lastWordsBeforeDestruction.time)}):</p>
          <blockquote className="small">{t.lastWordsBeforeDestruction.text}</blockquote>
        </>
      ) : null}
      {t.findings.length ? (
        <ul>
          {t.findings.map((f) => (
            <li key={f.title}>
              <span className={f.severity === 'high' ? 'bad' : ''}>{f.severity}</span> {f.title}
            </li>
          ))}
        </ul>
      ) : null}
      <table>
        <thead>
          <tr>
            <th>Destructive tool call</th>
            <th>Started</th>
            <th>Why destructive</th>
            <th>Cloud events tied to it</th>
          </tr>
        </thead>
        <tbody>
          {t.calls.map((c) => (
            <tr key={`${c.name}-${c.start}`}>
              <td>
                {c.name}
                {c.arguments ? <div className="small muted">{c.arguments}</div> : null}
              </td>
              <td className="small">{utc(c.start)}</td>
              <td className="small">{c.because ?? '—'}</td>
              <td className="small">{c.correlated.join('; ') || 'none found'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}
