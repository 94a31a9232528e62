import { useCallback, useEffect, useState } from 'react';
import type { FindingsSummary } from '../../../electron/shared/cloudtrail';
import { api, chooseFiles, errorText, hasNativeDialogs } from '../api/client';
import { CloudTrailTimeline } from './cloudtrail-timeline';

/** What the agent identities did: findings, blast radius and cadence, then every call in a filterable timeline. */
export function CloudTrailPanel({ incidentId }: { incidentId: string }) {
  const [summary, setSummary] = useState<FindingsSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const refresh = useCallback(
    () =>
      api('cloudtrail.summary', { incidentId }).then(
        (s) => {
          setSummary(s);
          setVersion((v) => v + 1);
        },
        (e) => setError(errorText(e)),
      ),
    [incidentId],
  );
  useEffect(() => {
    refresh();
  }, [refresh]);

  const run = async (label: string, fn: () => Promise<unknown>) => {
    setBusy(label);
    setError(null);
    try {
      await fn();
      await refresh();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section data-testid="cloudtrail-panel" data-state={summary ? 'ready' : 'loading'}>
      <div className="card">
        <h2>CloudTrail</h2>
        {summary && (
          <p className="hint" data-testid="cloudtrail-summary">
            {summary.events.toLocaleString()} events from {summary.principals} principals
            {summary.firstEventTime ? `, ${new Date(summary.firstEventTime).toUTCString()} to ${new Date(summary.lastEventTime ?? summary.firstEventTime).toUTCString()}` : ''}. Agent
            identities: {summary.agentIdentities.join(', ') || 'none declared (set the agent parameters)'}.
          </p>
        )}
        <CollectForms incidentId={incidentId} busy={busy} run={run} />
        {error && <p className="error" role="alert" data-testid="cloudtrail-error">{error}</p>}
      </div>
      {summary && summary.findings.length > 0 && (
        <div className="card" data-testid="cloudtrail-findings">
          <h2>Findings ({summary.findings.length})</h2>
          <div className="findings-scroll">
          <table className="grid">
            <tbody>
              {summary.findings.map((f) => (
                <tr key={f.id} data-testid="finding" data-kind={f.kind}>
                  <td className="mono">{f.id}</td>
                  <td>
                    <span className={`sev sev-${f.severity}`}>{f.severity}</span>
                  </td>
                  <td>
                    {f.title}
                    <div className="sub small">{f.principalArn}</div>
                  </td>
                  <td className="small">{f.attack.join(' ')}</td>
                  <td className="small">{f.firstAt ? new Date(f.firstAt).toUTCString() : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
        </div>
      )}
      {summary?.agents.map((a) => (
        <div key={a.agentIdentity} className="card" data-testid="blast-radius">
          <h2>
            Blast radius of <span className="mono">{a.agentIdentity}</span>
          </h2>
          <p>
            {a.calls} calls across {a.services.length} services and {a.regions.length} regions. Cadence: <strong data-testid="cadence-verdict">{a.cadence.verdict}</strong>
            {a.cadence.medianIntervalSeconds !== null ? ` (median gap ${a.cadence.medianIntervalSeconds.toFixed(2)} s, ${Math.round(a.cadence.subSecondShare * 100)}% under a second)` : ''}.
          </p>
          <ul className="small">
            {a.cadence.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
          {a.firstDestructive.length > 0 && (
            <>
              <h3>First destructive calls</h3>
              <ul className="small mono">
                {a.firstDestructive.slice(0, 10).map((d) => (
                  <li key={d.eventID}>
                    {d.eventTime} {d.eventName} ({d.eventSource}){d.errorCode ? ` FAILED: ${d.errorCode}` : ''}
                  </li>
                ))}
              </ul>
            </>
          )}
          <p className="small">
            Services: {a.services.map((s) => `${s.service} (${s.calls}${s.destructive ? `, ${s.destructive} destructive` : ''})`).join('; ')}
          </p>
        </div>
      ))}
      <CloudTrailTimeline incidentId={incidentId} version={version} findings={summary?.findings ?? []} />
    </section>
  );
}

function CollectForms({ incidentId, busy, run }: { incidentId: string; busy: string | null; run: (label: string, fn: () => Promise<unknown>) => Promise<void> }) {
  const [paths, setPaths] = useState('');
  const [regions, setRegions] = useState('us-east-1');
  const [profile, setProfile] = useState('');
  const [start, setStart] = useState('');
  const [endpoint, setEndpoint] = useState('');
  const electron = hasNativeDialogs();
  const [pickError, setPickError] = useState<string | null>(null);
  /** The native dialog adds to the list: files from one folder and a whole AWSLogs/ tree from another. */
  const pick = (purpose: 'cloudtrail-files' | 'cloudtrail-folder') => {
    setPickError(null);
    chooseFiles(purpose).then(
      (chosen) => chosen?.length && setPaths((p) => [...p.split('\n').map((x) => x.trim()).filter(Boolean), ...chosen].join('\n')),
      (e) => setPickError(errorText(e)),
    );
  };
  const pull = (kind: 'cloudtrail.pull' | 'cloudtrail.monitoringCheck') => ({
    incidentId,
    regions: regions.split(/[\s,]+/).filter(Boolean),
    ...(profile.trim() ? { profile: profile.trim() } : {}),
    ...(start.trim() && kind === 'cloudtrail.pull' ? { start: start.trim() } : {}),
    ...(endpoint.trim() ? { endpoint: endpoint.trim() } : {}),
  });
  return (
    <div className="collect">
      <div className="inline-form">
        <label>
          Import S3 exports: files, folders or an AWSLogs/ tree {electron ? '' : '(paths on the machine running Firebreak)'}
          <textarea rows={2} value={paths} onChange={(e) => setPaths(e.target.value)} placeholder="/cases/orders/AWSLogs (one path per line)" data-testid="cloudtrail-paths" />
        </label>
        {electron && (
          <span className="pickers">
            <button type="button" onClick={() => pick('cloudtrail-files')} data-testid="cloudtrail-choose-files">
              Choose files…
            </button>
            <button type="button" onClick={() => pick('cloudtrail-folder')} data-testid="cloudtrail-choose-folder">
              Choose a folder…
            </button>
          </span>
        )}
        <button
          type="button"
          className="primary"
          disabled={busy !== null || !paths.trim()}
          onClick={() => void run('import', () => api('cloudtrail.import', { incidentId, paths: paths.split('\n').map((p) => p.trim()).filter(Boolean) }))}
          data-testid="cloudtrail-import"
        >
          {busy === 'import' ? 'Importing…' : 'Import and analyse'}
        </button>
        {pickError && <span className="error-text">{pickError}</span>}
      </div>
      <details>
        <summary>Pull from AWS with LookupEvents (credentials from your AWS profile; never stored)</summary>
        <div className="inline-form">
          <label>
            Regions
            <input value={regions} onChange={(e) => setRegions(e.target.value)} />
          </label>
          <label>
            Profile
            <input value={profile} onChange={(e) => setProfile(e.target.value)} placeholder="default chain" />
          </label>
          <label>
            From (ISO, within 90 days)
            <input value={start} onChange={(e) => setStart(e.target.value)} placeholder="2026-05-01T00:00:00Z" />
          </label>
          <label>
            Endpoint <span className="sub">(optional)</span>
            <input value={endpoint} onChange={(e) => setEndpoint(e.target.value)} />
          </label>
          <button type="button" disabled={busy !== null} onClick={() => void run('pull', () => api('cloudtrail.pull', pull('cloudtrail.pull')))}>
            {busy === 'pull' ? 'Pulling…' : 'Pull'}
          </button>
          <button type="button" disabled={busy !== null} onClick={() => void run('monitor', () => api('cloudtrail.monitoringCheck', pull('cloudtrail.monitoringCheck')))}>
            {busy === 'monitor' ? 'Checking…' : 'Run the daily monitoring check'}
          </button>
        </div>
      </details>
    </div>
  );
}
