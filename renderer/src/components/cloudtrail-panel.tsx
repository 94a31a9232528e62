import { useEffect, useState } from 'react';
import { chooseFiles, errorText, hasNativeDialogs } from '../api/client';
import { plural } from '../../../electron/shared/plural';
import { useCloudTrail } from '../stores/cloudtrail-store';
import { AthenaQuery } from './athena-query';
import { CloudLogsPull } from './cloud-logs-pull';
import { useCloudTrailTimeline } from '../stores/cloudtrail-timeline-store';
import { ActivityChart } from './activity-chart';
import { CloudTrailTimeline } from './cloudtrail-timeline';
import { ScrollCue } from './scroll-cue';

/** What the agent identities did: findings, blast radius and cadence, then every call in a filterable timeline. */
export function CloudTrailPanel({ incidentId }: { incidentId: string }) {
  const summary = useCloudTrail((s) => (s.incidentId === incidentId ? s.summary : null));
  const status = useCloudTrail((s) => (s.incidentId === incidentId ? s.status : 'loading'));
  const error = useCloudTrail((s) => s.error);
  const load = useCloudTrail((s) => s.load);
  useEffect(() => {
    void load(incidentId);
  }, [incidentId, load]);

  return (
    <section data-testid="cloudtrail-panel" data-state={status}>
      <div className="card">
        <h2>Cloud logs</h2>
        {summary && (
          <p className="hint" data-testid="cloudtrail-summary">
            {summary.events.toLocaleString()} events from {summary.principals} principals
            {summary.firstEventTime ? `, ${new Date(summary.firstEventTime).toUTCString()} to ${new Date(summary.lastEventTime ?? summary.firstEventTime).toUTCString()}` : ''}. Agent
            identities: {summary.agentIdentities.join(', ') || 'none declared (set the agent parameters)'}.
          </p>
        )}
        {summary?.analysing ? (
          <p className="error" role="status" data-testid="cloudtrail-analysing">
            Analysis in progress since {new Date(summary.analysing.since).toUTCString()}: agent attribution, bursts and findings below are not final yet.
          </p>
        ) : null}
        <CollectForms />
        <AthenaQuery incidentId={incidentId} />
        {error && <p className="error" role="alert" data-testid="cloudtrail-error">{error}</p>}
      </div>
      {summary && summary.findings.length > 0 && (
        <div className="card" data-testid="cloudtrail-findings">
          <h2>Findings ({summary.findings.length})</h2>
          <ScrollCue className="findings-scroll" noun="finding" rowSelector='[data-testid="finding"]' testId="findings-scroll">
          <table className="grid">
            <tbody>
              {summary.findings.map((f) => (
                <tr key={f.id} data-testid="finding" data-kind={f.kind}>
                  <td className="mono id">{f.id}</td>
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
          </ScrollCue>
        </div>
      )}
      {summary?.agents.map((a) => (
        <div key={a.agentIdentity} className="card" data-testid="blast-radius">
          <h2>
            Blast radius of <span className="mono">{a.agentIdentity}</span>
          </h2>
          {a.aliases?.length ? <p className="small" data-testid="agent-aliases">Also named {a.aliases.join(', ')}</p> : null}
          <p>
            {plural(a.calls, 'call')} across {plural(a.services.length, 'service')} and {plural(a.regions.length, 'region')}. Cadence: <strong data-testid="cadence-verdict">{a.cadence.verdict}</strong>
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
      {summary?.unmatchedAgents?.length ? (
        <p className="card small" data-testid="unmatched-agents">
          Agent identities that matched no call: <span className="mono">{summary.unmatchedAgents.join(', ')}</span>
        </p>
      ) : null}
      <IdentityActivity />
      <CloudTrailTimeline incidentId={incidentId} findings={summary?.findings ?? []} />
    </section>
  );
}

function CollectForms() {
  const collecting = useCloudTrail((s) => s.collecting);
  const collected = useCloudTrail((s) => s.collected);
  const importExports = useCloudTrail((s) => s.importExports);
  const pull = useCloudTrail((s) => s.pull);
  const monitoringCheck = useCloudTrail((s) => s.monitoringCheck);
  const cancelCollection = useCloudTrail((s) => s.cancelCollection);
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
  const where = {
    regions: regions.split(/[\s,]+/).filter(Boolean),
    ...(profile.trim() ? { profile: profile.trim() } : {}),
    ...(endpoint.trim() ? { endpoint: endpoint.trim() } : {}),
  };
  const busy = collecting !== null;
  return (
    <div className="collect">
      <div className="inline-form">
        <label>
          Import audit-log exports (CloudTrail, Azure Activity Log, GCP Cloud Audit Logs): files or folders {electron ? '' : '(paths on the machine running Firebreak)'}
          <textarea rows={2} value={paths} onChange={(e) => setPaths(e.target.value)} placeholder="/cases/orders/AWSLogs, insights-activity-logs/, cloudaudit.googleapis.com/ (one path per line)" data-testid="cloudtrail-paths" />
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
          disabled={busy || !paths.trim()}
          onClick={() => void importExports(paths.split('\n').map((p) => p.trim()).filter(Boolean))}
          data-testid="cloudtrail-import"
        >
          {collecting?.kind === 'import' ? 'Importing…' : 'Import and analyse'}
        </button>
        {pickError && <span className="error-text">{pickError}</span>}
      </div>
      {collecting && (
        <p className="hint" data-testid="cloudtrail-progress">
          {collecting.progress ?? 'Starting…'}{' '}
          <button type="button" onClick={() => void cancelCollection()} data-testid="cloudtrail-cancel">
            Cancel
          </button>
        </p>
      )}
      {collected && (
        <p className="ok" data-testid="cloudtrail-collected">
          {collected}
        </p>
      )}
      <details>
        <summary data-testid="cloudtrail-pull-open">Pull from AWS with LookupEvents (credentials from your AWS profile; never stored)</summary>
        <div className="inline-form">
          <label>
            Regions
            <input value={regions} onChange={(e) => setRegions(e.target.value)} data-testid="cloudtrail-regions" />
          </label>
          <label>
            Profile
            <input value={profile} onChange={(e) => setProfile(e.target.value)} placeholder="default chain" data-testid="cloudtrail-profile" />
          </label>
          <label>
            From (ISO, within 90 days)
            <input value={start} onChange={(e) => setStart(e.target.value)} placeholder="2026-05-01T00:00:00Z" data-testid="cloudtrail-start" />
          </label>
          <label>
            Endpoint <span className="sub">(optional)</span>
            <input value={endpoint} onChange={(e) => setEndpoint(e.target.value)} data-testid="cloudtrail-endpoint" />
          </label>
          <button type="button" disabled={busy} onClick={() => void pull({ ...where, ...(start.trim() ? { start: start.trim() } : {}) })} data-testid="cloudtrail-pull">
            {collecting?.kind === 'pull' ? 'Pulling…' : 'Pull'}
          </button>
          <button type="button" disabled={busy} onClick={() => void monitoringCheck(where)} data-testid="cloudtrail-monitoring-check">
            {collecting?.kind === 'monitor' ? 'Checking…' : 'Run the daily monitoring check'}
          </button>
        </div>
      </details>
      <CloudLogsPull />
    </div>
  );
}

/** The activity chart of the cloud the timeline shows (its data comes with the timeline's pages). */
function IdentityActivity() {
  const data = useCloudTrailTimeline((s) => s.activity);
  const status = useCloudTrailTimeline((s) => s.status);
  return <ActivityChart data={data} status={data ? status : 'loading'} />;
}
