import type { ClassifyResult, RowDiffResult } from './row-diff';
/**
 * Domain types of backup and row-count validation: baseline manifests, compare results, backup and database checks,
 * and the runs the Recovery-phase wizard starts and polls. Plain data only; shared by core, adapters and the renderer.
 */

export type DbEngine = 'postgresql' | 'mysql' | 'mariadb' | 'sqlite' | 'dynamodb';

/** The content checksum; docs/validation-checksum.md specifies it well enough to recompute by hand. */
export const CHECKSUM_ALGORITHM = 'firebreak-rowsum-md5-v1';
export const BASELINE_FORMAT = 'firebreak-baseline';
export const COMPARE_FORMAT = 'firebreak-compare';

export interface ColumnDefinition {
  name: string;
  /** The engine's own spelling, e.g. `numeric(10,2)` or `decimal(10,2) unsigned`. */
  type: string;
  nullable: boolean;
}

export interface ForeignKeyDefinition {
  columns: string[];
  references: string;
  referencedColumns: string[];
}

/** What the schema fingerprint covers: columns in order with types and nullability, and the keys. */
export interface TableDefinition {
  columns: ColumnDefinition[];
  primaryKey: string[];
  uniqueKeys: string[][];
  foreignKeys: ForeignKeyDefinition[];
}

export interface TableBaseline {
  /** Display name: `schema.table` on PostgreSQL, the bare table name on MySQL/MariaDB and SQLite. */
  table: string;
  schema: string | null;
  name: string;
  /** Null when the table could not be read at capture (see `error`). */
  rows: number | null;
  /** 16 hex digits (see CHECKSUM_ALGORITHM); null for count-only baselines. */
  checksum: string | null;
  /** sha256 of the canonical JSON of `definition`; null for imported counts. */
  schemaFingerprint: string | null;
  definition: TableDefinition | null;
  error?: string;
}

/** Schema objects besides tables that a restore must bring back. */
export type DbObjectKind = 'view' | 'materialized-view' | 'function' | 'procedure' | 'trigger' | 'sequence';

export interface DbObjectBaseline {
  kind: DbObjectKind;
  /** `schema.name` on PostgreSQL (functions with their argument types), the bare name elsewhere. */
  name: string;
  /** The table a trigger fires on; null for other kinds. */
  table: string | null;
  /** sha256 of the normalised definition (docs/validation-checksum.md, "Views, routines, triggers, sequences"). */
  definitionSha256: string;
}

export interface DbObjectComparison {
  kind: DbObjectKind;
  name: string;
  table: string | null;
  /** 'changed': present in both with a different definition. */
  status: 'match' | 'changed' | 'missing' | 'extra';
  baselineSha256: string | null;
  actualSha256: string | null;
}

export interface BaselineManifest {
  format: typeof BASELINE_FORMAT;
  version: 1;
  /** 'capture': measured by Firebreak; 'csv': counts imported from elsewhere (e.g. monitoring metrics). */
  source: 'capture' | 'csv';
  engine: DbEngine | null;
  serverVersion: string | null;
  /** The target's URL without its password. */
  target: string | null;
  database: string | null;
  capturedAt: string;
  checksumAlgorithm: string | null;
  scope: { schemas: string[] | null; tables: string[] | null };
  tables: TableBaseline[];
  /**
   * Views, functions and procedures, triggers and sequences, sorted by kind and name. Absent in baselines captured
   * before Firebreak recorded them and in baselines of chosen tables (which say nothing of the rest).
   */
  objects?: DbObjectBaseline[];
}

export type CompareStatus =
  | 'match'
  | 'count-mismatch'
  | 'checksum-mismatch'
  /** Rows and checksum agree but columns, types or keys differ from the baseline. */
  | 'schema-drift'
  | 'missing'
  | 'extra'
  /** The table could not be read (e.g. permission denied), now or at capture. */
  | 'error';

export interface TableComparison {
  table: string;
  status: CompareStatus;
  baselineRows: number | null;
  actualRows: number | null;
  /** actualRows - baselineRows; negative when rows are gone. */
  delta: number | null;
  baselineChecksum: string | null;
  actualChecksum: string | null;
  /** One line per difference in columns, types or keys; empty when the schema agrees or was not compared. */
  schemaDrift: string[];
  message?: string;
}

export interface CompareSummary {
  tables: number;
  match: number;
  countMismatch: number;
  checksumMismatch: number;
  schemaDrift: number;
  missing: number;
  extra: number;
  error: number;
  baselineRows: number;
  actualRows: number;
}

/**
 * Which of the target's tables a compare looked at. A baseline captured for chosen tables (or schemas) says nothing
 * about the others, so a compare against it covers only part of the database: its `match` is about those tables only.
 */
export interface CompareCoverage {
  /** True when no table of the target was left out by the baseline's scope. */
  complete: boolean;
  /** The baseline's scope as captured (null: every table, every schema). */
  scope: { schemas: string[] | null; tables: string[] | null };
  /** Tables of the target the compare did not look at because the baseline's scope left them out, sorted. */
  notCompared: string[];
}

export interface CompareResult {
  format: typeof COMPARE_FORMAT;
  version: 1;
  /**
   * True only when at least one table was compared and every compared table matches: no missing, extra, drifted or
   * unreadable table. Whether the compare covered the whole database is `coverage.complete`.
   */
  match: boolean;
  target: string;
  engine: DbEngine;
  comparedAt: string;
  baseline: {
    source: BaselineManifest['source'];
    engine: DbEngine | null;
    target: string | null;
    capturedAt: string;
    sha256: string | null;
  };
  summary: CompareSummary;
  /** Absent in results recorded before Firebreak recorded it: treat those as not known to be complete. */
  coverage?: CompareCoverage;
  /** Caveats a reviewer must know, e.g. a count-only baseline or a baseline from another engine. */
  notes: string[];
  tables: TableComparison[];
  /** Present when the baseline recorded objects: each one matched, changed, missing or extra. */
  objects?: DbObjectComparison[];
}

export interface PgRestoreListing {
  /** False when pg_restore is not installed; then only the SHA-256 was checked. */
  available: boolean;
  ok: boolean;
  /** 'TOC Entries' as the archive header states it, and how many entries were listed. */
  tocEntries: number | null;
  listedEntries: number;
  /** Entries per object type, e.g. { "TABLE": 21, "TABLE DATA": 21, "INDEX": 30 }. */
  objects: Record<string, number>;
  dumpedFrom: string | null;
  database: string | null;
  /** True when every data block was read back (pg_restore to the null device) without error. */
  readThrough: boolean | null;
  message?: string;
}

export type BackupFormat = 'pg-custom' | 'pg-tar' | 'sqlite' | 'gzip' | 'sql-text' | 'unknown';

/** The dump program a plain SQL dump names in its header; null when the text names none. */
export type SqlDumpTool = 'mysqldump' | 'mariadb-dump' | 'pg_dump' | 'pg_dumpall';

/** A plain SQL dump (possibly gzip-compressed) read to its end: complete only with its trailer and balanced statements. */
export interface SqlDumpCheck {
  tool: SqlDumpTool | null;
  /** As the header states it, e.g. "10.19 Distrib 10.11.19-MariaDB" or "15.20 (Debian 15.20-0+deb12u1)". */
  toolVersion: string | null;
  /** True when the SQL was read through gzip; `endByte` then counts uncompressed bytes. */
  compressed: boolean;
  /** The completion line the tool writes last (`-- Dump completed`, `-- PostgreSQL database dump complete`), after the last statement. */
  trailer: boolean;
  /** True when the text ends between statements: no open string, comment, statement, COPY data or DELIMITER block. */
  balanced: boolean;
  statements: number;
  createTables: number;
  /** Where the text ends: its last line and its length in bytes. */
  endLine: number;
  endByte: number;
  /** What was still open at the end, in words; null when balanced. */
  openAtEnd: string | null;
  ok: boolean;
  message: string | null;
}

export interface BackupCheck {
  file: string;
  bytes: number;
  sha256: string;
  expectedSha256: string | null;
  /** Null when no expected value was given. */
  sha256Match: boolean | null;
  format: BackupFormat;
  pgRestore: PgRestoreListing | null;
  sqliteIntegrity: { ok: boolean; messages: string[] } | null;
  /** Absent in checks recorded before Firebreak read plain SQL dumps. */
  sqlDump?: SqlDumpCheck | null;
  ok: boolean;
  problems: string[];
  checkedAt: string;
}

export interface TableCheck {
  table: string;
  status: 'ok' | 'problem' | 'skipped' | 'error';
  messages: string[];
}

export interface DatabaseCheck {
  target: string;
  engine: DbEngine;
  method: 'sqlite-integrity-check' | 'mariadb-check-table' | 'postgresql-read-through' | 'dynamodb-describe-table';
  ok: boolean;
  messages: string[];
  tables: TableCheck[];
  checkedAt: string;
}

export type ValidationRunKind = 'baseline' | 'import' | 'compare' | 'check-database' | 'check-backup' | 'diff' | 'classify';
export type ValidationRunStatus = 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';
/** 'match'/'mismatch' for compares; 'ok'/'problem' for checks; 'captured' for baselines and imports. */
export type ValidationVerdict = 'match' | 'mismatch' | 'ok' | 'problem' | 'captured';

export interface TableProgress {
  table: string;
  state: 'pending' | 'running' | 'done' | 'error';
  rows: number | null;
  message?: string;
}

export interface RunProgress {
  phase: 'connecting' | 'listing' | 'scanning' | 'saving' | 'finished';
  tablesTotal: number;
  tablesDone: number;
  currentTable: string | null;
  tables: TableProgress[];
}

export interface ValidationRun {
  id: string;
  incidentId: string;
  kind: ValidationRunKind;
  status: ValidationRunStatus;
  /** URL without password, or the backup file path. */
  target: string | null;
  engine: DbEngine | null;
  baselineRunId: string | null;
  startedAt: string;
  finishedAt: string | null;
  startedBy: { name: string; role: string };
  verdict: ValidationVerdict | null;
  /** One line for lists, e.g. "2 of 15 tables differ: rental -120 rows, payment checksum". */
  summary: string | null;
  evidenceId: string | null;
  resultSha256: string | null;
  error: string | null;
  /** Live progress while running (and the last state after); null for runs from an earlier session. */
  progress: RunProgress | null;
}

export type ValidationResultBody =
  | { kind: 'baseline' | 'import'; manifest: BaselineManifest }
  | { kind: 'compare'; result: CompareResult }
  | { kind: 'check-database'; check: DatabaseCheck }
  | { kind: 'check-backup'; check: BackupCheck }
  /** Counts, categories and key lists by evidence id ("EV-… name" in `keysFile`); never row values. */
  | { kind: 'diff'; diff: RowDiffResult }
  | { kind: 'classify'; classify: ClassifyResult };

/** The first keys of one table's key list (a CSV kept as evidence of a diff run), and how many it holds. */
export interface DiffKeys {
  runId: string;
  table: string;
  evidenceId: string;
  header: string[];
  /** Each key as its CSV fields: the change (missing, extra, changed) and the key's columns. */
  keys: string[][];
  total: number;
}

/** A database password the desktop app remembers for one server and user (never the password itself). */
export interface RememberedPassword {
  /** `engine://user@host:port`: the password serves every database on that server for that user. */
  server: string;
  engine: 'postgresql' | 'mysql';
  /** The TLS mode it was proven over (off, require, verify-ca, verify-full); it is never sent over a weaker one. */
  tls: string;
  rememberedAt: string;
  /** "Name (role)" of who asked for it to be remembered. */
  rememberedBy: string;
  /** False when it was sealed by a keychain this app cannot open (another machine, another keychain). */
  usable: boolean;
  problem?: string;
}

/** Whether passwords can be remembered here, how they are protected, and which are. */
export interface PasswordVaultState {
  available: boolean;
  /** e.g. "electron-safestorage (gnome_libsecret)"; null when unavailable. */
  protection: string | null;
  /** Why it is unavailable (browser mode, the CLI, no OS keychain); null when available. */
  reason: string | null;
  entries: RememberedPassword[];
}

/**
 * A data store the operator declared affected by the incident. Only its identity is kept: engine, host, port and
 * database (or the SQLite file), and the URL without user password for display.
 */
export interface DeclaredStore {
  /** Equal for two URLs naming the same database, whatever their user, password or options. */
  key: string;
  label: string;
  addedAt: string;
  addedBy: { name: string; role: string };
}

/** Where a database statement was read from: the server's own record of what ran. */
export type DbLogSource = 'mariadb-binlog' | 'postgresql-csvlog' | 'postgresql-stderr';

/**
 * One statement from a database's own log, on the incident's time axis. Row values from binlog row events are never
 * kept, only how many rows each statement touched in each table.
 */
export interface DbLogStatement {
  /** ISO 8601 UTC. */
  at: string;
  source: DbLogSource;
  /** The database login (PostgreSQL logs); null where the log does not say (the binlog). */
  login: string | null;
  database: string | null;
  /** Connection or session the statement ran in (binlog thread id, PostgreSQL session id). */
  session: string | null;
  /** Upper-case verb, e.g. "DELETE", "DROP TABLE", "TRUNCATE", "UPDATE", "INSERT", "ALTER TABLE", "SELECT". */
  operation: string;
  /** Removes or rewrites data or structure: DELETE, UPDATE, DROP, TRUNCATE, ALTER ... DROP. */
  destructive: boolean;
  /** The table the statement names (or, for row events, the table whose rows changed); null when none is named. */
  table: string | null;
  /** Rows the statement deleted, inserted or updated in `table`, from row events; null when the log does not say. */
  rows: number | null;
  /** The statement text (at most 4,000 characters); for row events without an annotation, a description. */
  statement: string;
  /** 1-based line of the log file where it was found. */
  line: number;
}

export interface DbLogFileResult {
  path: string;
  source: DbLogSource | null;
  evidenceId: string | null;
  sha256: string | null;
  statements: number;
  /** Why nothing (or only part) was read, e.g. an unknown format. */
  problem: string | null;
}

export interface DbLogImport {
  files: DbLogFileResult[];
  statements: number;
  destructive: number;
  /** Rows deleted per table from row events (binlog), largest first. */
  rowsDeleted: Array<{ table: string; rows: number }>;
  first: string | null;
  last: string | null;
}
