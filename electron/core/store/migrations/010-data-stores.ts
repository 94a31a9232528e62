import type { Migration } from '../migration';

/**
 * The data stores an operator declares affected, beside those the playbook's parameters name and those baselined: the
 * sign-off gate needs a complete match for each. Only the store's identity and its password-free label are kept.
 * Numbered 010 so it does not collide with migrations other branches add as 008 and 009.
 */
export const migration010: Migration = {
  id: 10,
  name: 'declared-data-stores',
  sql: `CREATE TABLE incident_data_stores (
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    store_key   TEXT NOT NULL,
    label       TEXT NOT NULL,
    added_at    TEXT NOT NULL,
    added_by    TEXT NOT NULL,
    added_role  TEXT NOT NULL,
    PRIMARY KEY (incident_id, store_key)
  );`,
};
