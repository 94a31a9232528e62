import { useState } from 'react';
import { useCloudTrail } from '../stores/cloudtrail-store';

/**
 * The Azure Monitor and Cloud Logging pull: one subscription or project over a window, with the SDKs' own credentials
 * (DefaultAzureCredential, application default credentials) on the machine running Firebreak. Running it again with the
 * same values resumes an interrupted pull.
 */
export function CloudLogsPull() {
  const collecting = useCloudTrail((s) => s.collecting);
  const pullCloud = useCloudTrail((s) => s.pullCloud);
  const [cloud, setCloud] = useState<'azure' | 'gcp'>('azure');
  const [scope, setScope] = useState('');
  const [resourceGroup, setResourceGroup] = useState('');
  const [caller, setCaller] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [endpoint, setEndpoint] = useState('');
  const busy = collecting !== null;
  const given = (key: string, value: string) => (value.trim() ? { [key]: value.trim() } : {});
  const submit = () =>
    void pullCloud({
      cloud,
      ...(cloud === 'azure' ? given('subscription', scope) : given('project', scope)),
      ...(cloud === 'azure' ? given('resourceGroup', resourceGroup) : {}),
      ...given('caller', caller),
      ...given('start', start),
      ...given('end', end),
      ...given('endpoint', endpoint),
    });
  return (
    <details>
      <summary data-testid="cloud-pull-open">Pull from Azure or GCP with their SDKs (az login / DefaultAzureCredential, gcloud application default credentials; never stored)</summary>
      <div className="inline-form">
        <label>
          Cloud
          <select value={cloud} onChange={(e) => setCloud(e.target.value === 'gcp' ? 'gcp' : 'azure')} data-testid="cloud-pull-cloud">
            <option value="azure">Azure activity log</option>
            <option value="gcp">GCP Cloud Audit Logs</option>
          </select>
        </label>
        <label>
          {cloud === 'azure' ? 'Subscription id' : 'Project id'}
          <input value={scope} onChange={(e) => setScope(e.target.value)} placeholder={cloud === 'azure' ? '5f1c2d3e-...' : 'prod-project'} data-testid="cloud-pull-scope" />
        </label>
        {cloud === 'azure' && (
          <label>
            Resource group <span className="sub">(optional)</span>
            <input value={resourceGroup} onChange={(e) => setResourceGroup(e.target.value)} data-testid="cloud-pull-resource-group" />
          </label>
        )}
        <label>
          {cloud === 'azure' ? 'Caller' : 'Principal email'} <span className="sub">(optional)</span>
          <input value={caller} onChange={(e) => setCaller(e.target.value)} data-testid="cloud-pull-caller" />
        </label>
        <label>
          From (ISO; default 90 days back)
          <input value={start} onChange={(e) => setStart(e.target.value)} placeholder="2026-05-01T00:00:00Z" data-testid="cloud-pull-start" />
        </label>
        <label>
          To <span className="sub">(default now)</span>
          <input value={end} onChange={(e) => setEnd(e.target.value)} data-testid="cloud-pull-end" />
        </label>
        <label>
          Endpoint <span className="sub">(optional)</span>
          <input value={endpoint} onChange={(e) => setEndpoint(e.target.value)} data-testid="cloud-pull-endpoint" />
        </label>
        <button type="button" disabled={busy || !scope.trim()} onClick={submit} data-testid="cloud-pull">
          {collecting?.kind === 'cloud-pull' ? 'Pulling…' : 'Pull'}
        </button>
      </div>
    </details>
  );
}
