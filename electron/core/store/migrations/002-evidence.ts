import type { Migration } from '../migration';

export const migration002: Migration = {
  id: 2,
  name: 'evidence',
  sql: '',
};
