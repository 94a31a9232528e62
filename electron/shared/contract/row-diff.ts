import { z } from 'zod';
import type { RowDiffProgress, RowDiffResult } from '../row-diff';
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
    z
      .object({
        reference: validationTarget,
        actual: validationTarget,
        tables: tableNames,
        keysOut: text('Key list directory', 4096).optional(),
        operationId: operationId.optional(),
      })
      .strict(),
    { long: true, local: true },
  ),
};
