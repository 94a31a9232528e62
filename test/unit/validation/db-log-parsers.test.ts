import { describe, expect, it } from 'vitest';
import { CsvLogReader, StderrLogReader, csvFields, pgTime, statementOf } from '../../../electron/core/validation/logs/postgres-log';
import { statementKind } from '../../../electron/core/validation/logs/statement-kind';
import type { DbLogStatement } from '../../../electron/shared/validation';

describe('PostgreSQL log readers', () => {
  it('splits CSV records with quotes, commas and new lines inside fields', () => {
    expect(csvFields('a,"b,c","say ""hi""",,"x\ny"')).toEqual(['a', 'b,c', 'say "hi"', '', 'x\ny']);
  });

  it('finds statements in log_statement and pgaudit messages', () => {
    expect(statementOf('statement: DELETE FROM t')).toBe('DELETE FROM t');
    expect(statementOf('execute <unnamed>: UPDATE t SET a = $1')).toBe('UPDATE t SET a = $1');
    expect(statementOf('AUDIT: SESSION,3,1,DDL,DROP TABLE,TABLE,public.orders,"DROP TABLE orders CASCADE",<not logged>')).toBe('DROP TABLE orders CASCADE');
    expect(statementOf('connection authorized: user=agent database=app')).toBeNull();
    expect(pgTime('2026-12-04 23:14:50.123 UTC')).toBe('2026-12-04T23:14:50.123Z');
    expect(pgTime('2026-12-04 23:14:50 +01')).toBe('2026-12-04T22:14:50.000Z');
  });

  it('reads a csvlog record that spans lines, and a stderr log with pgaudit lines', () => {
    const got: DbLogStatement[] = [];
    const csv = new CsvLogReader((s) => got.push(s));
    for (const l of ['2026-12-04 23:14:50.123 UTC,"agent","app",42,"127.0.0.1:5000",6750a1b2.2a,3,"idle",2026-12-04 23:14:49 UTC,3/7,0,LOG,00000,"statement: DELETE FROM customer', '  WHERE id > 30",,,,,,,,,"psql","client backend",,0']) csv.feed(l);
    expect(csv.end()).toBe(false);
    expect(got).toMatchObject([{ at: '2026-12-04T23:14:50.123Z', login: 'agent', database: 'app', session: '6750a1b2.2a', operation: 'DELETE', table: 'customer', destructive: true, line: 1 }]);
    const err: DbLogStatement[] = [];
    const stderr = new StderrLogReader((s) => err.push(s));
    for (const l of [
      '2026-12-04 23:15:00.000 UTC [77] user=agent,db=app LOG:  AUDIT: SESSION,1,1,WRITE,TRUNCATE TABLE,,,"TRUNCATE audit_log",<not logged>',
      '2026-12-04 23:15:01.000 UTC [77] user=agent,db=app LOG:  statement: UPDATE customer',
      '\tSET email = NULL',
      '2026-12-04 23:15:02.000 UTC [77] user=agent,db=app LOG:  disconnection: session time: 0:00:01.000',
    ])
      stderr.feed(l);
    stderr.end();
    expect(err.map((s) => [s.at, s.login, s.database, s.operation, s.table, s.statement])).toEqual([
      ['2026-12-04T23:15:00.000Z', 'agent', 'app', 'TRUNCATE', 'audit_log', 'TRUNCATE audit_log'],
      ['2026-12-04T23:15:01.000Z', 'agent', 'app', 'UPDATE', 'customer', 'UPDATE customer\nSET email = NULL'],
    ]);
  });
});

describe('statementKind', () => {
  it('names the verb and table, and what destroys', () => {
    expect(statementKind('/* agent */ drop table if exists `shop`.`orders`')).toEqual({ operation: 'DROP TABLE', destructive: true, table: 'shop.orders' });
    expect(statementKind('ALTER TABLE customer DROP COLUMN email')).toEqual({ operation: 'ALTER TABLE', destructive: true, table: 'customer' });
    expect(statementKind('ALTER TABLE customer ADD COLUMN x int')).toEqual({ operation: 'ALTER TABLE', destructive: false, table: 'customer' });
    expect(statementKind('DROP SCHEMA app CASCADE')).toEqual({ operation: 'DROP SCHEMA', destructive: true, table: null });
    expect(statementKind('select 1')).toEqual({ operation: 'SELECT', destructive: false, table: null });
  });
});
