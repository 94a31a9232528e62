import { useEffect, useState } from 'react';
import type { EvidenceItem } from '../../../electron/shared/evidence';
import { useEvidence } from '../stores/evidence-store';
import { FileDrop } from './file-drop';
import { UploadList } from './upload-list';

const size = (n: number) => (n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : n < 1024 ** 3 ? `${(n / 1024 ** 2).toFixed(1)} MiB` : `${(n / 1024 ** 3).toFixed(2)} GiB`);

/** The evidence locker of one incident: intake, hashes, custody, verification and manifests. */
export function EvidencePanel({ incidentId }: { incidentId: string }) {
  // Until this incident is read, another incident's items must not show.
  const mine = useEvidence((s) => s.incidentId === incidentId);
  const stored = useEvidence((s) => s.items);
  const storedStatus = useEvidence((s) => s.status);
  const error = useEvidence((s) => (s.errorAt === null ? s.error : null));
  const verification = useEvidence((s) => s.verification);
  const load = useEvidence((s) => s.load);
  const add = useEvidence((s) => s.add);
  const verify = useEvidence((s) => s.verify);
  const downloadManifest = useEvidence((s) => s.downloadManifest);
  const [open, setOpen] = useState<string | null>(null);
  const items = mine ? stored : [];
  const status = mine ? storedStatus : 'loading';
  useEffect(() => {
    void load(incidentId);
  }, [incidentId, load]);

  return (
    <section className="card" data-testid="evidence-panel" data-state={status}>
      <div className="page-head">
        <h2>Evidence</h2>
        <button type="button" onClick={() => void verify()} data-testid="evidence-verify" disabled={items.length === 0}>
          Re-verify all
        </button>
        {(['sha256sums', 'csv', 'json'] as const).map((format) => (
          <button key={format} type="button" onClick={() => void downloadManifest(format)} disabled={items.length === 0} data-testid={`evidence-manifest-${format}`}>
            {format === 'sha256sums' ? 'SHA256SUMS' : format.toUpperCase()}
          </button>
        ))}
      </div>
      <p className="hint">Each file is hashed (SHA-256) while it is copied into the locker; identical content is stored once. Acquisitions, links, verifications and exports form each item's chain of custody.</p>
      <FileDrop
        label="Drop files here to add them as evidence"
        onFiles={(f) => void add(incidentId, f)}
        purpose="evidence"
        onPaths={(paths) => void add(incidentId, paths.map((path) => ({ path })))}
        testId="evidence-input"
      />
      <UploadList />
      {error && <p className="error" role="alert" data-testid="evidence-error">{error}</p>}
      {mine && verification && (
        <p className={verification.ok ? 'ok' : 'error'} data-testid="verification-result">
          {verification.ok
            ? `All ${verification.items.length} items intact (verified ${new Date(verification.verifiedAt).toUTCString()}).`
            : `Not intact: ${verification.items.filter((i) => i.status !== 'intact').map((i) => `${i.id} ${i.name} (${i.status})`).join(', ')}`}
        </p>
      )}
      {items.length === 0 && status === 'ready' && <p className="hint" data-testid="evidence-empty">No evidence yet.</p>}
      {items.length > 0 && (
        <table className="grid" data-testid="evidence-list">
          <thead>
            <tr>
              <th>Item</th>
              <th>Name</th>
              <th>SHA-256</th>
              <th>Size</th>
              <th>Acquired</th>
              <th>Status</th>
              <th>Linked to</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <ItemRow key={i.id} item={i} open={open === i.id} onToggle={() => setOpen(open === i.id ? null : i.id)} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ItemRow({ item: i, open, onToggle }: { item: EvidenceItem; open: boolean; onToggle: () => void }) {
  return (
    <>
      <tr data-testid="evidence-row" data-item-id={i.id} data-status={i.status}>
        <td className="mono id">
          <button type="button" className="link" onClick={onToggle} aria-expanded={open} data-testid="evidence-custody-toggle">
            {i.id}
          </button>
        </td>
        <td>
          {i.name}
          {i.findings.length > 0 && (
            <div className="badge danger" title={i.findings.map((f) => `${f.label} ${f.redacted} (line ${f.line})`).join('\n')} data-testid="secret-finding">
              {i.findings.length} secret{i.findings.length > 1 ? 's' : ''} found
            </div>
          )}
          <div className="sub">{i.sourceKind}</div>
        </td>
        <td className="mono small" title={i.sha256}>
          {i.sha256.slice(0, 16)}…
        </td>
        <td>{size(i.size)}</td>
        <td>
          {new Date(i.acquiredAt).toUTCString()}
          <div className="sub">
            {i.acquiredBy.name}
            {i.acquiredBy.initiator === 'automated' ? ' (automated)' : ''}
          </div>
        </td>
        <td className={i.status === 'intact' ? 'ok' : 'error-text'}>{i.status}</td>
        <td className="small">{i.linkedSteps.join(', ')}</td>
      </tr>
      {open && (
        <tr>
          <td colSpan={7}>
            <div className="custody" data-testid="custody">
              <div className="mono small">sha256 {i.sha256}</div>
              {i.findings.map((f) => (
                <div key={f.fingerprint} className="error-text small">
                  {f.label}: {f.redacted} at line {f.line} ({f.occurrences}×)
                </div>
              ))}
              <ol>
                {(i.custody ?? []).map((c) => (
                  <li key={c.seq}>
                    {new Date(c.at).toUTCString()} · {c.actor.name} ({c.actor.role}
                    {c.actor.initiator === 'automated' ? ', automated' : ''}) · {c.summary} <span className="sub mono">ledger #{c.seq}</span>
                  </li>
                ))}
              </ol>
            </div>
          </td>
        </tr>
      )}
    </>
  );
}
