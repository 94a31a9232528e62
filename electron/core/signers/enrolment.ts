/**
 * Enrolment: which public key may sign sign-offs as which person in which role. Each enrolment is a ledger entry of
 * the system chain (who enrolled whom, when, with which key and fingerprint) and a row of `signers`. The signer list
 * travels as an OpenSSH allowed_signers file, so a reviewer checks signatures with ssh-keygen alone.
 */
import type { Operator } from '../../shared/domain';
import { SIGNOFF_SSH_NAMESPACE, type Signer, type SignerExport, type SignerImport } from '../../shared/signers';
import type { CoreContext } from '../context';
import { FirebreakError, badInput, notFound } from '../errors';
import { type Actor, SYSTEM_SCOPE } from '../ledger/ledger';
import { inTransaction } from '../store/transactions';
import { formatAllowedSigners, parseAllowedSigners, signerPrincipal } from '../trust/allowed-signers';
import { type SshPublicKey, formatSshPublicKey, parseSshPublicKey } from '../trust/ssh-public-key';
import { roleKey } from './key-store';
import { SignerRepository } from './repository';

export interface EnrolInput {
  name: string;
  role: string;
  /** The OpenSSH public key line (`ssh-ed25519 AAAA... comment`), e.g. the .pub file `keys init` wrote. */
  publicKey: string;
  /** Where the key came from, for the record and for errors, e.g. the file name. */
  source?: string | undefined;
  /** A fictional signer of the sample incident. */
  sample?: boolean;
}

interface Candidate {
  name: string;
  role: string;
  principal: string;
  key: SshPublicKey;
  sample: boolean;
}

const who = (s: { name: string; role: string }) => `${s.name} (${s.role})`;
const samePerson = (a: { name: string }, b: { name: string }) => a.name.trim().toLowerCase() === b.name.trim().toLowerCase();
const sameRole = (a: { role: string }, b: { role: string }) => roleKey(a.role) === roleKey(b.role);
export const activeSigners = (ctx: CoreContext): Signer[] => new SignerRepository(ctx.db).all().filter((s) => !s.revoked);

/**
 * Why the candidate cannot be enrolled next to `enrolled` (active enrolments), or the enrolment that already says
 * exactly this. A key is one person's; a principal (name@role slug) is one person's in one role.
 */
function conflictWith(c: Candidate, enrolled: ReadonlyArray<Pick<Signer, 'id' | 'name' | 'role' | 'principal' | 'fingerprint' | 'sample'>>): { duplicate: string } | { conflict: string } | null {
  for (const s of enrolled) {
    const sameKey = s.fingerprint === c.key.fingerprint;
    if (sameKey && samePerson(s, c) && sameRole(s, c)) {
      return { duplicate: s.id };
    }
    if (sameKey && !samePerson(s, c)) return { conflict: `the key ${c.key.fingerprint} is enrolled for ${who(s)} (${s.id}); a key belongs to one person` };
    if (sameKey && s.sample !== c.sample) return { conflict: `the key ${c.key.fingerprint} is enrolled as a ${s.sample ? 'sample' : 'real'} signer (${s.id})` };
    if (s.principal === c.principal && !(samePerson(s, c) && sameRole(s, c))) {
      return { conflict: `${who(c)} would share the principal ${c.principal} with ${who(s)} (${s.id})` };
    }
  }
  return null;
}

function candidate(name: string, role: string, key: SshPublicKey, sample: boolean): Candidate {
  const n = name.trim();
  const r = role.trim();
  if (/\p{Cc}/u.test(n) || /\p{Cc}/u.test(r)) throw badInput('A signer\'s name and role are one line of text each.');
  return { name: n, role: r, principal: signerPrincipal(n, r), key, sample };
}

/** Records one enrolment: its system ledger entry, and its row citing that entry. */
function record(ctx: CoreContext, actor: Actor, c: Candidate, source: string | null): Signer {
  const repo = new SignerRepository(ctx.db);
  const id = repo.nextId();
  const publicKey = formatSshPublicKey(c.key);
  const entry = {
    scope: SYSTEM_SCOPE,
    action: 'signers.enrolled',
    subject: id,
    payload: { name: c.name, role: c.role, principal: c.principal, keyType: c.key.type, fingerprint: c.key.fingerprint, publicKey, source, sample: c.sample },
  };
  return ctx.change(actor, entry, (recorded) =>
    repo.insert(id, {
      name: c.name,
      role: c.role,
      principal: c.principal,
      keyType: c.key.type,
      publicKey,
      fingerprint: c.key.fingerprint,
      enrolledAt: recorded.at,
      enrolledBy: { name: actor.name, role: actor.role },
      source,
      sample: c.sample,
      ledgerSeq: recorded.seq,
    }),
  );
}

/** `signers add`: enrols one key; refuses a key that is someone else's and an enrolment that exists already. */
export function enrolSigner(ctx: CoreContext, actor: Actor, input: EnrolInput): Signer {
  const where = input.source?.trim() || 'the public key';
  const lines = input.publicKey.split(/\r?\n/).filter((l) => l.trim() && !l.trim().startsWith('#'));
  if (lines.length !== 1) throw badInput(`${where} holds ${lines.length} key lines; give one public key (one .pub file) per signer.`);
  const c = candidate(input.name, input.role, parseSshPublicKey(lines[0] as string, where), input.sample ?? false);
  // One transaction: the check against the enrolled signers and the enrolment itself.
  return inTransaction(ctx.db, () => {
    const found = conflictWith(c, activeSigners(ctx));
    if (found && 'duplicate' in found) throw new FirebreakError('conflict', `${who(c)} is already enrolled with the key ${c.key.fingerprint} (${found.duplicate}).`);
    if (found) throw new FirebreakError('conflict', `${where}: ${found.conflict}; nothing was enrolled.`);
    return record(ctx, actor, c, input.source?.trim() ? `signers add ${input.source.trim()}` : 'signers add');
  });
}

const at = (where: string, line: number) => `${where}:${line}`;
const enrolledText = (by: Operator) => `${by.name} (${by.role})`;

/**
 * `signers import FILE`: enrols every line of an allowed_signers file Firebreak wrote (each line carries its enrolment
 * record). All or nothing: any line that cannot be enrolled refuses the whole file, each problem as FILE:LINE. A line
 * enrolled exactly so already is left as it is.
 */
export function importSigners(ctx: CoreContext, actor: Actor, input: { text: string; source: string }): SignerImport {
  const where = input.source.trim() || 'allowed_signers';
  const lines = parseAllowedSigners(input.text, where);
  if (lines.length === 0) throw badInput(`${where} lists no signers.`);
  return inTransaction(ctx.db, () => {
    const enrolled = activeSigners(ctx);
    const problems: string[] = [];
    const fresh: Array<{ line: number; c: Candidate; source: string }> = [];
    const unchanged: SignerImport['unchanged'] = [];
    for (const line of lines) {
      const here = at(where, line.line);
      const e = line.enrolment;
      if (!e) {
        problems.push(`${here}: no Firebreak enrolment record after the key, so the signer's name and role are unknown; enrol the key with signers add --name --role`);
        continue;
      }
      if (line.certAuthority) problems.push(`${here}: a cert-authority line; Firebreak enrols signers' own keys only`);
      if (line.validAfter || line.validBefore) problems.push(`${here}: valid-after/valid-before are not enrolled by Firebreak; remove them or enrol the key with signers add`);
      if (line.namespaces && !line.namespaces.includes(SIGNOFF_SSH_NAMESPACE)) problems.push(`${here}: the key may not sign in the ${SIGNOFF_SSH_NAMESPACE} namespace (namespaces="${line.namespaces.join(',')}")`);
      let c: Candidate;
      try {
        c = candidate(e.name, e.role, line.key, false);
      } catch (err) {
        problems.push(`${here}: ${(err as Error).message}`);
        continue;
      }
      if (line.principals.length !== 1 || line.principals[0] !== c.principal) {
        problems.push(`${here}: the principal ${line.principals.join(',')} is not ${c.principal}, the principal of ${who(c)} in its enrolment record (the line was edited)`);
        continue;
      }
      // Earlier lines of the same file count as enrolled: a file cannot enrol one key for two people either.
      const found = conflictWith(c, [...enrolled, ...fresh.map((f) => ({ ...f.c, id: at(where, f.line), fingerprint: f.c.key.fingerprint }))]);
      if (found && 'duplicate' in found) {
        if (found.duplicate.startsWith(`${where}:`)) problems.push(`${here}: repeats ${found.duplicate}`);
        else unchanged.push({ line: line.line, id: found.duplicate });
        continue;
      }
      if (found) {
        problems.push(`${here}: ${found.conflict}`);
        continue;
      }
      const by = e.enrolledBy ? ` (enrolled there by ${e.enrolledBy}${e.enrolledAt ? ` at ${e.enrolledAt}` : ''})` : '';
      fresh.push({ line: line.line, c, source: `${here}${by}` });
    }
    if (problems.length) {
      const bad = new Set(problems.map((p) => p.slice(0, p.indexOf(': ')))).size;
      throw new FirebreakError('conflict', `${where}: ${bad === 1 ? 'one line' : `${bad} lines`} cannot be enrolled; nothing was imported.`, problems);
    }
    return { enrolled: fresh.map((f) => record(ctx, actor, f.c, f.source)), unchanged };
  });
}

/** The active signers (sample ones left out) as an allowed_signers file. */
export function exportSigners(ctx: CoreContext): SignerExport {
  const signers = activeSigners(ctx).filter((s) => !s.sample);
  return { text: allowedSignersText(signers), signers: signers.length };
}

/** An allowed_signers file of these enrolments, each line carrying its enrolment record. */
export function allowedSignersText(signers: ReadonlyArray<Pick<Signer, 'name' | 'role' | 'principal' | 'publicKey' | 'enrolledBy' | 'enrolledAt'>>): string {
  return formatAllowedSigners(
    signers.map((s) => ({
      key: parseSshPublicKey(s.publicKey, s.principal),
      principal: s.principal,
      enrolment: { name: s.name, role: s.role, enrolledBy: enrolledText(s.enrolledBy), enrolledAt: s.enrolledAt },
    })),
  );
}

/** Revokes an enrolment: its key signs nothing from now on; what it signed before stays verifiable. */
export function revokeSigner(ctx: CoreContext, actor: Actor, input: { id: string; reason: string }): Signer {
  const repo = new SignerRepository(ctx.db);
  const s = repo.get(input.id);
  if (!s) throw notFound(`There is no enrolment ${input.id}; signers list shows them.`);
  const entry = {
    scope: SYSTEM_SCOPE,
    action: 'signers.revoked',
    subject: s.id,
    payload: { name: s.name, role: s.role, fingerprint: s.fingerprint, reason: input.reason },
  };
  return ctx.change(actor, entry, (recorded) => {
    // Read again inside the change: revoked meanwhile, it is not revoked twice (the entry goes with the refusal).
    const now = repo.get(s.id) as Signer;
    if (now.revoked) throw new FirebreakError('conflict', `${s.id} (${who(s)}) was revoked already, on ${now.revoked.at} by ${now.revoked.by.name}.`);
    return repo.revoke(s.id, { at: recorded.at, by: { name: actor.name, role: actor.role }, reason: input.reason, ledgerSeq: recorded.seq });
  });
}
