import { useCallback, useEffect, useState } from 'react';
import type { EvidenceItem } from '../../../electron/shared/evidence';
import type { SignerSlot, SignOffStatus } from '../../../electron/shared/signoff';
import { api, errorText } from '../api/client';
import { useSession } from '../stores/session-store';

/**
 * The written sign-off before an agent returns to production: each attestation backed by intact evidence, a gate that
 * fails closed on a missing or failed restore validation, and an Ed25519 signature per signer.
 */
export function SignOffPanel({ incidentId }: { incidentId: string }) {
  const [steps, setSteps] = useState<SignOffStatus[] | null>(null);
  const [items, setItems] = useState<EvidenceItem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const fetchAll = useCallback(
    () =>
      Promise.all([api('signoff.status', { id: incidentId }), api('evidence.list', { incidentId })]).then(
        ([s, e]) => {
          setSteps(s);
          setItems(e);
        },
        (e) => setError(errorText(e)),
      ),
    [incidentId],
  );
  const reload = useCallback(async () => {
    await fetchAll();
  }, [fetchAll]);
  useEffect(() => {
    fetchAll();
  }, [fetchAll]);
  if (error && !steps) return <p className="error" role="alert">{error}</p>;
  if (!steps) return <p aria-busy="true">Loading the sign-off…</p>;
  return (
    <section data-testid="signoff-panel">
      {steps.map((s) => (
        <article key={s.stepId} className="card" data-testid="signoff-step" data-step-id={s.stepId} data-complete={s.complete}>
          <h2>{s.title}</h2>
          <ol className="attestations">
            {s.attestations.map((a) => (
              <li key={a.id} data-testid="attestation" data-attestation-id={a.id}>
                <p>{a.text}</p>
                {a.evidence.length ? (
                  a.evidence.map((e) => (
                    <div key={e.id} className={`small mono ${e.status === 'intact' ? '' : 'error-text'}`}>
                      {e.id} {e.name} sha256:{e.sha256.slice(0, 16)}… ({e.status})
                    </div>
                  ))
                ) : (
                  <div className="warn small">No evidence backs this attestation yet.</div>
                )}
                <LinkEvidence items={items} onLink={async (itemId) => {
                  await api('signoff.linkEvidence', { id: incidentId, stepId: s.stepId, attestationId: a.id, itemId });
                  await reload();
                }} />
              </li>
            ))}
          </ol>
          <div className={s.gate.met ? 'gate met' : 'gate'} data-testid="signoff-gate" data-gate={s.gate.met ? 'met' : 'not-met'}>
            <h3>{s.gate.met ? 'Ready to sign' : 'Not ready to sign'}</h3>
            <p className="small">
              Restore validation: <strong>{s.gate.validation.status}</strong>
              {s.gate.validation.runId ? ` (${s.gate.validation.runId}${s.gate.validation.summary ? `: ${s.gate.validation.summary}` : ''})` : ''}
            </p>
            {!s.gate.met && (
              <ul className="missing">
                {s.gate.missing.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            )}
          </div>
          <h3>Signatures</h3>
          <div className="signers">
            {s.signers.map((slot) => (
              <SignerCard key={slot.role} incidentId={incidentId} stepId={s.stepId} slot={slot} gateMet={s.gate.met} onSigned={reload} />
            ))}
          </div>
        </article>
      ))}
    </section>
  );
}

function LinkEvidence({ items, onLink }: { items: EvidenceItem[]; onLink: (itemId: string) => Promise<void> }) {
  const [choice, setChoice] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (items.length === 0) return null;
  return (
    <span className="inline-form">
      <select value={choice} onChange={(e) => setChoice(e.target.value)} aria-label="Evidence for this attestation" data-testid="attestation-evidence">
        <option value="">link evidence…</option>
        {items.map((i) => (
          <option key={i.id} value={i.id}>
            {i.id} {i.name}
          </option>
        ))}
      </select>
      <button type="button" disabled={!choice} onClick={() => void onLink(choice).then(() => setChoice(''), (e) => setError(errorText(e)))} data-testid="attestation-link">
        Link
      </button>
      {error && <span className="error-text">{error}</span>}
    </span>
  );
}

function SignerCard({ incidentId, stepId, slot, gateMet, onSigned }: { incidentId: string; stepId: string; slot: SignerSlot; gateMet: boolean; onSigned: () => Promise<void> }) {
  const operator = useSession((s) => s.info?.operator);
  const [name, setName] = useState(operator?.role === slot.role ? operator.name : '');
  const [override, setOverride] = useState('');
  const [fingerprint, setFingerprint] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!name.trim()) return;
    const t = setTimeout(() => {
      api('signoff.signerKey', { role: slot.role, name: name.trim() }).then((k) => setFingerprint(k.fingerprint), () => setFingerprint(null));
    }, 300);
    return () => clearTimeout(t);
  }, [name, slot.role]);

  const signed = slot.signOff;
  if (signed) {
    return (
      <div className="signer signed" data-testid="signer" data-role={slot.role} data-signed="true">
        <strong>{slot.role}</strong>: signed by {signed.name}, {new Date(signed.signedAt).toUTCString()}
        <div className="small mono">key SHA256:{signed.fingerprint}</div>
        <div className="small mono">report sha256 {signed.reportSha256}</div>
        {signed.override && (
          <div className="override-note" data-testid="signoff-override">
            OVERRIDE: {signed.override.justification}
          </div>
        )}
      </div>
    );
  }
  const sign = async () => {
    setBusy(true);
    setError(null);
    try {
      await api('signoff.sign', { id: incidentId, stepId, role: slot.role, name: name.trim(), ...(!gateMet && override.trim() ? { override: override.trim() } : {}) });
      await onSigned();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="signer" data-testid="signer" data-role={slot.role} data-signed="false">
      <strong>{slot.role}</strong>
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} data-testid="signer-name" />
      </label>
      <div className="small mono">{name.trim() ? (fingerprint ? `key SHA256:${fingerprint}` : 'a new Ed25519 key is created at the first signature') : ''}</div>
      {!gateMet && (
        <label>
          Override justification (required to sign while the gate is not met; shown in every report)
          <textarea rows={2} value={override} onChange={(e) => setOverride(e.target.value)} data-testid="signer-override" />
        </label>
      )}
      {error && <p className="error" role="alert" data-testid="signer-error">{error}</p>}
      <button type="button" className={gateMet ? 'primary' : 'danger'} disabled={busy || !name.trim() || (!gateMet && override.trim().length < 10)} onClick={() => void sign()} data-testid="signer-sign">
        {gateMet ? `Sign as ${slot.role}` : `Sign as ${slot.role} with override`}
      </button>
    </div>
  );
}
