import { resolve } from 'node:path';
import type { DbLogFileResult, DbLogImport, DbLogStatement } from '../../../shared/validation';
import type { CoreContext } from '../../context';
import { FirebreakError, notFound } from '../../errors';
import { intakeFile } from '../../evidence/intake';
import { objectPath } from '../../evidence/store';
import { IncidentRepository } from '../../incidents/repository';
import { DbLogRepository } from './db-log-repository';
import { detectDbLog, readDbLog } from './db-log-reader';

/** Statements are committed in groups, each with its ledger entry, so a cancel or crash keeps what was read. */
const GROUP = 5000;

export interface DbLogImportOptions {
  /** Keep only PostgreSQL statements of these logins (the agent's); binlog statements carry no login and are all kept. */
  logins?: readonly string[];
  signal?: AbortSignal | undefined;
  onProgress?: ((line: string) => void) | undefined;
}

/**
 * `db log import`: each log file becomes evidence (hashed as it is copied in), its statements are read back from the
 * evidence copy, so what is on the timeline is exactly what is kept, and recorded against the incident.
 */
export async function importDbLogs(ctx: CoreContext, incidentId: string, paths: readonly string[], o: DbLogImportOptions = {}): Promise<DbLogImport> {
  if (!new IncidentRepository(ctx.db).get(incidentId)) throw notFound(`There is no incident ${incidentId} in ${ctx.dataDir}.`);
  const actor = ctx.automated('Database log import');
  const repo = new DbLogRepository(ctx.db);
  const files: DbLogFileResult[] = [];
  for (const [i, given] of paths.entries()) {
    const path = resolve(given);
    o.onProgress?.(`[${i + 1}/${paths.length}] ${path}`);
    // Unknown files are refused before they are taken, so evidence holds only logs that were read.
    if ((await detectDbLog(path).catch(() => null)) === null) {
      const r = await readDbLog(path, () => {}).catch((e: Error) => ({ source: null, problem: e.message }));
      files.push({ path, source: null, evidenceId: null, sha256: null, statements: 0, problem: r.problem });
      continue;
    }
    const item = await intakeFile(ctx, actor, path, { incidentId, sourceKind: 'file', description: 'Database log: statements and row events on the incident time axis', ...(o.signal ? { signal: o.signal } : {}) });
    let pending: DbLogStatement[] = [];
    let count = 0;
    const commit = () => {
      const batch = pending;
      pending = [];
      if (!batch.length) return;
      count += ctx.change(
        actor,
        (added: number) => ({
          scope: incidentId,
          action: 'dblog.statements-recorded',
          subject: item.id,
          payload: { evidence: item.id, statements: batch.length, new: added, destructive: batch.filter((s) => s.destructive).length, first: batch[0]?.at, last: batch[batch.length - 1]?.at },
        }),
        () => repo.insert(incidentId, item.id, batch),
      );
    };
    let result: DbLogFileResult;
    try {
      const r = await readDbLog(
        objectPath(ctx.dataDir, item.sha256),
        (s) => {
          pending.push(s);
          if (pending.length >= GROUP) commit();
        },
        { signal: o.signal, ...(o.logins ? { logins: o.logins } : {}) },
      );
      commit();
      result = { path, source: r.source, evidenceId: item.id, sha256: item.sha256, statements: count, problem: r.problem };
    } catch (e) {
      if (!(e instanceof FirebreakError && e.code === 'cancelled')) throw e;
      commit();
      files.push({ path, source: null, evidenceId: item.id, sha256: item.sha256, statements: count, problem: 'cancelled: the statements read so far are kept' });
      break;
    }
    files.push(result);
  }
  const totals = repo.counts(incidentId);
  return { files, statements: totals.statements, destructive: totals.destructive, rowsDeleted: repo.rowsDeleted(incidentId), first: totals.first, last: totals.last };
}
