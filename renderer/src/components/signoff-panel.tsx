import { useEffect, useState } from 'react';
import type { SignerSlot } from '../../../electron/shared/signoff';
import { useSession } from '../stores/session-store';
import { attestationKey, fingerprintOf, signerKey, useSignOff } from '../stores/signoff-store';

/**
 * The written sign-off before an agent returns to production: each attestation backed by intact evidence, a gate that
 * fails closed on a missing or failed restore validation, and an Ed25519 signature per signer.
 */
export function SignOffPanel({ incidentId }: { incidentId: string }) {
  const steps = useSignOff((s) => (s.incidentId === incidentId ? s.steps : null));
  const status = useSignOff((s) => (s.incidentId === incidentId ? s.status : 'loading'));
  const error = useSignOff((s) => (s.errorAt === null ? s.error : null));
  const load = useSignOff((s) => s.load);
  useEffect(() => {
    void load(incidentId);
  }, [incidentId, load]);
  return (
    <section data-testid="signoff-panel" data-state={status}>
      {error && <p className="error" role="alert" data-testid="signoff-error">{error}</p>}
      {!steps && !error && <p aria-busy="true">Loading the sign-off…</p>}
      {steps?.map((s) => (
        <article key={s.stepId} className="card" data-testid="signoff-step" data-step-id={s.stepId} data-complete={s.complete}>
          <h2>{s.title}</h2>
          <ol className="attestations">
            {s.attestations.map((a) => (
              <li key={a.id} data-testid="attestation" data-attestation-id={a.id}>
                <p>{a.text}</p>
                {a.evidence.length ? (
                  a.evidence.map((e) => (
                    <div key={e.id} className={`small mono ${e.status === 'intact' ? '' : 'error-text'}`} data-testid="attestation-item">
                      {e.id} {e.name} sha256:{e.sha256.slice(0, 16)}… ({e.status})
                    </div>
                  ))
                ) : (
                  <div className="warn small">No evidence backs this attestation yet.</div>
                )}
                <LinkEvidence stepId={s.stepId} attestationId={a.id} />
              </li>
            ))}
          </ol>
          <div className={s.gate.met ? 'gate met' : 'gate'} data-testid="signoff-gate" data-gate={s.gate.met ? 'met' : 'not-met'}>
            <h3>{s.gate.met ? 'Ready to sign' : 'Not ready to sign'}</h3>
            <ul className="small" data-testid="signoff-stores">
              {s.gate.stores.map((v) => (
                <li key={v.store?.key ?? 'none'} data-status={v.status}>
                  Restore validation{v.store ? ` of ${v.store.label}` : ''}: <strong>{v.status}</strong>
                  {v.runId ? ` (${v.runId}${v.summary ? `: ${v.summary}` : ''})` : ''}
                </li>
              ))}
            </ul>
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
              <SignerCard key={slot.role} stepId={s.stepId} slot={slot} gateMet={s.gate.met} />
            ))}
          </div>
        </article>
      ))}
    </section>
  );
}

function LinkEvidence({ stepId, attestationId }: { stepId: string; attestationId: string }) {
  const items = useSignOff((s) => s.items);
  const linkEvidence = useSignOff((s) => s.linkEvidence);
  const error = useSignOff((s) => (s.errorAt === attestationKey(stepId, attestationId) ? s.error : null));
  const [choice, setChoice] = useState('');
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
      <button type="button" disabled={!choice} onClick={() => void linkEvidence(stepId, attestationId, choice).then(() => setChoice(''))} data-testid="attestation-link">
        Link
      </button>
      {error && <span className="error-text" role="alert">{error}</span>}
    </span>
  );
}

function SignerCard({ stepId, slot, gateMet }: { stepId: string; slot: SignerSlot; gateMet: boolean }) {
  const operator = useSession((s) => s.info?.operator);
  const sign = useSignOff((s) => s.sign);
  const lookupSigner = useSignOff((s) => s.lookupSigner);
  const busy = useSignOff((s) => s.status === 'busy');
  const error = useSignOff((s) => (s.errorAt === signerKey(stepId, slot.role) ? s.error : null));
  const [name, setName] = useState(operator?.role === slot.role ? operator.name : '');
  const [override, setOverride] = useState('');
  const fingerprint = useSignOff((s) => fingerprintOf(s, slot.role, name.trim()));
  useEffect(() => {
    if (!name.trim()) return;
    // Looked up once typing pauses, not per keystroke.
    const t = setTimeout(() => void lookupSigner(slot.role, name.trim()), 300);
    return () => clearTimeout(t);
  }, [name, slot.role, lookupSigner]);

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
  const submit = () => void sign({ stepId, role: slot.role, name: name.trim(), ...(!gateMet && override.trim() ? { override: override.trim() } : {}) });
  return (
    <div className="signer" data-testid="signer" data-role={slot.role} data-signed="false">
      <strong>{slot.role}</strong>
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} data-testid="signer-name" />
      </label>
      <div className="small mono" data-testid="signer-key">{name.trim() ? (fingerprint ? `key SHA256:${fingerprint}` : 'a new Ed25519 key is created at the first signature') : ''}</div>
      {!gateMet && (
        <label>
          Override justification (required to sign while the gate is not met; shown in every report)
          <textarea rows={2} value={override} onChange={(e) => setOverride(e.target.value)} data-testid="signer-override" />
        </label>
      )}
      {error && <p className="error" role="alert" data-testid="signer-error">{error}</p>}
      <button type="button" className={gateMet ? 'primary' : 'danger'} disabled={busy || !name.trim() || (!gateMet && override.trim().length < 10)} onClick={submit} data-testid="signer-sign">
        {gateMet ? `Sign as ${slot.role}` : `Sign as ${slot.role} with override`}
      </button>
    </div>
  );
}
