import * as z from 'zod';
import type { ClassifyResult, RowDiffProgress, RowDiffResult } from '../row-diff';
import { method, operationId, text } from './define';
import { validationTarget } from './validation';

const tableNames = z.array(text('Table', 500)).max(10_000).optional();

export const rowDiffContract = {
  /**
   * Row-level diff of two live databases, outside any incident (the CLI's `firebreak db diff`): the reference is the
   * backup, restored somewhere; per table the keys missing from the actual, extra in it and changed. With `keysOut`,
   * one CSV of differing keys per table is written into that directory on this machine, hence CLI only.
   */
  'validation.diff': method<RowDiffResult, RowDiffProgress>().query(
    () => z
      .object({
        reference: validationTarget,
        actual: validationTarget,
        tables: tableNames,
        keysOut: text('Key list directory', 4096).optional(),
        /** Also classify the reference's tables: what the lost rows held (categories) and how many people they touch. */
        classify: z.boolean().optional(),
        operationId: operationId.optional(),
      })
      .strict(),
    { long: true, local: true },
  ),
  /**
   * Which columns hold personal data (names and a sample of values; only categories and counts come back, never a
   * value), and whose data each table holds (its own key, or a foreign key to a table of people).
   */
  'validation.classify': method<ClassifyResult, ClassifyProgress>().query(
    () => z
      .object({
        target: validationTarget,
        tables: tableNames,
        sample: z.number().int().min(1, 'sample at least one row').max(100_000, 'sample at most 100000 rows').optional(),
        operationId: operationId.optional(),
      })
      .strict(),
    { long: true },
  ),
};

export interface ClassifyProgress {
  tablesTotal: number;
  tablesDone: number;
  currentTable: string | null;
}
