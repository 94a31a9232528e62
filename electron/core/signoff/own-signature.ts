/**
 * Signing with the operator's own key, made here by `keys init`. Two uses: the signer signs a request on their own
 * machine (`firebreak signoff sign REQ`), and the operator signs a sign-off directly, only as themselves and only with
 * their key enrolled for that role. Nobody signs for anyone else: that takes a request sent to the signer.
 */
import type { SignOffRecord } from '../../shared/signoff';
import { SIGNOFF_SSH_NAMESPACE, type SignedRequest } from '../../shared/signers';
import type { CoreContext } from '../context';
import { FirebreakError, badInput } from '../errors';
import { type Actor, SYSTEM_SCOPE } from '../ledger/ledger';
import type { CloudTrailSource } from '../case/cloudtrail-facts';
import { incidentRun } from '../case/incident-run';
import { activeSigners } from '../signers/enrolment';
import { type SignerKey, type SignerKeyStore, roleKey } from '../signers/key-store';
import { signSshsig } from '../trust/sshsig';
import { makeRequest } from './request';
import { parseRequest } from '../kernel/signoff-request-file';
import { importSignature } from './signature-import';
import { sha256Hex } from '../kernel/signature';
import { canonicalRole, pickSignOffStep } from '../case/signoff-status';

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
const refused = (message: string, details?: string[]) => new FirebreakError('check-failed', message, details);

/** How to ask someone else to sign, said wherever signing for them is refused. */
export const howToAsk = (id: string, role: string, name?: string): string[] => [
  `To have ${name ?? `the ${role}`} sign, send them a request: firebreak signoff request ${id} --role "${role}" --out request.txt`,
  'They sign it on their own machine (firebreak signoff sign request.txt --out request.txt.sig, or ssh-keygen -Y sign -n firebreak-signoff -f KEY request.txt)',
  `and you import what they send back: firebreak signoff import ${id} request.txt.sig --request request.txt`,
];

export interface DirectInput {
  id: string;
  stepId?: string | undefined;
  role: string;
  name: string;
  override?: string | undefined;
}

/**
 * The operator signs a sign-off step themselves: a request made and signed here with their own key, then imported
 * like any other signature. Refused (check-failed) for any other name, and without their key enrolled for the role.
 */
export async function signDirect(
  ctx: CoreContext,
  actor: Actor,
  deps: { keys: SignerKeyStore; cloudtrail?: CloudTrailSource | undefined },
  input: DirectInput,
): Promise<SignOffRecord> {
  const { step } = pickSignOffStep(incidentRun(ctx, input.id), input.stepId);
  const role = canonicalRole(step, input.role);
  if (!sameName(actor.name, input.name)) {
    throw refused(`You are working as ${actor.name}: you cannot sign as ${input.name.trim()}. Only ${input.name.trim()} signs as ${input.name.trim()}, with their own key.`, howToAsk(input.id, role, input.name.trim()));
  }
  const key = deps.keys.get({ name: actor.name, role });
  if (!key) {
    throw refused(`You hold no signing key for ${actor.name} (${role}) on this machine.`, [
      `Make one: firebreak keys init --name "${actor.name}" --role "${role}", and have its .pub enrolled (firebreak signers add) before you sign.`,
      ...howToAsk(input.id, role),
    ]);
  }
  const enrolled = activeSigners(ctx).some((s) => s.fingerprint === key.sshPublicKey.fingerprint && roleKey(s.role) === roleKey(role) && sameName(s.name, actor.name));
  if (!enrolled) {
    throw refused(`Your key ${key.sshPublicKey.fingerprint} is not enrolled for ${actor.name} as ${role}, so it cannot sign as ${role}.`, [
      `Enrol it (whoever enrols signers confirms the fingerprint with you): firebreak signers add --name "${actor.name}" --role "${role}" --public-key ${key.publicKeyPath}`,
    ]);
  }
  const request = await makeRequest(ctx, actor, deps, { id: input.id, stepId: step.id, role, override: input.override });
  const signature = signSshsig(request.text, key.signer, SIGNOFF_SSH_NAMESPACE);
  return importSignature(ctx, actor, { id: input.id, signature, request: request.text, requestName: request.fileName, signatureName: `${request.fileName}.sig` });
}

/** The one key here that signs for this role (and name, when given). */
function keyForRole(keys: SignerKeyStore, role: string, name?: string): SignerKey {
  const all = keys.list();
  const fits = all.filter((k) => roleKey(k.role) === roleKey(role) && (!name || sameName(k.name, name)));
  if (fits.length === 1) return fits[0] as SignerKey;
  if (fits.length > 1) throw badInput(`Several keys here sign as ${role} (${fits.map((k) => k.name).join(', ')}): say whose with --name.`);
  const held = all.map((k) => `${k.name} (${k.role})`).join(', ') || 'none';
  throw refused(`You hold no key for the role ${role}${name ? ` as ${name}` : ''} on this machine (keys here: ${held}).`, [
    `Make one with firebreak keys init --name "YOUR NAME" --role "${role}" and have its .pub enrolled by whoever sent the request.`,
  ]);
}

/**
 * On the signer's machine: signs a request file with the signer's own key for the role it names, after reading it
 * back (a request edited after it was made is refused). The use of the key is recorded in this installation's system
 * ledger. The signature is what `ssh-keygen -Y sign -n firebreak-signoff` would make with the same key.
 */
export function signRequest(ctx: CoreContext, actor: Actor, keys: SignerKeyStore, input: { request: string; name?: string | undefined; requestName?: string | undefined }): SignedRequest {
  const body = parseRequest(input.request, input.requestName ?? 'the request');
  const key = keyForRole(keys, body.role, input.name);
  const signature = signSshsig(input.request, key.signer, SIGNOFF_SSH_NAMESPACE);
  const requestSha256 = sha256Hex(input.request);
  const entry = {
    scope: SYSTEM_SCOPE,
    action: 'keys.signed',
    subject: key.principal,
    payload: { request: body.request, requestSha256, incident: body.incident.id, step: body.step.id, role: body.role, fingerprint: key.sshPublicKey.fingerprint },
  };
  // Every use of the key is on this installation's record; the signature itself goes back to whoever asked.
  ctx.change(actor, entry, () => undefined);
  return {
    signature,
    requestSha256,
    incidentId: body.incident.id,
    stepTitle: body.step.title,
    role: body.role,
    statement: body.statement,
    signer: { name: key.name, role: key.role, fingerprint: key.sshPublicKey.fingerprint },
  };
}
