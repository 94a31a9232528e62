import type { Operator } from '../../shared/domain';
import type { Signer, SignerKeyType } from '../../shared/signers';
import type { Db } from '../store/database';

interface SignerRow {
  id: string;
  name: string;
  role: string;
  principal: string;
  key_type: SignerKeyType;
  public_key: string;
  fingerprint: string;
  enrolled_at: string;
  enrolled_by: string;
  enrolled_by_role: string;
  source: string | null;
  sample: number;
  ledger_seq: number;
  revoked_at: string | null;
  revoked_by: string | null;
  revoked_by_role: string | null;
  revoke_reason: string | null;
  revoke_seq: number | null;
}

/** An enrolment as recorded: everything but its id (given) and a revocation (none yet). */
export type NewSigner = Omit<Signer, 'id' | 'revoked'>;

const toSigner = (r: SignerRow): Signer => ({
  id: r.id,
  name: r.name,
  role: r.role,
  principal: r.principal,
  keyType: r.key_type,
  publicKey: r.public_key,
  fingerprint: r.fingerprint,
  enrolledAt: r.enrolled_at,
  enrolledBy: { name: r.enrolled_by, role: r.enrolled_by_role },
  source: r.source,
  sample: r.sample === 1,
  ledgerSeq: r.ledger_seq,
  revoked:
    r.revoked_at && r.revoke_seq !== null
      ? { at: r.revoked_at, by: { name: r.revoked_by ?? '', role: r.revoked_by_role ?? '' }, reason: r.revoke_reason ?? '', ledgerSeq: r.revoke_seq }
      : null,
});

/** The enrolled signers. Writes happen inside the caller's transaction, next to their ledger entries. */
export class SignerRepository {
  constructor(private readonly db: Db) {}

  /** In enrolment order, revoked ones included. */
  all(): Signer[] {
    return (this.db.prepare('SELECT * FROM signers ORDER BY num').all() as SignerRow[]).map(toSigner);
  }

  get(id: string): Signer | null {
    const r = this.db.prepare('SELECT * FROM signers WHERE id = ?').get(id) as SignerRow | undefined;
    return r ? toSigner(r) : null;
  }

  /** Every enrolment of this key, revoked ones included. */
  byFingerprint(fingerprint: string): Signer[] {
    return (this.db.prepare('SELECT * FROM signers WHERE fingerprint = ? ORDER BY num').all(fingerprint) as SignerRow[]).map(toSigner);
  }

  nextId(): string {
    const n = (this.db.prepare('SELECT coalesce(max(num), 0) + 1 AS n FROM signers').get() as { n: number }).n;
    return `SG-${String(n).padStart(6, '0')}`;
  }

  insert(id: string, s: NewSigner): Signer {
    this.db
      .prepare(
        `INSERT INTO signers (num, id, name, role, principal, key_type, public_key, fingerprint, enrolled_at, enrolled_by,
           enrolled_by_role, source, sample, ledger_seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        Number(id.slice(3)),
        id,
        s.name,
        s.role,
        s.principal,
        s.keyType,
        s.publicKey,
        s.fingerprint,
        s.enrolledAt,
        s.enrolledBy.name,
        s.enrolledBy.role,
        s.source,
        s.sample ? 1 : 0,
        s.ledgerSeq,
      );
    return this.get(id) as Signer;
  }

  revoke(id: string, r: { at: string; by: Operator; reason: string; ledgerSeq: number }): Signer {
    this.db
      .prepare('UPDATE signers SET revoked_at = ?, revoked_by = ?, revoked_by_role = ?, revoke_reason = ?, revoke_seq = ? WHERE id = ?')
      .run(r.at, r.by.name, r.by.role, r.reason, r.ledgerSeq, id);
    return this.get(id) as Signer;
  }
}
