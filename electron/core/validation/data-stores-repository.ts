import type { DeclaredStore } from '../../shared/validation';
import type { Db } from '../store/database';

interface Row {
  store_key: string;
  label: string;
  added_at: string;
  added_by: string;
  added_role: string;
}

/** The data stores declared affected per incident (validation.setStores writes them inside its ledger entry's change). */
export class DataStoresRepository {
  constructor(private readonly db: Db) {}

  /** In the order they were declared. */
  list(incidentId: string): DeclaredStore[] {
    const rows = this.db
      .prepare('SELECT store_key, label, added_at, added_by, added_role FROM incident_data_stores WHERE incident_id = ? ORDER BY added_at, rowid')
      .all(incidentId) as Row[];
    return rows.map((r) => ({ key: r.store_key, label: r.label, addedAt: r.added_at, addedBy: { name: r.added_by, role: r.added_role } }));
  }

  add(incidentId: string, store: DeclaredStore): void {
    this.db
      .prepare('INSERT INTO incident_data_stores (incident_id, store_key, label, added_at, added_by, added_role) VALUES (?, ?, ?, ?, ?, ?)')
      .run(incidentId, store.key, store.label, store.addedAt, store.addedBy.name, store.addedBy.role);
  }

  remove(incidentId: string, key: string): void {
    this.db.prepare('DELETE FROM incident_data_stores WHERE incident_id = ? AND store_key = ?').run(incidentId, key);
  }
}
