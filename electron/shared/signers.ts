/**
 * Signers and their keys. A signer's private key exists only with the signer: Firebreak keeps the public key of each
 * enrolled signer (name, role, key, fingerprint, who enrolled them and when) and the operator's own key on the
 * operator's machine. Plain data only; shared by core, adapters and the renderer.
 */
import type { Operator } from './domain';

/** The namespace of every sign-off signature: `ssh-keygen -Y sign -n firebreak-signoff`. */
export const SIGNOFF_SSH_NAMESPACE = 'firebreak-signoff';

export const SIGNER_KEY_TYPES = ['ssh-ed25519', 'sk-ssh-ed25519@openssh.com'] as const;
export type SignerKeyType = (typeof SIGNER_KEY_TYPES)[number];

export interface SignerRevocation {
  at: string;
  by: Operator;
  reason: string;
  /** The system ledger entry that records it. */
  ledgerSeq: number;
}

/** An enrolment: this key may sign sign-offs as this person in this role. */
export interface Signer {
  /** SG-000001. */
  id: string;
  name: string;
  role: string;
  /** `name@role` as a slug: the principal of the allowed_signers line (`ssh-keygen -Y verify -I`). */
  principal: string;
  keyType: SignerKeyType;
  /** The OpenSSH public key line as enrolled. */
  publicKey: string;
  /** `SHA256:...`, as `ssh-keygen -lf` prints it. */
  fingerprint: string;
  enrolledAt: string;
  enrolledBy: Operator;
  /** Where the key came from, e.g. `signers add ciso.pub` or `org-signers:4`. */
  source: string | null;
  /** A fictional signer of a sample incident: it signs only sample incidents. */
  sample: boolean;
  /** The system ledger entry that records the enrolment. */
  ledgerSeq: number;
  revoked: SignerRevocation | null;
}

/** A key of the person using this installation, made here by `keys init`; its private half never leaves this machine. */
export interface OwnKey {
  name: string;
  role: string;
  principal: string;
  fingerprint: string;
  /** The OpenSSH public key line, also in `publicKeyPath`: what to give whoever enrols the signer. */
  publicKey: string;
  publicKeyPath: string;
  /** How the private key is protected at rest, e.g. "file mode 0600" or "OS keychain (gnome_libsecret)". */
  protection: string;
  createdAt: string | null;
  /** The enrolment of this key for this name and role, when it is enrolled in this installation. */
  enrolment: Signer | null;
}

export interface KeyInitResult extends OwnKey {
  /** False when the key already existed: `keys init` never replaces a key. */
  created: boolean;
}

export interface SignerImport {
  /** Newly enrolled, in the file's order. */
  enrolled: Signer[];
  /** Lines already enrolled exactly so (same key, name and role): nothing recorded for them. */
  unchanged: Array<{ line: number; id: string }>;
}

export interface SignerExport {
  /** The allowed_signers file. */
  text: string;
  signers: number;
}

/** `firebreak signoff sign` on the signer's machine: the signature file, and what was signed, for the signer to read. */
export interface SignedRequest {
  signature: string;
  requestSha256: string;
  incidentId: string;
  stepTitle: string;
  role: string;
  statement: string;
  signer: { name: string; role: string; fingerprint: string };
}
