/**
 * The sample incident's fictional signers. Each signs as a real signer does, on a machine of their own: a key made in a
 * temporary folder outside the data directory, enrolled by its public key (marked SAMPLE, so it can sign no real
 * incident), the request signed there and the signature imported. The folder is removed afterwards, and the enrolment
 * revoked: its private key no longer exists anywhere.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiInput, ApiMethod, ApiOutput } from '../../shared/contract/index';
import { SIGNOFF_SSH_NAMESPACE } from '../../shared/signers';
import type { SignOffRecord } from '../../shared/signoff';
import type { CoreContext } from '../context';
import { FirebreakError } from '../errors';
import { incidentOf, incidentRun } from '../case/incident-run';
import { enrolSigner, revokeSigner } from '../signers/enrolment';
import { FileKeyStore, roleKey } from '../signers/key-store';
import { pickSignOffStep, signOffStatus } from '../case/signoff-status';
import { formatSshPublicKey } from '../trust/ssh-public-key';
import { signSshsig } from '../trust/sshsig';

/** Who signs the sample: fictional people, one per role. */
export const SAMPLE_SIGNERS: Readonly<Record<string, string>> = { irlead: 'Jordan Avery', ciso: 'Morgan Lee', legal: 'Sam Ortiz' };

type Call = <M extends ApiMethod>(m: M, input: ApiInput<M>) => Promise<ApiOutput<M>>;

/** Every role of the step that has not signed, each signed by its fictional signer; refused while the gate is not met. */
export async function signSample(ctx: CoreContext, call: Call, input: { id: string; stepId?: string | undefined }): Promise<SignOffRecord[]> {
  if (!incidentOf(ctx, input.id).sample) throw new FirebreakError('conflict', `${input.id} is not a sample incident; its signers sign for themselves, by request.`);
  const { step } = pickSignOffStep(incidentRun(ctx, input.id), input.stepId);
  const status = signOffStatus(ctx, incidentRun(ctx, input.id)).find((s) => s.stepId === step.id);
  const open = (status?.signers ?? []).filter((s) => !s.signOff).map((s) => s.role);
  if (open.length === 0) throw new FirebreakError('conflict', `Every role has signed "${step.title}" in ${input.id}.`);
  const signed: SignOffRecord[] = [];
  for (const role of open) {
    const name = SAMPLE_SIGNERS[roleKey(role)] ?? `Sample ${role}`;
    // The request first: it refuses while the gate is not met, before any key is made or enrolled.
    const request = await call('signoff.request', { id: input.id, stepId: step.id, role });
    const machine = mkdtempSync(join(tmpdir(), 'firebreak-sample-signer-'));
    let enrolment: string | null = null;
    try {
      const { key } = new FileKeyStore(join(machine, 'keys')).init({ name, role }, ctx.now());
      enrolment = enrolSigner(ctx, ctx.human(), { name, role, publicKey: formatSshPublicKey(key.sshPublicKey), source: "SAMPLE: the fictional signer's own machine", sample: true }).id;
      const signature = signSshsig(request.text, key.signer, SIGNOFF_SSH_NAMESPACE);
      signed.push(await call('signoff.import', { id: input.id, signature, request: request.text, requestName: request.fileName, signatureName: `${request.fileName}.sig` }));
    } finally {
      rmSync(machine, { recursive: true, force: true });
      if (enrolment) revokeSigner(ctx, ctx.human(), { id: enrolment, reason: 'SAMPLE: the fictional signer signed; their temporary key is gone' });
    }
  }
  return signed;
}
