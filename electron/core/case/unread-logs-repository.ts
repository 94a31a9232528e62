import type { Db } from '../store/database';

/** A log file an import or pull could not read in full, as the ledger recorded it when it happened. */
export interface UnreadLogRow {
  at: string;
  action: string;
  payload: string;
}

/**
 * The ledger is where imports record each file's outcome (`cloudtrail.file-imported` with its status and reason),
 * Azure and GCP pulls each page's (`logs.page-collected`), and pulls each lookup or page that failed; nothing else keeps them, so the report reads them from there. Only the entries that
 * say something was not read are returned, in the order they happened.
 */
export class UnreadLogsRepository {
  constructor(private readonly db: Db) {}

  list(incidentId: string): UnreadLogRow[] {
    return this.db
      .prepare(
        `SELECT at, action, payload FROM ledger_entries
          WHERE scope = ?
            AND (((action = 'cloudtrail.file-imported' OR action = 'logs.page-collected') AND json_extract(payload, '$.status') <> 'ok')
                 OR action IN ('cloudtrail.lookup-failed', 'logs.pull-failed'))
          ORDER BY seq`,
      )
      .all(incidentId) as UnreadLogRow[];
  }
}
