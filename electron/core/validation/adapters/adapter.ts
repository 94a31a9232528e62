import type { DbEngine, DbObjectKind, TableCheck, TableDefinition } from '../../../shared/validation';
import { FirebreakError } from '../../errors';

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
