import type { Initiator, Operator } from '../../shared/domain';
import type { MonitoringCheck, StepStatus } from '../../shared/workflow';
import type { Db } from '../store/database';

export interface StepRow {
  step_id: string;
  status: StepStatus;
  reason: string | null;
  note: string | null;
  updated_at: string;
  updated_by: string;
  updated_role: string;
}

export interface PhaseRow {
  phase_id: string;
  status: 'open' | 'closed';
  closed_at: string | null;
  closed_by: string | null;
  closed_role: string | null;
  override_reason: string | null;
  override_missing: string | null;
}

/** The workflow's tables (step, phase, decision, escalation, time, notification and monitoring records). */
export class WorkflowRepository {
  constructor(private readonly db: Db) {}

  steps(id: string): StepRow[] {
    return this.db.prepare('SELECT * FROM step_states WHERE incident_id = ?').all(id) as StepRow[];
  }

  upsertStep(id: string, stepId: string, s: { status: StepStatus; reason: string | null; note: string | null }, by: Operator, at: string): void {
    this.db
      .prepare(
        `INSERT INTO step_states (incident_id, step_id, status, reason, note, updated_at, updated_by, updated_role)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (incident_id, step_id) DO UPDATE SET status = excluded.status, reason = excluded.reason,
           note = excluded.note, updated_at = excluded.updated_at, updated_by = excluded.updated_by, updated_role = excluded.updated_role`,
      )
      .run(id, stepId, s.status, s.reason, s.note, at, by.name, by.role);
  }

  phases(id: string): PhaseRow[] {
    return this.db.prepare('SELECT * FROM phase_states WHERE incident_id = ?').all(id) as PhaseRow[];
  }

  closePhase(id: string, phaseId: string, by: Operator, at: string, override: { reason: string; missing: unknown } | null): void {
    this.db
      .prepare(
        `INSERT INTO phase_states (incident_id, phase_id, status, closed_at, closed_by, closed_role, override_reason, override_missing)
         VALUES (?, ?, 'closed', ?, ?, ?, ?, ?)
         ON CONFLICT (incident_id, phase_id) DO UPDATE SET status = 'closed', closed_at = excluded.closed_at,
           closed_by = excluded.closed_by, closed_role = excluded.closed_role, override_reason = excluded.override_reason,
           override_missing = excluded.override_missing`,
      )
      .run(id, phaseId, at, by.name, by.role, override?.reason ?? null, override ? JSON.stringify(override.missing) : null);
  }

  reopenPhase(id: string, phaseId: string): void {
    this.db
      .prepare(
        `UPDATE phase_states SET status = 'open', closed_at = NULL, closed_by = NULL, closed_role = NULL,
           override_reason = NULL, override_missing = NULL WHERE incident_id = ? AND phase_id = ?`,
      )
      .run(id, phaseId);
  }

  decisions(id: string): Map<string, string[]> {
    const rows = this.db.prepare('SELECT step_id, answers FROM decisions WHERE incident_id = ?').all(id) as { step_id: string; answers: string }[];
    return new Map(rows.map((r) => [r.step_id, JSON.parse(r.answers) as string[]]));
  }

  decide(id: string, stepId: string, answers: string[], by: Operator, at: string): void {
    this.db
      .prepare(
        `INSERT INTO decisions (incident_id, step_id, answers, decided_at, decided_by, decided_role) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (incident_id, step_id) DO UPDATE SET answers = excluded.answers, decided_at = excluded.decided_at,
           decided_by = excluded.decided_by, decided_role = excluded.decided_role`,
      )
      .run(id, stepId, JSON.stringify(answers), at, by.name, by.role);
  }

  escalations(id: string) {
    return this.db.prepare('SELECT * FROM escalations WHERE incident_id = ? ORDER BY raised_at').all(id) as Array<{
      escalation_id: string;
      step_id: string;
      answer_id: string;
      raised_at: string;
      raised_by: string;
    }>;
  }

  /** Returns false when the escalation was already raised (it is raised once per incident). */
  raiseEscalation(id: string, escalationId: string, stepId: string, answerId: string, by: Operator, at: string): boolean {
    const r = this.db
      .prepare(
        `INSERT OR IGNORE INTO escalations (incident_id, escalation_id, step_id, answer_id, raised_at, raised_by) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(id, escalationId, stepId, answerId, at, by.name);
    return r.changes > 0;
  }

  times(id: string): Map<string, string> {
    const rows = this.db.prepare('SELECT kind, at FROM incident_times WHERE incident_id = ?').all(id) as { kind: string; at: string }[];
    return new Map(rows.map((r) => [r.kind, r.at]));
  }

  setTime(id: string, kind: 'awareness' | 'materiality', at: string, by: Operator, now: string): void {
    this.db
      .prepare(
        `INSERT INTO incident_times (incident_id, kind, at, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (incident_id, kind) DO UPDATE SET at = excluded.at, recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by`,
      )
      .run(id, kind, at, now, by.name);
  }

  notifications(id: string): Map<string, { at: string; note: string | null }> {
    const rows = this.db.prepare('SELECT regime, notified_at, note FROM notifications WHERE incident_id = ?').all(id) as {
      regime: string;
      notified_at: string;
      note: string | null;
    }[];
    return new Map(rows.map((r) => [r.regime, { at: r.notified_at, note: r.note }]));
  }

  recordNotification(id: string, regime: string, at: string, note: string | null, by: Operator, now: string): void {
    this.db
      .prepare(
        `INSERT INTO notifications (incident_id, regime, notified_at, note, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (incident_id, regime) DO UPDATE SET notified_at = excluded.notified_at, note = excluded.note,
           recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by`,
      )
      .run(id, regime, at, note, now, by.name);
  }

  monitoringChecks(id: string): MonitoringCheck[] {
    const rows = this.db
      .prepare('SELECT at, result, note, by_name, by_role, initiator FROM monitoring_checks WHERE incident_id = ? ORDER BY at, num')
      .all(id) as Array<{ at: string; result: 'clear' | 'alert'; note: string; by_name: string; by_role: string; initiator: Initiator }>;
    return rows.map((r) => ({ at: r.at, result: r.result, note: r.note, by: { name: r.by_name, role: r.by_role }, initiator: r.initiator }));
  }

  logMonitoringCheck(id: string, c: MonitoringCheck): void {
    this.db
      .prepare('INSERT INTO monitoring_checks (incident_id, at, result, note, by_name, by_role, initiator) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, c.at, c.result, c.note, c.by.name, c.by.role, c.initiator);
  }
}
