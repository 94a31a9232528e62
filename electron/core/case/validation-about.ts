import type { ValidationRun } from '../../shared/validation';

const ENGINE_NAMES: Record<string, string> = { postgresql: 'PostgreSQL', mysql: 'MySQL', mariadb: 'MariaDB', sqlite: 'SQLite' };

/** The database a URL (stored without its password) or a file path names, as a reader would say it. */
function databaseOf(target: string | null): string | null {
  if (!target) return null;
  try {
    const u = new URL(target);
    if (u.protocol === 'file:') return decodeURIComponent(u.pathname);
    const name = decodeURIComponent(u.pathname.replace(/^\//, ''));
    return `${name || '(default database)'} on ${u.host}`;
  } catch {
    return target;
  }
}

/**
 * What a validation result is about, in one line: which database (engine, name, server) and, for a compare, which
 * baseline it was held against. A reader of the report sees a verdict per database, never a verdict about "a database".
 */
export function validationAbout(run: ValidationRun, byId: ReadonlyMap<string, ValidationRun>): string {
  const engine = run.engine ? `${ENGINE_NAMES[run.engine] ?? run.engine} ` : '';
  const db = databaseOf(run.target);
  switch (run.kind) {
    case 'check-backup':
      return `backup file ${run.target ?? '(not recorded)'}`;
    case 'import':
      return `baseline imported for ${engine}database ${db ?? '(not recorded)'}`;
    case 'compare': {
      const base = run.baselineRunId ? byId.get(run.baselineRunId) : undefined;
      const against = run.baselineRunId
        ? `against baseline ${run.baselineRunId}${base ? ` (${base.kind === 'import' ? 'imported' : 'taken'} ${databaseOf(base.target) ?? 'from an unrecorded target'})` : ''}`
        : 'against no recorded baseline';
      return `${engine}database ${db ?? '(not recorded)'} ${against}`;
    }
    default:
      return `${engine}database ${db ?? '(not recorded)'}`;
  }
}
