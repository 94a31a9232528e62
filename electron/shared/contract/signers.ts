import * as z from 'zod';
import type { KeyInitResult, OwnKey, Signer, SignerExport, SignerImport } from '../signers';
import { method, noInput, text } from './define';

const name = text('Name', 200);
const role = text('Role', 80);

export const signersContract = {
  /** Makes the operator's own Ed25519 signing key for this name and role here (keys init); an existing one is kept. */
  'keys.init': method<KeyInitResult>().mutation(() => z.object({ name, role }).strict()),
  /** The operator's own keys held here, with their enrolments. */
  'keys.list': method<OwnKey[]>().query(() => noInput),
  /** Enrols a signer by their OpenSSH public key line (ssh-ed25519 or sk-ssh-ed25519@openssh.com). */
  'signers.add': method<Signer>().mutation(
    () => z.object({ name, role, publicKey: text('Public key', 16_000), source: text('Source', 500).optional() }).strict(),
  ),
  'signers.list': method<Signer[]>().query(() => z.object({ includeRevoked: z.boolean().default(false) }).strict()),
  /** The active signers as an OpenSSH allowed_signers file. */
  'signers.export': method<SignerExport>().query(() => noInput),
  /** Enrols every line of an allowed_signers file Firebreak wrote; all or nothing, each problem as FILE:LINE. */
  'signers.import': method<SignerImport>().mutation(
    () => z.object({ text: z.string().max(4_000_000, 'an allowed_signers file is at most 4 MB'), source: text('Source', 500) }).strict(),
  ),
  /** Ends an enrolment: the key signs nothing from now on; its earlier signatures stay verifiable. */
  'signers.revoke': method<Signer>().mutation(
    () => z.object({ id: z.string().regex(/^SG-\d{6,}$/, 'an enrolment id looks like SG-000001'), reason: text('Reason', 2000) }).strict(),
  ),
};
