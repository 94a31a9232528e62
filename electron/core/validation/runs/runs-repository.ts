import { createHash } from 'node:crypto';
import type {
  CompareCoverage,
  CompareResult,
  DbEngine,
  RunProgress,
  ValidationRun,
  ValidationRunKind,
  ValidationRunStatus,
  ValidationVerdict,
} from '../../../shared/validation';
import type { Db } from '../../store/database';

interface Row {
  id: string;
  incident_id: string;
  kind: ValidationRunKind;
  status: Exclude<ValidationRunStatus, 'interrupted'>;
  target: string | null;
  engine: DbEngine | null;
  baseline_run_id: string | null;
  started_at: string;
  started_by: string;
  started_by_role: string;
  finished_at: string | null;
  verdict: ValidationVerdict | null;
  summary: string | null;
  result_sha256: string | null;
  evidence_id: string | null;
  error: string | null;
  progress: string | null;
}

const COLUMNS = `id, incident_id, kind, status, target, engine, baseline_run_id, started_at, started_by, started_by_role,
  finished_at, verdict, summary, result_sha256, evidence_id, error, progress`;

const toRun = (r: Row): ValidationRun => ({
  id: r.id,
  incidentId: r.incident_id,
  kind: r.kind,
  status: r.status,
  target: r.target,
  engine: r.engine,
  baselineRunId: r.baseline_run_id,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  startedBy: { name: r.started_by, role: r.started_by_role },
  verdict: r.verdict,
  summary: r.summary,
  evidenceId: r.evidence_id,
  resultSha256: r.result_sha256,
  error: r.error,
  progress: r.progress ? (JSON.parse(r.progress) as RunProgress) : null,
});

export interface NewRun {
  incidentId: string;
  kind: ValidationRunKind;
  target: string | null;
  engine: DbEngine | null;
  baselineRunId: string | null;
  options: unknown;
  startedAt: string;
  startedBy: { name: string; role: string };
}

export interface RunOutcome {
  status: Exclude<ValidationRunStatus, 'running' | 'interrupted'>;
  finishedAt: string;
  engine?: DbEngine | null;
  verdict?: ValidationVerdict | null;
  summary?: string | null;
  result?: string | null;
  resultSha256?: string | null;
  evidenceId?: string | null;
  error?: string | null;
  progress?: RunProgress | null;
}

/** validation_runs. Writes happen inside the caller's transaction, next to their ledger entries. */
export class ValidationRunRepository {
  constructor(private readonly db: Db) {}

  /** VR-000001, numbered across incidents. Call inside the inserting transaction. */
  insert(n: NewRun): ValidationRun {
    const next = (this.db.prepare('SELECT coalesce(max(num), 0) + 1 AS n FROM validation_runs').get() as { n: number }).n;
    const id = `VR-${String(next).padStart(6, '0')}`;
    this.db
      .prepare(
        `INSERT INTO validation_runs (num, id, incident_id, kind, status, target, engine, baseline_run_id, options, started_at,
           started_by, started_by_role) VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(next, id, n.incidentId, n.kind, n.target, n.engine, n.baselineRunId, JSON.stringify(n.options ?? {}), n.startedAt, n.startedBy.name, n.startedBy.role);
    return this.get(id) as ValidationRun;
  }

  /** Ends a running run; undefined when it was not running (another process already closed it). */
  finish(id: string, o: RunOutcome): ValidationRun | undefined {
    const r = this.db
      .prepare(
        `UPDATE validation_runs SET status = @status, finished_at = @finishedAt, engine = coalesce(@engine, engine),
           verdict = @verdict, summary = @summary, result = @result, result_sha256 = @resultSha256, evidence_id = @evidenceId,
           error = @error, progress = @progress
         WHERE id = @id AND status = 'running'`,
      )
      .run({
        id,
        status: o.status,
        finishedAt: o.finishedAt,
        engine: o.engine ?? null,
        verdict: o.verdict ?? null,
        summary: o.summary ?? null,
        result: o.result ?? null,
        resultSha256: o.resultSha256 ?? null,
        evidenceId: o.evidenceId ?? null,
        error: o.error ?? null,
        progress: o.progress ? JSON.stringify(o.progress) : null,
      });
    return r.changes === 1 ? this.get(id) : undefined;
  }

  get(id: string): ValidationRun | undefined {
    const r = this.db.prepare(`SELECT ${COLUMNS} FROM validation_runs WHERE id = ?`).get(id) as Row | undefined;
    return r && toRun(r);
  }

  list(incidentId: string, kind?: ValidationRunKind): ValidationRun[] {
    const rows = kind
      ? this.db.prepare(`SELECT ${COLUMNS} FROM validation_runs WHERE incident_id = ? AND kind = ? ORDER BY num DESC`).all(incidentId, kind)
      : this.db.prepare(`SELECT ${COLUMNS} FROM validation_runs WHERE incident_id = ? ORDER BY num DESC`).all(incidentId);
    return (rows as Row[]).map(toRun);
  }

  /** The stored result document, exactly as saved in evidence. */
  result(id: string): { text: string; sha256: string | null } | undefined {
    const r = this.db.prepare('SELECT result, result_sha256 FROM validation_runs WHERE id = ?').get(id) as
      | { result: string | null; result_sha256: string | null }
      | undefined;
    return r?.result ? { text: r.result, sha256: r.result_sha256 } : undefined;
  }
}

/** What a finished compare's stored result says it covered; `unknown` says why that cannot be told. */
export type StoredCoverage = { coverage: CompareCoverage } | { unknown: string };

/**
 * The coverage a finished compare recorded in its result document, checked against the result's evidence hash.
 * Undefined when the run has no stored result at all (only a hand-made row has none: the runner always stores one).
 */
export function storedCompareCoverage(db: Db, runId: string): StoredCoverage | undefined {
  const stored = new ValidationRunRepository(db).result(runId);
  if (!stored) return undefined;
  if (stored.sha256 && createHash('sha256').update(stored.text, 'utf8').digest('hex') !== stored.sha256) {
    return { unknown: `its stored result no longer matches its evidence hash ${stored.sha256}` };
  }
  let doc: Partial<CompareResult>;
  try {
    doc = JSON.parse(stored.text) as Partial<CompareResult>;
  } catch {
    return { unknown: 'its stored result is not readable' };
  }
  if (!Array.isArray(doc.tables) || doc.tables.length === 0) return { unknown: 'it compared no table' };
  const c = doc.coverage;
  if (!c || typeof c.complete !== 'boolean' || !Array.isArray(c.notCompared)) {
    return { unknown: 'it was recorded by an earlier Firebreak that did not record which tables it covered' };
  }
  return { coverage: c };
}
