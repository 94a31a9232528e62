import type { EvidenceItem } from '../../../electron/shared/evidence';
import type { SignOffRequestFile, SignOffRequestSummary, SignOffStatus, SignerKeyInfo } from '../../../electron/shared/signoff';
import { api } from '../api/client';
import { defineStore } from './define-store';
import { type IncidentScoped, incidentScope, notOpened } from './incident-scope';
import { refreshRun } from './run-store';

/** Where a failure shows: beside the attestation or the signer it belongs to. */
export const attestationKey = (stepId: string, attestationId: string) => `${stepId}/attestation/${attestationId}`;
export const signerKey = (stepId: string, role: string) => `${stepId}/signer/${role}`;
export const stepKey = (stepId: string) => `${stepId}/step`;

interface SignOffState extends IncidentScoped {
  steps: SignOffStatus[] | null;
  /** The incident's evidence, to back an attestation with. */
  items: EvidenceItem[];
  /** Every request made for the incident, newest first, with whether it can still be signed. */
  requests: SignOffRequestSummary[];
  /** The request just made for a signer (by signerKey): its file to save and send, and the statement to show. */
  made: Record<string, SignOffRequestFile>;
  /** The operator's own key for each role (name = the operator), looked up when the panel opens. */
  ownKeys: Record<string, SignerKeyInfo>;
  load(incidentId: string): Promise<void>;
  linkEvidence(stepId: string, attestationId: string, itemId: string): Promise<void>;
  /** Makes the request a signer signs, for this step and role. */
  request(input: { stepId: string; role: string; override?: string }): Promise<void>;
  /** Imports a signer's signature file (its request is found among the incident's requests). */
  importSignature(input: { stepId: string; role: string; signature: string; fileName: string }): Promise<void>;
  /** The operator signs as themselves, with their own key enrolled for the role. */
  sign(input: { stepId: string; role: string; name: string; override?: string }): Promise<void>;
  /** A sample incident: its fictional signers sign every open role of the step. */
  signSample(stepId: string): Promise<void>;
  /** Looks up the operator's own key for a role. */
  lookupOwnKey(role: string, name: string): Promise<void>;
}

export const useSignOff = defineStore<SignOffState>((set, get) => {
  const scope = incidentScope<SignOffState>(set, get, () => ({ steps: null, items: [], requests: [], made: {} }));
  const read = async (incidentId: string) => {
    const [steps, items, requests] = await Promise.all([
      api('signoff.status', { id: incidentId }),
      api('evidence.list', { incidentId }),
      api('signoff.requests', { id: incidentId }),
    ]);
    return { steps, items, requests };
  };
  /** A signature changes the run (the step completes): the run screen reads it again. */
  const signed = async (ok: unknown) => {
    const incidentId = get().incidentId;
    if (ok && incidentId) await refreshRun(incidentId);
  };
  return {
    ...notOpened,
    steps: null,
    items: [],
    requests: [],
    made: {},
    ownKeys: {},
    async load(incidentId) {
      await scope.load(incidentId, () => read(incidentId));
    },
    async linkEvidence(stepId, attestationId, itemId) {
      await scope.act(async (id) => ({ steps: await api('signoff.linkEvidence', { id, stepId, attestationId, itemId }) }), attestationKey(stepId, attestationId));
    },
    async request({ stepId, role, override }) {
      await scope.act(async (id) => {
        const file = await api('signoff.request', { id, stepId, role, ...(override ? { override } : {}) });
        return { ...(await read(id)), made: { ...get().made, [signerKey(stepId, role)]: file } };
      }, signerKey(stepId, role));
    },
    async importSignature({ stepId, role, signature, fileName }) {
      const ok = await scope.act(async (id) => {
        await api('signoff.import', { id, signature, signatureName: fileName });
        return read(id);
      }, signerKey(stepId, role));
      await signed(ok);
    },
    async sign({ stepId, role, name, override }) {
      const ok = await scope.act(async (id) => {
        await api('signoff.sign', { id, stepId, role, name, ...(override ? { override } : {}) });
        return read(id);
      }, signerKey(stepId, role));
      await signed(ok);
    },
    async signSample(stepId) {
      const ok = await scope.act(async (id) => {
        await api('sample.signOff', { id, stepId });
        return read(id);
      }, stepKey(stepId));
      await signed(ok);
    },
    async lookupOwnKey(role, name) {
      try {
        const info = await api('signoff.signerKey', { role, name });
        set({ ownKeys: { ...get().ownKeys, [role]: info } });
      } catch {
        // Shown as "no key" below; signing itself reports real problems.
        set({ ownKeys: { ...get().ownKeys, [role]: { role, name, fingerprint: null, enrolmentId: null } } });
      }
    },
  };
});
