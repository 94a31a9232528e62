import type { Migration } from '../migration';

export const migration003: Migration = {
  id: 3,
  name: 'validation',
  sql: '',
};
