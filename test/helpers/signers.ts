import { mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Core } from '../../electron/core/core';
import { FileKeyStore, type SignerKey } from '../../electron/core/signers/key-store';
import { signSshsig } from '../../electron/core/trust/sshsig';
import type { Signer } from '../../electron/shared/signers';
import { SIGNOFF_SSH_NAMESPACE } from '../../electron/shared/signers';
import type { SignOffRecord, SignOffRequestFile } from '../../electron/shared/signoff';
import { call } from './core';

/** A signer's own machine: their key made in a folder of its own, never the operator's data directory. */
export interface SignerMachine {
  name: string;
  role: string;
  dir: string;
  key: SignerKey;
  /** What they hand over to be enrolled: the .pub line. */
  publicKey: string;
}

export function signerMachine(root: string, who: { name: string; role: string }): SignerMachine {
  const dir = join(root, `machine-${who.name.replace(/\W+/g, '-').toLowerCase()}-${who.role.replace(/\W+/g, '-').toLowerCase()}`);
  mkdirSync(dir, { recursive: true });
  const { key } = new FileKeyStore(join(dir, 'keys')).init(who, new Date('2026-01-01T00:00:00Z'));
  return { ...who, dir, key, publicKey: readFileSync(key.publicKeyPath, 'utf8') };
}

/** Enrols the machine's key through the Api, as `signers add --public-key FILE` does. */
export const enrol = (core: Core, m: SignerMachine): Promise<Signer> =>
  call<Signer>(core, 'signers.add', { name: m.name, role: m.role, publicKey: m.publicKey, source: basename(m.key.publicKeyPath) });

/** What `firebreak signoff sign` does on the signer's machine: an SSH signature over the request's bytes. */
export const signOn = (m: SignerMachine, request: string): string => signSshsig(request, m.key.signer, SIGNOFF_SSH_NAMESPACE);

/** The whole exchange through the Api: request, signed on the signer's machine, imported. */
export async function signAs(core: Core, m: SignerMachine, id: string, o: { stepId?: string; override?: string } = {}): Promise<SignOffRecord> {
  const req = await call<SignOffRequestFile>(core, 'signoff.request', { id, role: m.role, ...o });
  return call<SignOffRecord>(core, 'signoff.import', { id, signature: signOn(m, req.text), request: req.text, requestName: req.fileName, signatureName: `${req.fileName}.sig` });
}
