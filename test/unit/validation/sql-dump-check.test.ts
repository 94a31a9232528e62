import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkSqlDump } from '../../../electron/core/validation/checks/sql-dump-check';
import { type SqlDialect, SqlStatementScanner } from '../../../electron/core/validation/checks/sql-statements';
import { tempDir } from '../../helpers/temp';

function scan(dialect: SqlDialect, text: string): SqlStatementScanner {
  const s = new SqlStatementScanner(dialect);
  for (const line of text.split('\n')) s.line(line);
  return s;
}

describe('SqlStatementScanner', () => {
  it('does not end statements at delimiters inside strings, names, comments or dollar quotes', () => {
    const pg = scan('postgresql', "INSERT INTO t VALUES ('a;b', 'it''s;');\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;\n/* x; */ SELECT \"a;b\" FROM t; -- ;\n");
    expect(pg.statements).toBe(3);
    expect(pg.openConstruct()).toBeNull();
    const my = scan('mysql', "INSERT INTO `a;b` VALUES ('x\\';y'),\n('multi\nline;');\n# comment ;\n/*!40101 SET NAMES utf8mb4 */;\n");
    expect(my.statements).toBe(2);
    expect(my.openConstruct()).toBeNull();
  });

  it('follows DELIMITER blocks with statements inside a procedure body', () => {
    const s = scan('mysql', 'DELIMITER ;;\nCREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END ;;\nDELIMITER ;\nSELECT 3;\n');
    expect(s.statements).toBe(2);
    expect(s.openConstruct()).toBeNull();
    const cut = scan('mysql', 'DELIMITER ;;\nCREATE PROCEDURE p() BEGIN SELECT 1; END ;;\n');
    expect(cut.openConstruct()).toMatchObject({ kind: 'delimiter-block', line: 1, statement: 'DELIMITER ;;' });
  });

  it('names what a cut-short text leaves open and where it began', () => {
    expect(scan('mysql', "SELECT 1;\nINSERT INTO `t` VALUES (1,'abc").openConstruct()).toMatchObject({ kind: 'string', line: 2, statementLine: 2 });
    expect(scan('postgresql', 'COPY public.t (id) FROM stdin;\n1\n2').openConstruct()).toMatchObject({ kind: 'copy-data', line: 1, statement: 'public.t' });
    expect(scan('postgresql', 'COPY public.t (id) FROM stdin;\n1\n\\.\n').openConstruct()).toBeNull();
    // A column list longer than the remembered head: "FROM stdin" is found at the statement's end.
    const columns = Array.from({ length: 30 }, (_, i) => `column_${i}`).join(', ');
    expect(scan('postgresql', `COPY public.film (${columns}) FROM stdin;\n1\tit's; "odd"\n`).openConstruct()).toMatchObject({ kind: 'copy-data', statement: 'public.film' });
    expect(scan('postgresql', `COPY public.film (${columns}) TO stdout;\n`).openConstruct()).toBeNull();
    expect(scan('postgresql', 'CREATE FUNCTION f() AS $$ SELECT').openConstruct()).toMatchObject({ kind: 'dollar-quote', line: 1 });
    expect(scan('postgresql', 'SELECT 1;\nALTER TABLE ONLY public.t\n    ADD CONSTRAINT').openConstruct()).toMatchObject({ kind: 'statement', line: 2, statement: 'ALTER TABLE ONLY public.t ADD CONSTRAINT' });
    expect(scan('postgresql', '\\restrict abc\nSELECT 1;\n').openConstruct()).toMatchObject({ kind: 'restrict', line: 1 });
    expect(scan('postgresql', '\\restrict abc\nSELECT 1;\n\\unrestrict abc\n').openConstruct()).toBeNull();
  });
});

describe('checkSqlDump', () => {
  let dir: { path: string; cleanup(): void };
  beforeEach(() => {
    dir = tempDir('firebreak-sqldump-');
  });
  afterEach(() => dir.cleanup());
  const file = (name: string, text: string) => {
    const path = join(dir.path, name);
    writeFileSync(path, text);
    return path;
  };

  it('wants the completion line after the last statement', async () => {
    const head = '--\n-- PostgreSQL database dump\n--\n\nCREATE TABLE t (id int);\n';
    expect(await checkSqlDump(file('a.sql', `${head}-- PostgreSQL database dump complete\n`), { compressed: false })).toMatchObject({ ok: true, tool: 'pg_dump', trailer: true });
    const cut = await checkSqlDump(file('b.sql', head), { compressed: false });
    expect(cut).toMatchObject({ ok: false, trailer: false, balanced: true, endLine: 5, endByte: Buffer.byteLength(head) });
    expect(cut.message).toBe(
      `The dump ends at line 5 (byte ${Buffer.byteLength(head)}) after its last complete statement (line 5) without the "-- PostgreSQL database dump complete" line pg_dump writes last: it was cut short between statements or the dump did not finish.`,
    );
    // pg_dumpall holds one "database dump complete" per database; only the cluster's own line ends it.
    const all = '--\n-- PostgreSQL database cluster dump\n--\nCREATE ROLE x;\n-- PostgreSQL database dump complete\n';
    expect(await checkSqlDump(file('c.sql', all), { compressed: false })).toMatchObject({ ok: false, tool: 'pg_dumpall', trailer: false });
    const later = await checkSqlDump(file('d.sql', `${head}-- PostgreSQL database dump complete\nCREATE TABLE u (id int);\n`), { compressed: false });
    expect(later.message).toMatch(/it appears earlier, but statements follow it/);
  });

  it('calls SQL text without a dump tool header unprovable', async () => {
    const r = await checkSqlDump(file('hand.sql', 'CREATE TABLE t (id int);\n'), { compressed: false });
    expect(r).toMatchObject({ ok: false, tool: null, balanced: true });
    expect(r.message).toMatch(/does not begin with the header of mysqldump, mariadb-dump or pg_dump/);
  });
});
