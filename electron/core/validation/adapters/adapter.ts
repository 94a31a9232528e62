import type { DbEngine, DbObjectKind, TableCheck, TableDefinition } from '../../../shared/validation';
import { FirebreakError, badInput } from '../../errors';
import type { BucketRow, BucketSums, JoinHop, KeyRange, KeyedHashSpec } from './keyed-hash';

export interface TableRef {
  schema: string | null;
  name: string;
  /** `schema.table` on PostgreSQL, the bare name elsewhere: the key of baselines and results. */
  display: string;
}

export interface TableMeasure {
  rows: number;
  /** Null when only the count was asked for. */
  checksum: string | null;
}

export interface MeasureOptions {
  checksum: boolean;
  signal?: AbortSignal | undefined;
  /** Rows seen so far, for engines that scan in the app (SQLite). */
  onRows?: ((rows: number) => void) | undefined;
}

/** A view, routine, trigger or sequence as the engine's catalog states it, before normalisation. */
export interface DbObjectDefinition {
  kind: DbObjectKind;
  /** See DbObjectBaseline.name. */
  name: string;
  table: string | null;
  definition: string;
}

/**
 * One connection to a database under validation, inside one read-only transaction (one snapshot for every table).
 * No method writes to the target. Errors are FirebreakErrors whose messages carry no password.
 */
export interface TargetAdapter {
  readonly engine: DbEngine;
  readonly serverVersion: string;
  /** The URL without password. */
  readonly display: string;
  readonly database: string;
  /** User tables (not views, not system schemas), optionally only in the given schemas, sorted by display name. */
  listTables(schemas?: readonly string[] | null): Promise<TableRef[]>;
  /** Columns in order with types and nullability, primary, unique and foreign keys. */
  describe(tables: readonly TableRef[]): Promise<Map<string, TableDefinition>>;
  /** Row count and content checksum; a table it may not read rejects with that table's error. */
  measure(table: TableRef, o: MeasureOptions): Promise<TableMeasure>;
  /** The engine's own integrity check (PRAGMA integrity_check, CHECK TABLE, a read-through on PostgreSQL). */
  integrityCheck(tables: readonly TableRef[], signal?: AbortSignal): Promise<{ method: IntegrityMethod; messages: string[]; tables: TableCheck[] }>;
  /** Views, functions and procedures, triggers and sequences (user schemas only); absent where an adapter cannot list them. */
  listObjects?(schemas?: readonly string[] | null): Promise<DbObjectDefinition[]>;
  close(): Promise<void>;
}

/**
 * A target whose rows can be read by key: the SQL engines, for the row-level diff and the personal-data classifier.
 * DynamoDB is baselined and compared whole (count and checksum) but not diffed or classified row by row.
 */
export interface RowAdapter extends TargetAdapter {
  /** Row counts and row-hash sums per key bucket, for the row-level diff (keyed-hash.ts). */
  bucketSums(table: TableRef, spec: KeyedHashSpec, signal?: AbortSignal): Promise<BucketSums>;
  /**
   * The bucket, row hash and key of each row in the given buckets (every row when null), ordered by bucket.
   * `expectedRows` (from the bucket counts) lets an engine read a small drill in one go and a large one in batches.
   */
  bucketRows(table: TableRef, spec: KeyedHashSpec, buckets: readonly number[] | null, signal?: AbortSignal, expectedRows?: number): AsyncIterable<BucketRow>;
  /**
   * The smallest and largest value of a one-column integer key (null for an empty table), or 'unsupported' when the
   * column is not an integer the engine can bucket by range; then the diff buckets by md5 of the key.
   */
  keyRange?(table: TableRef, key: string, signal?: AbortSignal): Promise<KeyRange | null | 'unsupported'>;
  /** Canonical text of the columns for up to `limit` rows, for classifying what they hold (never stored). */
  sampleValues(table: TableRef, columns: readonly string[], limit: number, signal?: AbortSignal): Promise<Array<Array<string | null>>>;
  /**
   * The number of distinct non-null combinations of the columns (data subjects behind a key). With `via`, the columns
   * are the last step's table's, reached from the table by joins in the engine.
   */
  distinctCount(table: TableRef, columns: readonly string[], signal?: AbortSignal, via?: readonly JoinHop[]): Promise<number>;
}

/** The target as a RowAdapter, or a bad-input error naming the engine that cannot be read row by row. */
export function rowAdapter(a: TargetAdapter, purpose: 'diff' | 'classify'): RowAdapter {
  if ('bucketSums' in a && 'sampleValues' in a) return a as RowAdapter;
  const what = purpose === 'diff' ? 'diffed row by row' : 'classified';
  throw badInput(`${a.display}: ${a.engine} tables cannot be ${what} here; baseline and compare them (db baseline, db compare) instead.`);
}

export type IntegrityMethod = 'sqlite-integrity-check' | 'mariadb-check-table' | 'postgresql-read-through' | 'dynamodb-describe-table';

/** "name" with embedded quotes doubled: PostgreSQL and SQLite. */
export function quoteDouble(name: string): string {
  assertIdentifier(name);
  return `"${name.replace(/"/g, '""')}"`;
}

/** `name` with embedded backticks doubled: MySQL and MariaDB. */
export function quoteBacktick(name: string): string {
  assertIdentifier(name);
  return `\`${name.replace(/`/g, '``')}\``;
}

function assertIdentifier(name: string): void {
  // No engine accepts NUL in an identifier; refusing it keeps a crafted name from ending the quoted string early.
  if (name.includes('\u0000')) throw new FirebreakError('bad-input', `The identifier ${JSON.stringify(name)} contains a NUL character.`);
}

export const cancelledError = () => new FirebreakError('cancelled', 'The validation run was cancelled; nothing was recorded for the unfinished tables.');

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}
