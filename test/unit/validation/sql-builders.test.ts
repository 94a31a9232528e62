import { describe, expect, it } from 'vitest';
import { quoteBacktick, quoteDouble } from '../../../electron/core/validation/adapters/adapter';
import { type MyColumn, myChecksumQuery } from '../../../electron/core/validation/adapters/mysql-sql';
import { type PgColumn, pgChecksumQuery, pgCountQuery } from '../../../electron/core/validation/adapters/postgres-sql';

const hostile = 'x"; DROP TABLE y; --`';

describe('SQL built from catalog names', () => {
  it('quotes every identifier per dialect, doubling embedded quotes', () => {
    expect(quoteDouble('we"ird')).toBe('"we""ird"');
    expect(quoteBacktick('we`ird')).toBe('`we``ird`');
    expect(() => quoteDouble('nul\u0000name')).toThrow(/NUL character/);
    expect(pgCountQuery('Sales Ops', hostile)).toBe('SELECT count(*)::text AS n FROM ONLY "Sales Ops"."x""; DROP TABLE y; --`" AS t');
  });

  it('builds the PostgreSQL checksum without sub-selects (they would prevent a parallel scan)', () => {
    const cols: PgColumn[] = [
      { name: hostile, type: 'text', nullable: true, base: 'text', category: 'S' },
      { name: 'f', type: 'real', nullable: true, base: 'float4', category: 'N' },
      { name: 'n', type: 'numeric(10,2)', nullable: true, base: 'numeric', category: 'N' },
    ];
    const sql = pgChecksumQuery('public', 't', cols, { utf8: true, trimScale: true });
    expect(sql).not.toMatch(/\(SELECT/i);
    expect(sql).toContain('t."x""; DROP TABLE y; --`"::text');
    expect(sql).toContain('trim_scale(t."n")::text');
    expect(sql).toMatch(/^SELECT count\(\*\)::text AS n, coalesce\(sum\(\('x' \|\| left\(md5\(/);
    expect(pgChecksumQuery('public', 't', cols, { utf8: false, trimScale: false })).toMatch(/md5\(convert_to\(.*'UTF8'\)\)/s);
  });

  it('builds the MySQL checksum with binary strings and the oversize sentinel, never GROUP_CONCAT', () => {
    const col = (name: string, dataType: string, extra: Partial<MyColumn> = {}): MyColumn => ({
      name,
      columnType: dataType,
      dataType,
      nullable: true,
      precision: null,
      scale: null,
      datetimePrecision: null,
      charset: null,
      ...extra,
    });
    const sql = myChecksumQuery('db`x', hostile, [
      col('a`b', 'varchar', { charset: 'latin1' }),
      col('d', 'decimal', { scale: 2 }),
      col('ts', 'datetime', { datetimePrecision: 6 }),
      col('bits', 'bit', { precision: 5 }),
    ]);
    expect(sql).not.toMatch(/GROUP_CONCAT/i);
    expect(sql).toContain('FROM `db``x`.`x"; DROP TABLE y; --```');
    expect(sql).toContain('CAST(CONVERT(t.`a``b` USING utf8mb4) AS BINARY)');
    expect(sql).toContain("TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM t.`d`))");
    expect(sql).toContain("LPAD(BIN(t.`bits`), 5, '0')");
    expect(sql).toContain('20282409603651670423947251286016');
  });
});
