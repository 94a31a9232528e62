import Database from 'better-sqlite3';

/**
 * What the "agent" did to the sample's production copy of Chinook: removes the newest invoice lines, which the first
 * restore does not bring back. This is the sample's own target database, never Firebreak's store.
 */
export function damageSampleDatabase(path: string, rows: number): void {
  const db = new Database(path);
  try {
    db.prepare('DELETE FROM InvoiceLine WHERE InvoiceLineId IN (SELECT InvoiceLineId FROM InvoiceLine ORDER BY InvoiceLineId DESC LIMIT ?)').run(rows);
  } finally {
    db.close();
  }
}
