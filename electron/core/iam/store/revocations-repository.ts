import type { Revocation, RevokeCall } from '../../../shared/iam';
import type { Db } from '../../store/database';

/** A revocation as stored; the times to halt and from awareness are worked out when it is read. */
export type RevocationRow = Pick<Revocation, 'seq' | 'identity' | 'kind' | 'calls' | 'undo' | 'revokedAt' | 'revokedBy' | 'override' | 'undoneAt' | 'undoneBy'>;

interface Raw {
  seq: number;
  identity: string;
  kind: 'role' | 'user';
  plan: string;
  revoked_at: string;
  revoked_by: string;
  override: string | null;
  undone_at: string | null;
  undone_by: string | null;
}

export class IamRevocationsRepository {
  constructor(private readonly db: Db) {}

  list(incidentId: string): RevocationRow[] {
    const rows = this.db.prepare('SELECT seq, identity, kind, plan, revoked_at, revoked_by, override, undone_at, undone_by FROM iam_revocations WHERE incident_id = ? ORDER BY seq').all(incidentId) as Raw[];
    return rows.map((r) => {
      const plan = JSON.parse(r.plan) as { calls: RevokeCall[]; undo: RevokeCall[] };
      return { seq: r.seq, identity: r.identity, kind: r.kind, calls: plan.calls, undo: plan.undo, revokedAt: r.revoked_at, revokedBy: r.revoked_by, override: r.override, undoneAt: r.undone_at, undoneBy: r.undone_by };
    });
  }

  add(incidentId: string, r: { identity: string; kind: 'role' | 'user'; calls: RevokeCall[]; undo: RevokeCall[]; revokedAt: string; revokedBy: string; override: string | null }): number {
    const seq = (this.db.prepare('SELECT coalesce(max(seq), 0) + 1 AS n FROM iam_revocations WHERE incident_id = ?').get(incidentId) as { n: number }).n;
    this.db
      .prepare('INSERT INTO iam_revocations (incident_id, seq, identity, kind, plan, revoked_at, revoked_by, override) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(incidentId, seq, r.identity, r.kind, JSON.stringify({ calls: r.calls, undo: r.undo }), r.revokedAt, r.revokedBy, r.override);
    return seq;
  }

  markUndone(incidentId: string, seq: number, at: string, by: string): boolean {
    return this.db.prepare('UPDATE iam_revocations SET undone_at = ?, undone_by = ? WHERE incident_id = ? AND seq = ? AND undone_at IS NULL').run(at, by, incidentId, seq).changes > 0;
  }
}
