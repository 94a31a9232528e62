import type { Migration } from '../migration';

export const migration004: Migration = {
  id: 4,
  name: 'cloudtrail',
  sql: '',
};
