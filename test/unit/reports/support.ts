import type { z } from 'zod';
import type { Core } from '../../../electron/core/core';
import { FirebreakError } from '../../../electron/core/errors';
import { intakeBytes } from '../../../electron/core/evidence/intake';
import type { PdfRenderer } from '../../../electron/core/reports/pdf';
import { FileKeyStore, keysDir } from '../../../electron/core/signers/key-store';
import { ValidationRunRepository } from '../../../electron/core/validation/runs/runs-repository';
import { gapContract } from '../../../electron/shared/contract/gap';
import { operationsContract } from '../../../electron/shared/contract/operations';
import { reportsContract } from '../../../electron/shared/contract/reports';
import { signersContract } from '../../../electron/shared/contract/signers';
import { signoffContract } from '../../../electron/shared/contract/signoff';
import type { SignOffRecord } from '../../../electron/shared/signoff';
import type { EvidenceItem } from '../../../electron/shared/evidence';
import { call, testCore } from '../../helpers/core';
import { type IncidentFixture, openIncident } from '../../helpers/incident';
import { type SignerMachine, signOn, signerMachine } from '../../helpers/signers';
import { tempDir } from '../../helpers/temp';

const contracts = { ...gapContract, ...signersContract, ...signoffContract, ...reportsContract, ...operationsContract };
export type Method = keyof typeof contracts;
type Output<M extends Method> = (typeof contracts)[M]['output'];

export interface SignInput {
  id: string;
  role: string;
  name: string;
  override?: string;
  stepId?: string;
}

/** A real core on a real SQLite file, as the app opens it, with the operator's own keys at hand. */
export interface ReportsCore {
  core: Core;
  /** The operator's own keys (keys init). */
  keys: FileKeyStore;
  /** Calls the Api as every adapter does (input parsed by the contract); a refusal is thrown as a FirebreakError. */
  mine<M extends Method>(method: M, input: z.input<(typeof contracts)[M]['input']>): Promise<Output<M>>;
  /**
   * A sign-off as it is given: the signer's key made on their own machine (a folder outside the data directory) and
   * enrolled on first use, a request made, signed there and imported.
   */
  sign(input: SignInput): Promise<SignOffRecord>;
  /** The signer's machine, made and enrolled on first use. */
  machine(who: { name: string; role: string }): Promise<SignerMachine>;
  close(): void;
}

export function reportsCore(dataDir: string, o: { now?: () => Date; pdf?: () => PdfRenderer } = {}): ReportsCore {
  const core = testCore(dataDir, { ...(o.now ? { now: o.now } : {}), ...(o.pdf ? { pdf: o.pdf } : {}) });
  return reportsApi(core, dataDir, () => core.close());
}

/** A reports test's own core and incident (agent-destructive-action with the parameters of newIncident). */
export type ReportsIncident = IncidentFixture & ReportsCore;

export async function openReportsIncident(at: string, params: Record<string, string> = {}): Promise<ReportsIncident> {
  const f = await openIncident({ at, create: incidentInput(params) });
  return { ...f, ...reportsApi(f.core, f.dataDir, f.close) };
}

function reportsApi(core: Core, dataDir: string, closeCore: () => void): ReportsCore {
  const machines = tempDir('firebreak-signers-');
  const enrolled = new Map<string, SignerMachine>();
  const api: ReportsCore = {
    core,
    keys: new FileKeyStore(keysDir(dataDir)),
    async mine(method, input) {
      const r = await core.call(method, input);
      if (!r.ok) {
        // Invalid input names its fields in details: keep them in the message, as the UI and the CLI show them.
        const message = r.error.code === 'bad-input' ? [r.error.message, ...(r.error.details ?? [])].join(' ') : r.error.message;
        throw new FirebreakError(r.error.code, message, r.error.details);
      }
      return r.value as Output<typeof method>;
    },
    async machine(who) {
      const k = `${who.name}\n${who.role.toLowerCase()}`;
      let m = enrolled.get(k);
      if (!m) {
        m = signerMachine(machines.path, who);
        await api.mine('signers.add', { name: who.name, role: who.role, publicKey: m.publicKey, source: `${m.name}.pub` });
        enrolled.set(k, m);
      }
      return m;
    },
    async sign({ id, role, name, override, stepId }) {
      const m = await api.machine({ name, role });
      const req = await api.mine('signoff.request', { id, role, ...(override ? { override } : {}), ...(stepId ? { stepId } : {}) });
      return api.mine('signoff.import', { id, signature: signOn(m, req.text), request: req.text, requestName: req.fileName });
    },
    close: () => {
      closeCore();
      machines.cleanup();
    },
  };
  return api;
}

export async function newIncident(core: Core, params: Record<string, string> = {}): Promise<string> {
  return (await call<{ id: string }>(core, 'incidents.create', incidentInput(params))).id;
}

/** The incident the reports tests work on: the agent dropped the orders database. */
const incidentInput = (params: Record<string, string>) => ({
  playbookId: 'agent-destructive-action',
  title: 'ai-ops-agent dropped the orders database',
  params: {
    agent_role_name: 'ai-ops-agent',
    agent_role_arn: 'arn:aws:iam::123456789012:role/ai-ops-agent',
    agent_username: 'ai-ops-agent',
    aws_account_id: '123456789012',
    lookback_start: '2026-04-01T00:00:00Z',
    restore_database_url: 'postgres://firebreak@restore-scratch.internal:5432/orders',
    production_database_url: 'postgres://firebreak@orders-db.internal:5432/orders',
    response_team_email: 'ir-team@example.com',
    ...params,
  },
});

export function addEvidence(core: Core, incidentId: string, name: string, text: string, linkedSteps?: string[]): Promise<EvidenceItem> {
  return intakeBytes(core.context, core.context.human(), text, {
    incidentId,
    name,
    sourceKind: 'file',
    ...(linkedSteps ? { linkedSteps } : {}),
  });
}

/** A finished database comparison, as the validation wizard records it (match or mismatch). */
export function recordCompare(core: Core, incidentId: string, verdict: 'match' | 'mismatch', at: string): string {
  const repo = new ValidationRunRepository(core.context.db);
  const run = repo.insert({
    incidentId,
    kind: 'compare',
    target: 'postgres://firebreak@orders-db.internal:5432/orders',
    engine: 'postgresql',
    baselineRunId: null,
    options: {},
    startedAt: at,
    startedBy: { name: 'Dana Reyes', role: 'IR lead' },
  });
  repo.finish(run.id, {
    status: 'done',
    finishedAt: at,
    verdict,
    summary: verdict === 'match' ? 'all 15 tables match' : '2 of 15 tables differ: rental -120 rows',
  });
  return run.id;
}

/** Links one intact evidence item to each attestation of the Recovery sign-off. */
export async function backAttestations(rc: ReportsCore, incidentId: string): Promise<void> {
  const files: Array<[string, string]> = [
    ['data-restored-and-validated', 'restore-validation.json'],
    ['policy-peer-reviewed', 'iam-policy-review-CHG-4411.md'],
    ['destructive-call-alerting-tested', 'alert-test-2026-05-03.txt'],
  ];
  for (const [attestationId, name] of files) {
    const item = await addEvidence(rc.core, incidentId, name, `${name}: evidence for ${attestationId}\n`);
    await rc.mine('signoff.linkEvidence', { id: incidentId, attestationId, itemId: item.id });
  }
}
