import { useEffect, useState } from 'react';
import type { IncidentTraces } from '../../../electron/shared/traces';
import { hasNativeDialogs } from '../api/client';
import { useChain } from '../stores/chain-store';
import { ChainAxis } from './chain-axis';
import { ChainTree } from './chain-tree';
import { FileDrop } from './file-drop';

const SOURCE_LABEL = { aws: 'AWS', azure: 'Azure', gcp: 'GCP', db: 'Database' } as const;

/** Import trace files: paths typed (browser mode reads them on the machine running Firebreak), dropped or chosen (desktop). */
function ImportTraces({ incidentId }: { incidentId: string }) {
  const importing = useChain((s) => s.importing);
  const imported = useChain((s) => s.imported);
  const error = useChain((s) => (s.errorAt === 'chain-import' ? s.error : null));
  const importPaths = useChain((s) => s.importPaths);
  const importFiles = useChain((s) => s.importFiles);
  const [paths, setPaths] = useState('');
  const electron = hasNativeDialogs();
  const list = paths.split('\n').map((p) => p.trim()).filter(Boolean);
  return (
    <div className="collect">
      <div className="inline-form">
        <label>
          Import agent traces (OpenTelemetry GenAI JSON, LangSmith runs): files {electron ? '' : '(paths on the machine running Firebreak)'}
          <textarea rows={2} value={paths} onChange={(e) => setPaths(e.target.value)} placeholder="/cases/agent/otel-traces.json (one path per line)" data-testid="chain-paths" />
        </label>
        <button type="button" className="primary" disabled={importing !== null || list.length === 0} onClick={() => void importPaths(list).then(() => setPaths(''))} data-testid="chain-import">
          {importing ? 'Importing…' : 'Import as evidence and correlate'}
        </button>
      </div>
      {electron && (
        <FileDrop
          label="…or drop trace files here"
          testId="chain-drop"
          purpose="trace-files"
          onFiles={(files) => void importFiles(files)}
          onPaths={(chosen) => void importPaths(chosen)}
        />
      )}
      {!electron && (
        <p className="hint small">
          Or from a terminal: <code className="mono">firebreak trace import {incidentId} FILE...</code>
        </p>
      )}
      {importing && <p className="hint" data-testid="chain-progress">{importing.progress ?? 'Reading the trace files…'}</p>}
      {imported && <p className="ok" data-testid="chain-imported">{imported}</p>}
      {error && <p className="error" role="alert" data-testid="chain-import-error">{error}</p>}
    </div>
  );
}

function LastWords({ chain }: { chain: IncidentTraces }) {
  const words = chain.imports.map((i) => i.lastWordsBeforeDestruction).find((w) => w !== null) ?? null;
  if (!words) return null;
  return (
    <div className="card" data-testid="chain-last-words-card">
      <h3>What the model said before the first destructive call</h3>
      <p className="sub small">
        {words.time} · secrets redacted · step <span className="mono">{words.stepId}</span>
      </p>
      <blockquote className="chain-quote" data-testid="chain-last-words">{words.text}</blockquote>
    </div>
  );
}

function Findings({ chain }: { chain: IncidentTraces }) {
  const findings = chain.imports.flatMap((i) => i.findings.map((f) => ({ ...f, importId: i.id })));
  if (!findings.length) return null;
  return (
    <div className="card">
      <h3>Findings</h3>
      <ul data-testid="chain-findings">
        {findings.map((f) => (
          <li key={`${f.importId}-${f.kind}-${f.title}`} data-testid="chain-finding" data-kind={f.kind} data-severity={f.severity}>
            <span className={f.severity === 'high' ? 'badge danger' : 'badge'}>{f.severity}</span> {f.title} <span className="sub small">({f.importId})</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Unexplained({ chain }: { chain: IncidentTraces }) {
  if (!chain.unexplained.length) return null;
  return (
    <div className="card">
      <h3>Destructive events no tool call explains</h3>
      <ul data-testid="chain-unexplained">
        {chain.unexplained.map((u) => (
          <li key={`${u.cloud}|${u.eventID}`} data-testid="chain-unexplained-event" data-source={u.cloud} data-event-id={u.eventID}>
            <span className="badge danger">no tool call explains this</span> {SOURCE_LABEL[u.cloud]} <span className="mono">{u.operation}</span>{' '}
            <span className="sub">
              {u.principal ? `by ${u.principal} ` : ''}at {u.eventTime} · <span className="mono">{u.eventID}</span>
              {u.resources.length ? ` · ${u.resources.slice(0, 2).join(', ')}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The Decision chain tab: the agent's runs on one time axis with the incident's cloud events and database changes. */
export function ChainPanel({ incidentId }: { incidentId: string }) {
  const status = useChain((s) => (s.incidentId === incidentId ? s.status : 'loading'));
  const chain = useChain((s) => (s.incidentId === incidentId ? s.chain : null));
  const error = useChain((s) => (s.errorAt === null ? s.error : null));
  const load = useChain((s) => s.load);
  useEffect(() => {
    void load(incidentId);
  }, [incidentId, load]);
  const destructive = chain?.toolCalls.filter((t) => t.destructive).length ?? 0;
  return (
    <section data-testid="chain-panel" data-state={status}>
      <div className="card">
        <h2>Decision chain</h2>
        <ImportTraces incidentId={incidentId} />
        {error && <p className="error" role="alert" data-testid="chain-error">{error}</p>}
        {chain && chain.imports.length === 0 && (
          <p className="hint" data-testid="chain-empty">
            No agent trace imported yet. Its tool calls are tied to the incident's cloud events (CloudTrail, Azure, GCP) and database changes whenever
            they arrive, before or after the trace.
          </p>
        )}
        {chain && chain.imports.length > 0 && (
          <>
            <p data-testid="chain-summary">
              {chain.runs.length} run{chain.runs.length === 1 ? '' : 's'}, {chain.toolCalls.length} tool calls ({destructive} destructive), correlated with{' '}
              {chain.cloudEvents.toLocaleString('en')} cloud events and {chain.dbStatements.toLocaleString('en')} database statements.
            </p>
            <ChainAxis chain={chain} />
          </>
        )}
      </div>
      {chain && chain.imports.length > 0 && (
        <>
          <LastWords chain={chain} />
          <Findings chain={chain} />
          <Unexplained chain={chain} />
          <div className="card">
            <h3>Runs</h3>
            <ChainTree runs={chain.runs} toolCalls={chain.toolCalls} />
          </div>
        </>
      )}
    </section>
  );
}
