import { useEffect, useState } from 'react';
import { APP_HELD_KEY_LABEL, type SignOffRecord, type SignOffStatus, type SignerSlot } from '../../../electron/shared/signoff';
import { useRun } from '../stores/run-store';
import { useSession } from '../stores/session-store';
import { attestationKey, signerKey, stepKey, useSignOff } from '../stores/signoff-store';
import { SignerRequest } from './signoff-request';

/**
 * The written sign-off before an agent returns to production: each attestation backed by intact evidence, a gate that
 * fails closed on a missing or failed restore validation, and a signature per role, made by the signer with their own
 * enrolled key. Anyone else is sent a request to sign on their own machine; their signature file is imported here.
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
          <p className="small">
            Each signer signs with their own key, on their own machine: make a request, send them the file, and import the signature they send back.
            You sign only as yourself, with your key enrolled for the role.
          </p>
          <SampleSigners step={s} />
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

/** In a sample incident only: the fictional signers sign, each with a key made on a machine of their own. */
function SampleSigners({ step }: { step: SignOffStatus }) {
  const sample = useRun((s) => s.run?.incident.sample ?? false);
  const signSample = useSignOff((s) => s.signSample);
  const busy = useSignOff((s) => s.status === 'busy');
  const error = useSignOff((s) => (s.errorAt === stepKey(step.stepId) ? s.error : null));
  if (!sample || step.complete) return null;
  return (
    <div className="banner sample" data-testid="sample-signers">
      <button type="button" disabled={busy || !step.gate.met} onClick={() => void signSample(step.stepId)} data-testid="sample-sign">
        Have the sample's fictional signers sign
      </button>{' '}
      <span className="small">SAMPLE: each makes a key on a machine of their own, is enrolled by its public key, and signs the request there.</span>
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

function SignedBy({ signed }: { signed: SignOffRecord }) {
  return (
    <>
      <strong>{signed.role}</strong>: signed by {signed.name}, {new Date(signed.signedAt).toUTCString()}
      <div className="small mono" data-testid="signer-fingerprint">
        {signed.scheme === 'sshsig' ? `own key ${signed.fingerprint}` : `key ${signed.fingerprint} (${APP_HELD_KEY_LABEL})`}
      </div>
      {signed.signer && (
        <div className="small">
          enrolled as {signed.signer.enrolmentId} by {signed.signer.enrolledBy.name}, request {signed.request?.id}
        </div>
      )}
      <div className="small mono">report sha256 {signed.reportSha256}</div>
      {signed.override && (
        <div className="override-note" data-testid="signoff-override">
          OVERRIDE: {signed.override.justification}
        </div>
      )}
    </>
  );
}

function SignerCard({ stepId, slot, gateMet }: { stepId: string; slot: SignerSlot; gateMet: boolean }) {
  const operator = useSession((s) => s.info?.operator);
  const sign = useSignOff((s) => s.sign);
  const lookupOwnKey = useSignOff((s) => s.lookupOwnKey);
  const ownKey = useSignOff((s) => s.ownKeys[slot.role]);
  const busy = useSignOff((s) => s.status === 'busy');
  const error = useSignOff((s) => (s.errorAt === signerKey(stepId, slot.role) ? s.error : null));
  const [override, setOverride] = useState('');
  useEffect(() => {
    if (operator && !slot.signOff) void lookupOwnKey(slot.role, operator.name);
  }, [operator, slot.role, slot.signOff, lookupOwnKey]);

  if (slot.signOff) {
    return (
      <div className="signer signed" data-testid="signer" data-role={slot.role} data-signed="true">
        <SignedBy signed={slot.signOff} />
      </div>
    );
  }
  const reason = !gateMet && override.trim() ? { override: override.trim() } : {};
  const canOverride = gateMet || override.trim().length >= 10;
  const mine = Boolean(ownKey?.enrolmentId);
  return (
    <div className="signer" data-testid="signer" data-role={slot.role} data-signed="false">
      <strong>{slot.role}</strong>
      {!gateMet && (
        <label>
          Override justification (required while the gate is not met; in the request, the signature and every report)
          <textarea rows={2} value={override} onChange={(e) => setOverride(e.target.value)} data-testid="signer-override" />
        </label>
      )}
      <SignerRequest stepId={stepId} role={slot.role} disabled={busy || !canOverride} reason={reason} />
      {operator && (
        <div className="own" data-testid="signer-own">
          <div className="small mono" data-testid="signer-key">
            {mine
              ? `Your key ${ownKey?.fingerprint ?? ''} is enrolled for ${slot.role} (${ownKey?.enrolmentId ?? ''}).`
              : ownKey?.fingerprint
                ? `Your key ${ownKey.fingerprint} is not enrolled for ${slot.role}: firebreak signers add --name "${operator.name}" --role "${slot.role}" --public-key YOUR.pub`
                : `You hold no key for ${slot.role} here; to sign as yourself: firebreak keys init --name "${operator.name}" --role "${slot.role}", then have it enrolled.`}
          </div>
          <button
            type="button"
            className={gateMet ? 'primary' : 'danger'}
            disabled={busy || !mine || !canOverride}
            onClick={() => void sign({ stepId, role: slot.role, name: operator.name, ...reason })}
            data-testid="signer-sign"
          >
            {gateMet ? `Sign as ${operator.name} (${slot.role})` : `Sign as ${operator.name} (${slot.role}) with override`}
          </button>
        </div>
      )}
      {error && <p className="error" role="alert" data-testid="signer-error">{error}</p>}
    </div>
  );
}
