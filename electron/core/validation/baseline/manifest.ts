import * as z from 'zod';
import { BASELINE_FORMAT, type BaselineManifest, type TableBaseline } from '../../../shared/validation';
import { badInput } from '../../errors';

/** Baselines are one line per table; anything near this size is not one. */
export const MAX_BASELINE_BYTES = 64 * 1024 * 1024;

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const definition = z.object({
  columns: z.array(z.object({ name: z.string(), type: z.string(), nullable: z.boolean() })),
  primaryKey: z.array(z.string()),
  uniqueKeys: z.array(z.array(z.string())),
  foreignKeys: z.array(z.object({ columns: z.array(z.string()), references: z.string(), referencedColumns: z.array(z.string()) })),
});
const tableBaseline = z.object({
  table: z.string().min(1),
  schema: z.string().nullable(),
  name: z.string().min(1),
  rows: count.nullable(),
  checksum: z
    .string()
    .regex(/^[0-9a-f]{16}$/, 'a checksum is 16 lowercase hex digits')
    .nullable(),
  schemaFingerprint: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'a schema fingerprint is 64 lowercase hex digits')
    .nullable(),
  definition: definition.nullable(),
  error: z.string().optional(),
});
const objectBaseline = z.object({
  kind: z.enum(['view', 'materialized-view', 'function', 'procedure', 'trigger', 'sequence']),
  name: z.string().min(1),
  table: z.string().nullable(),
  definitionSha256: z.string().regex(/^[0-9a-f]{64}$/, 'a definition hash is 64 lowercase hex digits'),
});
export const baselineManifestSchema = z.object({
  format: z.literal(BASELINE_FORMAT, { error: `format must be "${BASELINE_FORMAT}"` }),
  version: z.literal(1, { error: 'version must be 1 (this Firebreak reads baseline version 1)' }),
  source: z.enum(['capture', 'csv']),
  engine: z.enum(['postgresql', 'mysql', 'mariadb', 'sqlite', 'dynamodb']).nullable(),
  serverVersion: z.string().nullable(),
  target: z.string().nullable(),
  database: z.string().nullable(),
  capturedAt: z.iso.datetime({ offset: true, error: 'capturedAt must be an ISO 8601 date-time' }),
  checksumAlgorithm: z.string().nullable(),
  // An empty list would be truthy "chosen tables" that choose nothing: null means every table (or schema).
  scope: z.object({
    schemas: z.array(z.string().min(1)).min(1, 'scope.schemas must be null (every schema) or name at least one schema').nullable(),
    tables: z.array(z.string().min(1)).min(1, 'scope.tables must be null (every table) or name at least one table').nullable(),
  }),
  // A baseline of no table would let a compare "match" having compared nothing.
  tables: z.array(tableBaseline).min(1, 'a baseline lists at least one table; one with none could not prove a restore'),
  // Absent in baselines from before views, routines, triggers and sequences were recorded: those stay readable.
  objects: z.array(objectBaseline).optional(),
});

/** Reads a baseline file's text: a Firebreak manifest (JSON) or a CSV of table,rows. Errors name the file and place. */
export function parseBaselineFile(text: string, fileName: string, now: () => Date = () => new Date()): BaselineManifest {
  if (Buffer.byteLength(text, 'utf8') > MAX_BASELINE_BYTES) throw badInput(`${fileName} is larger than 64 MB; it is not a baseline.`);
  const body = text.replace(/^\uFEFF/, '');
  return body.trimStart().startsWith('{') ? parseBaselineJson(body, fileName) : parseBaselineCsv(body, fileName, now);
}

export function parseBaselineJson(text: string, fileName: string): BaselineManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw badInput(`${fileName} is not valid JSON: ${(e as Error).message}.`);
  }
  const parsed = baselineManifestSchema.safeParse(raw);
  if (!parsed.success) {
    throw badInput(
      `${fileName} is not a Firebreak baseline manifest.`,
      parsed.error.issues.slice(0, 20).map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`),
    );
  }
  const seen = new Set<string>();
  for (const [i, t] of parsed.data.tables.entries()) {
    if (seen.has(t.table)) throw badInput(`${fileName}: table "${t.table}" is listed twice (tables.${i}).`);
    seen.add(t.table);
  }
  return parsed.data as BaselineManifest;
}

/** RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks. Yields each record with its line. */
function* csvRecords(text: string, fileName: string): Generator<{ line: number; fields: string[] }> {
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let atFieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && atFieldStart) {
      quoted = true;
      atFieldStart = false;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
      atFieldStart = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      yield { line: start, fields };
      fields = [];
      field = '';
      atFieldStart = true;
      line++;
      start = line;
    } else {
      field += ch;
      atFieldStart = false;
    }
  }
  if (quoted) throw badInput(`${fileName} line ${start}: a quoted field is not closed.`);
  if (field !== '' || fields.length) {
    fields.push(field);
    yield { line: start, fields };
  }
}

/**
 * A baseline of counts only, from a CSV of `table,rows` (a header is optional; with a header, the columns named
 * table and rows are used and any others, such as ROWCOUNTS.csv's file and method, are ignored).
 */
export function parseBaselineCsv(text: string, fileName: string, now: () => Date = () => new Date()): BaselineManifest {
  let tableCol = 0;
  let rowsCol = 1;
  let first = true;
  const tables: TableBaseline[] = [];
  const seen = new Map<string, number>();
  for (const { line, fields } of csvRecords(text, fileName)) {
    if (fields.length === 1 && fields[0]?.trim() === '') continue;
    if (fields[0]?.trimStart().startsWith('#')) continue;
    const lower = fields.map((f) => f.trim().toLowerCase());
    if (first) {
      first = false;
      // A header has no numeric field (so a table literally named "table" with a count is still data).
      if (lower.includes('table') && !lower.some((f) => /^\d+$/.test(f))) {
        tableCol = lower.indexOf('table');
        rowsCol = lower.findIndex((f) => f === 'rows' || f === 'row_count' || f === 'count');
        if (tableCol < 0 || rowsCol < 0) throw badInput(`${fileName} line ${line}: the header needs a "table" and a "rows" column, got: ${fields.join(',')}.`);
        continue;
      }
    }
    const table = fields[tableCol]?.trim() ?? '';
    const rowsText = fields[rowsCol]?.trim() ?? '';
    if (fields.length < 2) throw badInput(`${fileName} line ${line}: expected table,rows but found one field ("${fields[0]}").`);
    if (!table) throw badInput(`${fileName} line ${line}: the table name is empty.`);
    if (!/^\d+$/.test(rowsText) || !Number.isSafeInteger(Number(rowsText))) {
      throw badInput(`${fileName} line ${line}: rows for "${table}" must be a whole number of rows, got "${rowsText}".`);
    }
    const earlier = seen.get(table);
    if (earlier !== undefined) throw badInput(`${fileName} line ${line}: table "${table}" was already given on line ${earlier}.`);
    seen.set(table, line);
    tables.push({ table, schema: null, name: table, rows: Number(rowsText), checksum: null, schemaFingerprint: null, definition: null });
  }
  if (tables.length === 0) throw badInput(`${fileName} has no table,rows lines.`);
  return {
    format: BASELINE_FORMAT,
    version: 1,
    source: 'csv',
    engine: null,
    serverVersion: null,
    target: null,
    database: null,
    capturedAt: now().toISOString(),
    checksumAlgorithm: null,
    scope: { schemas: null, tables: null },
    tables,
  };
}
