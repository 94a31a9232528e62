import type { Incident, Operator, Severity } from '../../shared/domain';
import { MONITORING_DAYS } from '../../shared/workflow';
import type { Db } from '../store/database';

interface Row {
  id: string;
  title: string;
  status: Incident['status'];
  severity: Severity;
  playbook_id: string;
  playbook_version: string;
  playbook_title: string;
  playbook_sha256: string;
  params: string;
  phase: string;
  created_at: string;
  created_by: string;
  created_by_role: string;
  sample: number;
  recovery_closed_at: string | null;
}

const WATCH_MS = MONITORING_DAYS * 86_400_000;

const COLUMNS = `id, title, status, severity, playbook_id, playbook_version, playbook_title, playbook_sha256, params, phase,
  created_at, created_by, created_by_role, sample,
  (SELECT closed_at FROM phase_states p WHERE p.incident_id = incidents.id AND p.phase_id = 'recovery' AND p.status = 'closed') AS recovery_closed_at`;

const toIncident = (r: Row): Incident => ({
  id: r.id,
  title: r.title,
  status: r.status,
  severity: r.severity,
  playbook: { id: r.playbook_id, version: r.playbook_version, title: r.playbook_title, sha256: r.playbook_sha256 },
  params: JSON.parse(r.params) as Record<string, string>,
  phase: r.phase,
  createdAt: r.created_at,
  createdBy: { name: r.created_by, role: r.created_by_role },
  sample: r.sample === 1,
  monitoringUntil: r.recovery_closed_at ? new Date(Date.parse(r.recovery_closed_at) + WATCH_MS).toISOString() : null,
});

export interface NewIncident {
  title: string;
  severity: Severity;
  playbook: { id: string; version: string; title: string; sha256: string; content: string };
  params: Record<string, string>;
  phase: string;
  createdAt: Date;
  createdBy: Operator;
  sample?: boolean;
}

/** The incidents table. The workflow moves an incident's phase and status and edits its parameters through it. */
export class IncidentRepository {
  constructor(private readonly db: Db) {}

  /** IR-YYYY-NNNN, numbered within the year. Call inside the creating transaction. */
  nextId(at: Date): string {
    const year = at.getUTCFullYear();
    const row = this.db
      .prepare(`SELECT max(CAST(substr(id, 9) AS INTEGER)) AS n FROM incidents WHERE id LIKE ?`)
      .get(`IR-${year}-%`) as { n: number | null };
    return `IR-${year}-${String((row.n ?? 0) + 1).padStart(4, '0')}`;
  }

  insert(n: NewIncident): Incident {
    const id = this.nextId(n.createdAt);
    this.db
      .prepare(
        `INSERT INTO incidents (id, title, status, severity, playbook_id, playbook_version, playbook_title, playbook_sha256,
           playbook_content, params, phase, created_at, created_by, created_by_role, sample)
         VALUES (?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        n.title,
        n.severity,
        n.playbook.id,
        n.playbook.version,
        n.playbook.title,
        n.playbook.sha256,
        n.playbook.content,
        JSON.stringify(n.params),
        n.phase,
        n.createdAt.toISOString(),
        n.createdBy.name,
        n.createdBy.role,
        n.sample ? 1 : 0,
      );
    return this.get(id) as Incident;
  }

  /** The confirmed awareness time (the workflow's incident_times); recorded with the opening when the opener gives it. */
  recordAwareness(id: string, at: string, by: Operator, now: string): void {
    this.db
      .prepare(`INSERT INTO incident_times (incident_id, kind, at, recorded_at, recorded_by) VALUES (?, 'awareness', ?, ?, ?)`)
      .run(id, at, now, by.name);
  }

  exists(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM incidents WHERE id = ?').get(id) !== undefined;
  }

  /** The exact playbook text the incident pinned when it was opened. */
  playbookContent(id: string): string | undefined {
    return (this.db.prepare('SELECT playbook_content FROM incidents WHERE id = ?').get(id) as { playbook_content: string } | undefined)?.playbook_content;
  }

  setParams(id: string, params: Record<string, string>): void {
    this.db.prepare('UPDATE incidents SET params = ? WHERE id = ?').run(JSON.stringify(params), id);
  }

  setCurrentPhase(id: string, phase: string): void {
    this.db.prepare('UPDATE incidents SET phase = ? WHERE id = ?').run(phase, id);
  }

  setStatus(id: string, status: 'open' | 'closed'): void {
    this.db.prepare('UPDATE incidents SET status = ? WHERE id = ?').run(status, id);
  }

  get(id: string): Incident | undefined {
    const r = this.db.prepare(`SELECT ${COLUMNS} FROM incidents WHERE id = ?`).get(id) as Row | undefined;
    return r && toIncident(r);
  }

  /** Newest first; `search` matches id, title, playbook and parameter values, case-insensitively. */
  list(search?: string): Incident[] {
    const q = search?.trim();
    const rows = q
      ? (this.db
          .prepare(
            `SELECT ${COLUMNS} FROM incidents
             WHERE instr(lower(id || ' ' || title || ' ' || playbook_id || ' ' || playbook_title || ' ' || params), lower(?)) > 0
             ORDER BY created_at DESC, id DESC`,
          )
          .all(q) as Row[])
      : (this.db.prepare(`SELECT ${COLUMNS} FROM incidents ORDER BY created_at DESC, id DESC`).all() as Row[]);
    return rows.map(toIncident);
  }
}
