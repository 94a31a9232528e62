import type { Checkpoint } from '../../shared/checkpoints';
import type { Db } from '../store/database';

interface CheckpointRow {
  id: string;
  incident_id: string;
  reason: string;
  made_at: string;
  made_by: string;
  made_by_role: string;
  incident_seq: number;
  incident_head: string | null;
  system_seq: number;
  system_head: string | null;
  body: string;
  body_sha256: string;
  signature: string | null;
  public_key: string | null;
  fingerprint: string | null;
  unsigned_reason: string | null;
  tsa_url: string | null;
  tsa_token: Buffer | null;
  tsa_gen_time: string | null;
  tsa_problem: string | null;
  ledger_seq: number;
}

const toCheckpoint = (r: CheckpointRow): Checkpoint => ({
  id: r.id,
  incidentId: r.incident_id,
  reason: r.reason,
  madeAt: r.made_at,
  madeBy: { name: r.made_by, role: r.made_by_role },
  incident: { scope: r.incident_id, seq: r.incident_seq, head: r.incident_head },
  system: { scope: 'system', seq: r.system_seq, head: r.system_head },
  body: r.body,
  bodySha256: r.body_sha256,
  signature: r.signature && r.public_key ? { armored: r.signature, publicKey: r.public_key, fingerprint: r.fingerprint ?? '' } : null,
  unsignedReason: r.unsigned_reason,
  timeStamp: r.tsa_token && r.tsa_url ? { tsaUrl: r.tsa_url, genTime: r.tsa_gen_time ?? '', tokenBase64: r.tsa_token.toString('base64') } : null,
  timeStampProblem: r.tsa_problem,
  ledgerSeq: r.ledger_seq,
});

/** The checkpoints table. insert runs inside the caller's change, beside the checkpoint's ledger entry. */
export class CheckpointRepository {
  constructor(private readonly db: Db) {}

  nextId(): string {
    const n = (this.db.prepare('SELECT coalesce(max(num), 0) + 1 AS n FROM checkpoints').get() as { n: number }).n;
    return `CP-${String(n).padStart(6, '0')}`;
  }

  insert(c: Checkpoint): void {
    this.db
      .prepare(
        `INSERT INTO checkpoints (num, id, incident_id, reason, made_at, made_by, made_by_role, incident_seq, incident_head,
           system_seq, system_head, body, body_sha256, signature, public_key, fingerprint, unsigned_reason, tsa_url, tsa_token,
           tsa_gen_time, tsa_problem, ledger_seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        Number(c.id.slice(3)),
        c.id,
        c.incidentId,
        c.reason,
        c.madeAt,
        c.madeBy.name,
        c.madeBy.role,
        c.incident.seq,
        c.incident.head,
        c.system.seq,
        c.system.head,
        c.body,
        c.bodySha256,
        c.signature?.armored ?? null,
        c.signature?.publicKey ?? null,
        c.signature?.fingerprint ?? null,
        c.unsignedReason,
        c.timeStamp?.tsaUrl ?? null,
        c.timeStamp ? Buffer.from(c.timeStamp.tokenBase64, 'base64') : null,
        c.timeStamp?.genTime ?? null,
        c.timeStampProblem,
        c.ledgerSeq,
      );
  }

  /** An incident's checkpoints in the order they were made; `upToSeq` keeps those recorded at or before that entry. */
  ofIncident(incidentId: string, upToSeq = Number.MAX_SAFE_INTEGER): Checkpoint[] {
    return (
      this.db.prepare('SELECT * FROM checkpoints WHERE incident_id = ? AND ledger_seq <= ? ORDER BY num').all(incidentId, upToSeq) as CheckpointRow[]
    ).map(toCheckpoint);
  }
}
