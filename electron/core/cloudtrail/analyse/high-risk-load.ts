import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { type Condition, type HighRiskTable, type ValidatedTable, compileHighRiskTable } from './high-risk';

/** Where the reviewed table lives under the app's resources directory. */
export const HIGH_RISK_TABLE = join('resources', 'cloudtrail', 'high-risk-events.json');

const condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(condition).min(1) }).strict(),
    z.object({ any: z.array(condition).min(1) }).strict(),
    z.object({ not: condition }).strict(),
    z
      .object({
        path: z.string().min(1),
        equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
        present: z.boolean().optional(),
        endsWith: z.string().optional(),
        nonEmpty: z.boolean().optional(),
        notContainedInPath: z.string().optional(),
      })
      .strict(),
  ]),
);

const row = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(1),
  eventSource: z.string().regex(/^[a-z0-9.-]+\.amazonaws\.com$/),
  eventNames: z.array(z.string().regex(/^[A-Za-z0-9]+$/)).min(1),
  condition: z.string(),
  match: condition.nullable(),
  attack: z.array(z.string().regex(/^T\d{4}(\.\d{3})?$/)),
  attackV19: z.array(z.string().regex(/^T\d{4}(\.\d{3})?$/)),
  judgment: z.boolean(),
  source: z.string(),
});

const table = z.object({ _about: z.string(), events: z.array(row).min(1) });



/** Checks the table's JSON; a broken file stops with its path and the first problem. */
export function validateHighRiskTable(json: unknown, where = 'the high-risk table'): ValidatedTable {
  const parsed = table.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`${where} is not valid: ${first?.path.join('.') ?? ''}: ${first?.message ?? 'unknown problem'}`);
  }
  return parsed.data;
}

export function readHighRiskTable(resourcesDir: string): ValidatedTable {
  const path = join(resourcesDir, HIGH_RISK_TABLE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`The high-risk event table ${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`, { cause: e });
  }
  return validateHighRiskTable(JSON.parse(text) as unknown, path);
}

export const loadHighRiskTable = (resourcesDir: string): HighRiskTable => compileHighRiskTable(readHighRiskTable(resourcesDir));
