import type { EvidenceItem } from '../../../electron/shared/evidence';
import type { SignOffStatus } from '../../../electron/shared/signoff';
import { api } from '../api/client';
import { defineStore } from './define-store';
import { type IncidentScoped, incidentScope, notOpened } from './incident-scope';
import { refreshRun } from './run-store';

/** Where a failure shows: beside the attestation or the signer it belongs to. */
export const attestationKey = (stepId: string, attestationId: string) => `${stepId}/attestation/${attestationId}`;
export const signerKey = (stepId: string, role: string) => `${stepId}/signer/${role}`;
const keyOf = (role: string, name: string) => `${role}\n${name}`;

interface SignOffState extends IncidentScoped {
  steps: SignOffStatus[] | null;
  /** The incident's evidence, to back an attestation with. */
  items: EvidenceItem[];
  /** Key fingerprints by signer (role and name); null before their first signature. */
  fingerprints: Record<string, string | null>;
  load(incidentId: string): Promise<void>;
  linkEvidence(stepId: string, attestationId: string, itemId: string): Promise<void>;
  sign(input: { stepId: string; role: string; name: string; override?: string }): Promise<void>;
  /** Looks up the fingerprint a signer's key has (or will get at their first signature). */
  lookupSigner(role: string, name: string): Promise<void>;
}

/** A signer's key fingerprint as looked up; undefined while not known. */
export const fingerprintOf = (s: SignOffState, role: string, name: string): string | null | undefined => s.fingerprints[keyOf(role, name)];

export const useSignOff = defineStore<SignOffState>((set, get) => {
  const scope = incidentScope<SignOffState>(set, get, () => ({ steps: null, items: [] }));
  const read = async (incidentId: string) => {
    const [steps, items] = await Promise.all([api('signoff.status', { id: incidentId }), api('evidence.list', { incidentId })]);
    return { steps, items };
  };
  return {
    ...notOpened,
    steps: null,
    items: [],
    fingerprints: {},
    async load(incidentId) {
      await scope.load(incidentId, () => read(incidentId));
    },
    async linkEvidence(stepId, attestationId, itemId) {
      await scope.act(async (id) => ({ steps: await api('signoff.linkEvidence', { id, stepId, attestationId, itemId }) }), attestationKey(stepId, attestationId));
    },
    async sign({ stepId, role, name, override }) {
      const signed = await scope.act(async (id) => {
        await api('signoff.sign', { id, stepId, role, name, ...(override ? { override } : {}) });
        return read(id);
      }, signerKey(stepId, role));
      const incidentId = get().incidentId;
      if (signed && incidentId) await refreshRun(incidentId);
    },
    async lookupSigner(role, name) {
      const key = keyOf(role, name);
      try {
        const { fingerprint } = await api('signoff.signerKey', { role, name });
        set({ fingerprints: { ...get().fingerprints, [key]: fingerprint } });
      } catch {
        // A name still being typed may not be valid yet; the signature itself reports real problems.
        set({ fingerprints: { ...get().fingerprints, [key]: null } });
      }
    },
  };
});
