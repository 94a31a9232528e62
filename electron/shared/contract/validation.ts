import * as z from 'zod';
import type {
  BackupCheck,
  BaselineManifest,
  CompareResult,
  DatabaseCheck,
  DeclaredStore,
  DiffKeys,
  DbEngine,
  PasswordVaultState,
  RememberedPassword,
  RunProgress,
  ValidationResultBody,
  ValidationRun,
} from '../validation';
import { incidentId, method, operationId, text } from './define';

/**
 * Database validation for the Recovery-phase wizard. Long work is started, then polled: `validation.start` returns a
 * run at once, `validation.status` gives per-table progress (and can wait for a change), `validation.cancel` stops it.
 * Passwords travel only in `target.password` or the URL and are used for the run; they are never stored in the case
 * record. The desktop app can remember one per server and user, sealed by the OS keychain (`validation.rememberPassword`),
 * and uses it when a target comes without one.
 */

const runId = z.string().regex(/^VR-\d{6,}$/, 'a validation run id looks like VR-000001');
const stepIds = z.array(text('Step', 120)).max(100).optional();

export const validationTarget = z
  .object({
    url: text('Database URL', 4000),
    password: z.string().max(1000, 'the password is longer than 1000 characters').optional(),
  })
  .strict();

const expectedSha256 = z
  .string()
  .trim()
  .regex(/^[0-9a-fA-F]{64}$/, 'the expected SHA-256 is 64 hex digits')
  .optional();

const tableNames = z.array(text('Table', 500)).max(10_000).optional();
const schemaNames = z.array(text('Schema', 200)).max(1000).optional();

export const startValidationInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('baseline'), incidentId, target: validationTarget, tables: tableNames, schemas: schemaNames, linkedSteps: stepIds }).strict(),
  z
    .object({
      kind: z.literal('compare'),
      incidentId,
      target: validationTarget,
      /** A baseline or import run of the same incident. */
      baselineRunId: runId,
      linkedSteps: stepIds,
    })
    .strict(),
  z.object({ kind: z.literal('check-database'), incidentId, target: validationTarget, tables: tableNames, linkedSteps: stepIds }).strict(),
  z
    .object({
      kind: z.literal('check-backup'),
      incidentId,
      /** A file on the machine running Firebreak. */
      path: text('Backup file', 4096),
      expectedSha256,
      linkedSteps: stepIds,
    })
    .strict(),
  z
    .object({
      kind: z.literal('diff'),
      incidentId,
      /** The backup, restored somewhere: `missing` rows are in it and not in the actual database. */
      reference: validationTarget,
      actual: validationTarget,
      tables: tableNames,
      /** Also classify the reference's tables: the categories the lost rows held and the people they touch. */
      classify: z.boolean().optional(),
      linkedSteps: stepIds,
    })
    .strict(),
  z
    .object({
      kind: z.literal('classify'),
      incidentId,
      target: validationTarget,
      tables: tableNames,
      sample: z.number().int().min(1, 'sample at least one row').max(100_000, 'sample at most 100000 rows').optional(),
      linkedSteps: stepIds,
    })
    .strict(),
]);

export const importBaselineInput = z
  .object({
    incidentId,
    /** Shown in the history and used as the evidence name, e.g. "rowcounts-2026-05-01.csv". */
    fileName: text('File name', 255),
    /** A Firebreak baseline manifest (JSON) or a CSV of table,rows. */
    content: z.string().min(1, 'the baseline file is empty').max(64 * 1024 * 1024, 'the baseline file is larger than 64 MB'),
    linkedSteps: stepIds,
  })
  .strict();

/** A baseline manifest and the exact file to keep it in (what `firebreak db baseline --out` writes). */
export interface BaselineFile {
  manifest: BaselineManifest;
  text: string;
  /** SHA-256 of the UTF-8 bytes of `text`. */
  sha256: string;
}

export interface TargetDescription {
  engine: DbEngine;
  /** The URL without password. */
  display: string;
  /** The server and user a remembered password belongs to (`engine://user@host:port`); null for SQLite. */
  server: string | null;
}

export interface TargetTables extends TargetDescription {
  serverVersion: string;
  tables: Array<{ table: string; schema: string | null; name: string }>;
}

/** Database URLs naming data stores; their passwords (if any) are dropped, never stored. */
const storeUrls = z.array(text('Database URL', 4000)).max(100, 'at most 100 data stores at a time').default([]);

export const validationContract = {
  /** The data stores declared affected by the incident (beside those its parameters name and those baselined). */
  'validation.stores': method<DeclaredStore[]>().query(() => z.object({ incidentId }).strict()),
  /**
   * Declares data stores affected (`add`) or no longer (`remove`), by URL; the sign-off gate needs a complete match for
   * each. Only the store's identity is kept: engine, host, port and database, or the SQLite file.
   */
  'validation.setStores': method<DeclaredStore[]>().mutation(() => z.object({ incidentId, add: storeUrls, remove: storeUrls }).strict()),
  /** Parses a URL without connecting: which engine, and how it is shown (no password). */
  'validation.describeTarget': method<TargetDescription>().query(() => z.object({ url: text('Database URL', 4000) }).strict()),
  /** Connects read-only and lists the user tables, for choosing what to capture. */
  'validation.tables': method<TargetTables>().query(() => z.object({ target: validationTarget, schemas: schemaNames }).strict()),
  /** Starts a baseline capture, compare or check; returns the running run. The result is saved as evidence. */
  'validation.start': method<ValidationRun>().mutation(() => startValidationInput),
  /** A run with its per-table progress; `waitMs` waits up to that long for the run to change before answering. */
  'validation.status': method<ValidationRun>().query(
    () => z.object({ runId, waitMs: z.number().int().min(0).max(30_000).default(0) }).strict(),
  ),
  /** Stops a running run; the run records its cancellation when it has stopped. */
  'validation.cancel': method<ValidationRun>().action(() => z.object({ runId }).strict()),
  /** The history of an incident's runs, newest first. */
  'validation.runs': method<ValidationRun[]>().query(
    () => z.object({ incidentId, kind: z.enum(['baseline', 'import', 'compare', 'check-database', 'check-backup', 'diff', 'classify']).optional() }).strict(),
  ),
  /** The full result of a finished run: the manifest, compare result or check. */
  'validation.result': method<ValidationResultBody>().query(() => z.object({ runId }).strict()),
  /** The first keys of one table's key list from a diff run's evidence, re-hashed first, and their count. */
  'validation.diffKeys': method<DiffKeys>().query(
    () => z.object({ runId, table: text('Table', 500), limit: z.number().int().min(1).max(10_000).default(100) }).strict(),
  ),
  /** Imports a baseline (manifest JSON or CSV of table,rows) as evidence; it can then be compared against. */
  'validation.importBaseline': method<ValidationRun>().mutation(() => importBaselineInput),
  /** Whether database passwords can be remembered here (desktop app with an OS keychain), and which are. */
  'validation.passwords': method<PasswordVaultState>().query(() => z.object({}).strict()),
  /**
   * Connects with the password first (a wrong one is never remembered), then seals it with the OS keychain for the URL's
   * server and user. Refused in browser mode, the CLI and where there is no keychain.
   */
  'validation.rememberPassword': method<RememberedPassword>().mutation(
    () => z.object({ url: text('Database URL', 4000), password: z.string().min(1, 'type the password to remember').max(1000, 'the password is longer than 1000 characters') }).strict(),
  ),
  /**
   * Outside any incident (the CLI's `firebreak db`): nothing is recorded. The URL's password, the given one, or (in the
   * CLI) PGPASSWORD / MYSQL_PWD of the caller's environment is used.
   */
  'validation.captureBaseline': method<BaselineFile, RunProgress>().query(
    () => z.object({ target: validationTarget, tables: tableNames, schemas: schemaNames, operationId: operationId.optional() }).strict(),
    { long: true },
  ),
  /** Compares a database with a baseline file on this machine (a manifest or a CSV of table,rows). */
  'validation.compareBaseline': method<CompareResult, RunProgress>().query(
    () => z.object({ target: validationTarget, baseline: text('Baseline file', 4096), operationId: operationId.optional() }).strict(),
    { long: true },
  ),
  /** The engine's integrity check on a live database. */
  'validation.checkTarget': method<DatabaseCheck>().query(
    () => z.object({ target: validationTarget, tables: tableNames, operationId: operationId.optional() }).strict(),
    { long: true },
  ),
  /** Checks a backup file on this machine: its SHA-256, pg_restore --list of a dump, SQLite integrity_check. */
  'validation.checkBackup': method<BackupCheck>().query(
    () => // The check names a malformed expected value itself.
    z.object({ path: text('Backup file', 4096), expectedSha256: z.string().max(200).optional(), operationId: operationId.optional() }).strict(),
    { long: true },
  ),
  /** Forgets the password remembered for a server: give its key as listed, or any database URL on it. */
  'validation.forgetPassword': method<PasswordVaultState>().mutation(() => z.object({ server: text('Server', 4000) }).strict()),
};
