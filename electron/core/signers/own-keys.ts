import type { KeyInitResult, OwnKey } from '../../shared/signers';
import type { CoreContext } from '../context';
import { type Actor, SYSTEM_SCOPE } from '../ledger/ledger';
import { formatSshPublicKey } from '../trust/ssh-public-key';
import { activeSigners } from './enrolment';
import { type SignerIdentity, type SignerKey, type SignerKeyStore, roleKey } from './key-store';

/** An own key as the Api shows it, with its enrolment here when there is one. */
export function ownKeyInfo(ctx: CoreContext, keys: SignerKeyStore, key: SignerKey): OwnKey {
  const fingerprint = key.sshPublicKey.fingerprint;
  const enrolment =
    activeSigners(ctx).find((s) => s.fingerprint === fingerprint && roleKey(s.role) === roleKey(key.role) && s.name.toLowerCase() === key.name.toLowerCase()) ?? null;
  return {
    name: key.name,
    role: key.role,
    principal: key.principal,
    fingerprint,
    publicKey: formatSshPublicKey(key.sshPublicKey),
    publicKeyPath: key.publicKeyPath,
    protection: keys.protection,
    createdAt: key.createdAt,
    enrolment,
  };
}

/**
 * `keys init`: the operator's own Ed25519 key for a name and role, made here (never replaced once made). Its making is
 * recorded in the system ledger with its fingerprint and public key; the private key is in no record.
 */
export function initOwnKey(ctx: CoreContext, actor: Actor, keys: SignerKeyStore, who: SignerIdentity): KeyInitResult {
  const { key, created } = keys.init(who, ctx.now());
  if (created) {
    const entry = {
      scope: SYSTEM_SCOPE,
      action: 'keys.created',
      subject: key.principal,
      payload: { name: key.name, role: key.role, fingerprint: key.sshPublicKey.fingerprint, publicKey: formatSshPublicKey(key.sshPublicKey), protection: keys.protection },
    };
    // The key is a file on this machine, not a row: the entry is the whole change to the record.
    ctx.change(actor, entry, () => undefined);
  }
  return { ...ownKeyInfo(ctx, keys, key), created };
}
