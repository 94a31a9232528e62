import { useEffect } from 'react';
import { type IamAnalysis, type Revocation, lastAccessedText } from '../../../electron/shared/iam';
import { useIdentity } from '../stores/identity-store';

const SHOWN = 40;

/** The agent's identity: what IAM let it do, what it did, and how it was stopped. */
export function IdentityPanel({ incidentId }: { incidentId: string }) {
  const status = useIdentity((s) => (s.incidentId === incidentId ? s.status : 'loading'));
  const sources = useIdentity((s) => s.sources);
  const analysis = useIdentity((s) => s.analysis);
  const note = useIdentity((s) => s.analysisNote);
  const revocations = useIdentity((s) => s.revocations);
  const error = useIdentity((s) => s.error);
  const load = useIdentity((s) => s.load);
  useEffect(() => {
    void load(incidentId);
  }, [incidentId, load]);
  return (
    <section data-testid="identity-panel" data-state={status}>
      <div className="card">
        <h2>Agent identity</h2>
        {error && <p className="error" role="alert" data-testid="identity-error">{error}</p>}
        {sources.length === 0 ? (
          <p className="hint" data-testid="identity-empty">
            No IAM snapshot yet. Capture it before anything is revoked: <code className="mono">firebreak iam capture {incidentId} --role-name NAME</code>, or import
            what you have: <code className="mono">firebreak iam import {incidentId} FILE...</code> (authorization details, get-role outputs, the credential report).
          </p>
        ) : (
          <table className="grid" data-testid="identity-sources">
            <tbody>
              {sources.map((s) => (
                <tr key={s.evidenceId}>
                  <td className="mono id">{s.evidenceId}</td>
                  <td>
                    {s.kind} <span className="sub small">({s.origin})</span>
                    <div className="sub small">{s.summary}</div>
                  </td>
                  <td className="mono small">{s.sha256.slice(0, 16)}…</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {note && <p className="hint" data-testid="identity-note">{note}</p>}
      </div>
      {analysis?.analyses.map((a) => <CouldVersusDid key={a.identity} a={a} />)}
      {analysis?.notInSnapshot.length ? <p className="hint card">Agent identities the snapshot does not describe: {analysis.notInSnapshot.join(', ')}</p> : null}
      {analysis?.credentials.map((c) => (
        <div key={c.arn} className="card" data-testid="identity-credentials">
          <h3>Credentials of {c.user} (AC-2)</h3>
          <ul className="small">{c.findings.map((f) => <li key={f}>{f}</li>)}</ul>
        </div>
      ))}
      {revocations.length > 0 && <Revocations list={revocations} />}
    </section>
  );
}

function CouldVersusDid({ a }: { a: IamAnalysis }) {
  const unusedDestructive = a.unused.filter((u) => a.granted.destructive.includes(u));
  return (
    <div className="card" data-testid="could-vs-did" data-identity={a.identity}>
      <h3 className="mono">{a.identity}</h3>
      <table className="grid">
        <tbody>
          <tr>
            <th>Could</th>
            <td data-testid="granted">
              {a.granted.all.toLocaleString('en')} actions granted, {a.granted.destructive.length.toLocaleString('en')} destructive; boundary {a.boundary ?? 'none'}; {a.scps} SCPs
            </td>
          </tr>
          <tr>
            <th>Did</th>
            <td data-testid="used">
              {a.calls} {a.calls === 1 ? 'call' : 'calls'}, {a.used.all.length} {a.used.all.length === 1 ? 'action' : 'actions'}
              {a.used.destructive.length > 0 && (
                <div>
                  Destructive: <span className="mono">{a.used.destructive.join(', ')}</span>
                </div>
              )}
            </td>
          </tr>
          <tr>
            <th>Granted, never used</th>
            <td data-testid="unused" className="small">
              {a.unused.length.toLocaleString('en')} actions, {unusedDestructive.length.toLocaleString('en')} destructive
              {unusedDestructive.length > 0 && <div className="mono sub">{unusedDestructive.slice(0, SHOWN).join(', ')}{unusedDestructive.length > SHOWN ? ` and ${unusedDestructive.length - SHOWN} more` : ''}</div>}
              {(a.unusedLastAccessed ?? []).length > 0 && <div className="sub">Services last accessed (IAM): {lastAccessedText(a.unusedLastAccessed ?? [])}</div>}
            </td>
          </tr>
          <tr>
            <th>Denied</th>
            <td data-testid="denied" className="small">
              {a.denied.length === 0 ? 'none' : a.denied.map((d) => `${d.action} ${d.errorCode} ×${d.calls}`).join(', ')}
            </td>
          </tr>
          <tr>
            <th>Conditional</th>
            <td className="small">
              {a.conditional.length === 0 ? 'none' : `${a.conditional.length} actions, shown as written, not evaluated: ${a.conditional.slice(0, 5).map((c) => `${c.action} (${c.condition})`).join('; ')}${a.conditional.length > 5 ? '…' : ''}`}
            </td>
          </tr>
        </tbody>
      </table>
      {a.missingPolicies.length > 0 && <p className="hint">Policy documents the snapshot lacks, so "could" is a lower bound: {a.missingPolicies.join(', ')}</p>}
      {a.usedButNotGranted.length > 0 && <p className="hint">Used although the snapshot does not grant them: {a.usedButNotGranted.join(', ')}</p>}
    </div>
  );
}

function Revocations({ list }: { list: Revocation[] }) {
  return (
    <div className="card" data-testid="identity-revocations">
      <h3>Revocations</h3>
      <ul className="small">
        {list.map((r) => (
          <li key={r.seq}>
            {r.seq}. <span className="mono">{r.identity}</span> at {r.revokedAt} by {r.revokedBy}, {r.secondsFromAwareness} s after awareness;{' '}
            {r.secondsToHalt !== null ? `time to halt ${r.secondsToHalt} s (first AccessDenied ${r.firstDeniedAt})` : 'time to halt not yet known'}
            {r.undoneAt ? `; undone ${r.undoneAt} by ${r.undoneBy}` : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}
