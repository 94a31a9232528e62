import { plural } from '../../../shared/plural';
import { type IncidentReportModel, type PhaseActions, analysingNote } from '../../../shared/reports';
import { GAP_STATE_CLASS, bytes, stateLabel, storeGateLines, utc, who } from '../format';
import { EvidenceRefs, Overrides, Section, SignatureCard } from './common';
import { DatabaseLog } from './database-log';
import { DestructiveCallsAppendix } from './destructive-calls';
import { EvidenceManifest } from './evidence-manifest';
import { ActivityChartSvg } from './activity-chart-svg';
import { IamSection } from './iam-section';
import { ScopeOfLossSection } from './scope-of-loss';
import { FindingsTable } from './findings-table';
import { UnreadLogs } from './unread-logs-html';

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

/** The watch after Recovery: its window and each check, so a closed incident still shows it was watched. */
function Monitoring({ m }: { m: IncidentReportModel }) {
  if (!m.monitoring) return null;
  const w = m.monitoring;
  return (
    <>
      <h3>Monitoring after Recovery</h3>
      <p>
        Watched from {utc(w.startedAt)} to {utc(w.endsAt)}: {plural(w.checks.length, 'check')} logged, {plural(w.checks.filter((c) => c.result === 'alert').length, 'alert')}.
      </p>
      {w.checks.length ? (
        <table>
          <thead>
            <tr>
              <th>When</th>
              <th>Result</th>
              <th>By</th>
              <th>What was checked</th>
            </tr>
          </thead>
          <tbody>
            {w.checks.map((c) => (
              <tr key={`${c.at}-${c.note}`}>
                <td>{utc(c.at)}</td>
                <td className={c.result === 'alert' ? 'bad' : ''}>{c.result}</td>
                <td>{c.by}</td>
                <td>{c.note}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

export function IncidentBody({ m }: { m: IncidentReportModel }) {
  return (
    <>
      <Section title="Summary" id="summary">
        <p className="overview">{m.summary.overview}</p>
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
            {m.keyTimeline.map((e, i) => (
              // Several rows share a kind (each destructive call is one); the position keeps them apart.
              <tr key={`${e.kind}-${i}`}>
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
        <Monitoring m={m} />
      </Section>
      <Section title="Cloud log findings" id="cloudtrail">
        {m.cloudtrail ? (
          <>
            {m.cloudtrail.analysing ? (
              <div className="callout" data-testid="report-analysing">
                <span className="label">NOT FINAL</span>
                {analysingNote(m.cloudtrail.analysing.since)}
              </div>
            ) : null}
            <p>
              {m.cloudtrail.events} events from {utc(m.cloudtrail.firstEventTime)} to {utc(m.cloudtrail.lastEventTime)}; agent identities:{' '}
              {m.cloudtrail.agentIdentities.join(', ') || 'none declared'}.
            </p>
            {m.cloudtrail.activity ? <ActivityChartSvg data={m.cloudtrail.activity} /> : null}
            <FindingsTable findings={m.cloudtrail.findings} />
          </>
        ) : (
          <p>No cloud audit-log activity (CloudTrail, Azure Activity Log, GCP Cloud Audit Logs) has been collected for this incident.</p>
        )}
      </Section>
      <Section title="Database logs: what the databases recorded" id="database-log">
        <DatabaseLog log={m.databaseLog} />
      </Section>
      <IamSection m={m} />
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
                <th>About</th>
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
                  <td className="small">{r.about ?? r.target ?? '—'}</td>
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
      <ScopeOfLossSection diffs={m.scopeOfLoss} />
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
        <EvidenceManifest items={m.evidence.items} />
        <UnreadLogs m={m} />
        <Secrets m={m} />
      </Section>
      <DestructiveCallsAppendix d={m.destructiveCalls} />
    </>
  );
}

/** Secrets the intake scan found, redacted: legal needs to know credentials sit in the evidence, never the credentials. */
function Secrets({ m }: { m: IncidentReportModel }) {
  const found = m.evidence.secrets ?? [];
  if (found.length === 0) return null;
  return (
    <>
      <h3>Secrets found in evidence</h3>
      <p>{plural(found.length, 'secret')} found by the intake scan, shown redacted; rotate each and keep the evidence access-controlled.</p>
      <table>
        <thead>
          <tr>
            <th>Item</th>
            <th>Kind</th>
            <th>Where</th>
            <th>Redacted</th>
          </tr>
        </thead>
        <tbody>
          {found.map((x) => (
            <tr key={`${x.itemId}-${x.label}-${x.line}`}>
              <td>
                {x.itemId} {x.itemName}
              </td>
              <td>{x.label}</td>
              <td>
                line {x.line}
                {x.occurrences > 1 ? ` (${x.occurrences} times)` : ''}
              </td>
              <td className="hash">{x.redacted}</td>
            </tr>
          ))}
        </tbody>
      </table>
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
            <th>Database changes tied to it</th>
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
              <td className="small">{c.databaseChanges?.join('; ') || 'none found'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {t.unexplained?.length ? (
        <>
          <p>Destructive events no tool call explains:</p>
          <ul className="small">
            {t.unexplained.map((u) => (
              <li key={u}>{u}</li>
            ))}
          </ul>
        </>
      ) : null}
    </Section>
  );
}
