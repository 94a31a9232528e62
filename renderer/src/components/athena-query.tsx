import { useState } from 'react';
import { formatBytes } from '../../../electron/shared/bytes';
import { type AthenaForm, useAthena } from '../stores/athena-store';

const list = (s: string) => s.split(/[\s,]+/).filter(Boolean);

/**
 * "Query in Athena": for organisation-size trails the analysis runs where the logs are. The responder sees the scope,
 * the SQL and the estimated scan and cost first; only then can it run, with progress and a cancel that stops Athena.
 */
export function AthenaQuery({ incidentId }: { incidentId: string }) {
  const status = useAthena((s) => s.status);
  const error = useAthena((s) => s.error);
  const plan = useAthena((s) => s.plan);
  const running = useAthena((s) => s.running);
  const result = useAthena((s) => s.result);
  const { estimate, run, cancel, forget } = useAthena.getState();
  const [f, setF] = useState({ database: '', table: '', regions: '', accounts: '', start: '', end: '', createTable: false, bucket: '', organizationId: '', workgroup: '', output: '', endpoint: '' });
  const edit = (key: keyof typeof f) => (e: { target: { value: string; checked?: boolean } }) => {
    forget();
    setF((x) => ({ ...x, [key]: key === 'createTable' ? Boolean(e.target.checked) : e.target.value }));
  };
  const form: AthenaForm = {
    database: f.database.trim(),
    table: f.table.trim(),
    regions: list(f.regions),
    createTable: f.createTable,
    ...(list(f.accounts).length ? { accounts: list(f.accounts) } : {}),
    ...Object.fromEntries((['start', 'end', 'bucket', 'organizationId', 'workgroup', 'output', 'endpoint'] as const).filter((k) => f[k].trim()).map((k) => [k, f[k].trim()])),
  };
  const field = (key: Exclude<keyof typeof f, 'createTable'>, label: string, placeholder = '') => (
    <label>
      {label}
      <input value={f[key]} onChange={edit(key)} placeholder={placeholder} data-testid={`athena-${key}`} />
    </label>
  );
  return (
    <details data-testid="athena-query" data-state={status}>
      <summary data-testid="athena-open">Query in Athena (organisation-size trails: the analysis runs where the logs are; only matching events come back)</summary>
      <div className="inline-form">
        {field('database', 'Database', 'ir_forensics')}
        {field('table', 'Table', 'cloudtrail_org')}
        {field('regions', 'Regions', 'us-east-1, eu-west-1')}
        {field('accounts', 'Accounts', "the incident's aws_account_id")}
        {field('start', 'From (ISO)', '30 days before the incident')}
        {field('end', 'To (ISO)', 'now')}
        <label>
          <input type="checkbox" checked={f.createTable} onChange={edit('createTable')} data-testid="athena-createTable" /> Create the table
        </label>
        {f.createTable && field('bucket', 'Trail bucket', 's3://bucket/prefix')}
        {f.createTable && field('organizationId', 'Organisation id', 'o-… (organisation trail)')}
        {field('workgroup', 'Workgroup', 'primary')}
        {field('output', 'Results location', 's3://… (if the workgroup has none)')}
        {field('endpoint', 'Endpoint (optional)')}
        <button type="button" disabled={status === 'busy'} onClick={() => void estimate(incidentId, form)} data-testid="athena-estimate-button">
          Estimate
        </button>
      </div>
      {plan && (
        <div className="card" data-testid="athena-plan">
          <p data-testid="athena-estimate">
            About <strong>{formatBytes(plan.estimate.bytes)}</strong> scanned, about <strong>${plan.estimate.usd.toFixed(2)}</strong>: {plan.estimate.basis}.
          </p>
          <details>
            <summary>The SQL ({(plan.ddl ? 1 : 0) + plan.queries.length} statements, kept as evidence when run)</summary>
            <pre data-testid="athena-sql">{[plan.ddl, ...plan.queries.map((q) => `-- ${q.name}: ${q.purpose}\n${q.sql}`)].filter(Boolean).join(';\n\n')}</pre>
          </details>
          <button type="button" className="primary" disabled={status === 'busy'} onClick={() => void run(incidentId, form)} data-testid="athena-run">
            {running ? 'Running in Athena…' : `Run in Athena (about $${plan.estimate.usd.toFixed(2)})`}
          </button>
        </div>
      )}
      {running && (
        <p className="hint" data-testid="athena-progress">
          {running.progress ?? 'Starting…'}{' '}
          <button type="button" onClick={() => void cancel()} data-testid="athena-cancel">
            Cancel (stops the query in Athena)
          </button>
        </p>
      )}
      {error && <p className="error" role="alert" data-testid="athena-error">{error}</p>}
      {result && (
        <p className="ok" data-testid="athena-result">
          {result.events.toLocaleString()} events from Athena ({result.newEvents.toLocaleString()} new), {formatBytes(result.bytesScanned)} scanned; {result.newFindings} new findings.
        </p>
      )}
    </details>
  );
}
