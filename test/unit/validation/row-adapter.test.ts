import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { rowAdapter } from '../../../electron/core/validation/adapters/adapter';
import { openSqlite } from '../../../electron/core/validation/adapters/sqlite-adapter';
import { tempDir } from '../../helpers/temp';
import { fakeAdapter } from './fake-adapter';

describe('rowAdapter', () => {
  it('refuses a target that cannot be read row by row, naming it and what to do instead', () => {
    const dynamo = fakeAdapter({}, 'dynamodb');
    expect(() => rowAdapter(dynamo, 'diff')).toThrow(/dynamodb:\/\/fake\/db: dynamodb tables cannot be diffed row by row here; baseline and compare/);
    expect(() => rowAdapter(dynamo, 'classify')).toThrow(/cannot be classified here/);
  });

  it('passes a SQL engine through', async () => {
    const dir = tempDir();
    try {
      const path = `${dir.path}/x.db`;
      new Database(path).exec('CREATE TABLE t (id INTEGER PRIMARY KEY)').close();
      const a = openSqlite({ engine: 'sqlite', path, display: 'sqlite:x.db' });
      expect(rowAdapter(a, 'diff')).toBe(a);
      await a.close();
    } finally {
      dir.cleanup();
    }
  });
});
