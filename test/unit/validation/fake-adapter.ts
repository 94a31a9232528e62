import { FirebreakError } from '../../../electron/core/errors';
import type { MeasureOptions, TableRef, TargetAdapter } from '../../../electron/core/validation/adapters/adapter';
import type { DbEngine, TableDefinition } from '../../../electron/shared/validation';

export interface FakeTable {
  rows: number;
  checksum: string;
  definition?: TableDefinition;
  /** Measuring this table fails with this message (e.g. permission denied). */
  error?: string;
}

export const def = (...columns: Array<[string, string]>): TableDefinition => ({
  columns: columns.map(([name, type]) => ({ name, type, nullable: true })),
  primaryKey: [],
  uniqueKeys: [],
  foreignKeys: [],
});

/** An in-memory target: tables keyed by display name ("public.x" makes schema public). */
export function fakeAdapter(tables: Record<string, FakeTable>, engine: DbEngine = 'postgresql'): TargetAdapter & { measured: string[] } {
  const measured: string[] = [];
  const refs = (): TableRef[] =>
    Object.keys(tables)
      .sort()
      .map((display) => {
        const dot = display.indexOf('.');
        return dot > 0 ? { schema: display.slice(0, dot), name: display.slice(dot + 1), display } : { schema: null, name: display, display };
      });
  return {
    measured,
    engine,
    serverVersion: 'fake',
    display: `${engine}://fake/db`,
    database: 'db',
    listTables: async (schemas) => refs().filter((r) => !schemas || (r.schema !== null && schemas.includes(r.schema))),
    describe: async (list) => new Map(list.map((r) => [r.display, tables[r.display]?.definition ?? def(['id', 'integer'])])),
    measure: async (t: TableRef, o: MeasureOptions) => {
      const x = tables[t.display];
      if (!x) throw new Error(`no table ${t.display}`);
      if (x.error) throw new FirebreakError('unavailable', x.error);
      measured.push(`${t.display}${o.checksum ? '+checksum' : ''}`);
      return { rows: x.rows, checksum: o.checksum ? x.checksum : null };
    },
    integrityCheck: async () => ({ method: 'postgresql-read-through', messages: [], tables: [] }),
    close: async () => {},
  };
}
