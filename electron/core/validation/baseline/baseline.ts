import { BASELINE_FORMAT, type BaselineManifest, CHECKSUM_ALGORITHM, type TableBaseline } from '../../../shared/validation';
import { badInput } from '../../errors';
import type { TargetAdapter } from '../adapters/adapter';
import { captureObjects } from './objects';
import { ProgressTracker, type ScanOptions, resolveTables, scanTables } from './scan';
import { schemaFingerprint } from './schema-fingerprint';

export interface CaptureOptions extends ScanOptions {
  /** Only these tables (display or bare names); default: every user table. */
  tables?: readonly string[] | undefined;
  /** Only these schemas (PostgreSQL); default: every non-system schema. */
  schemas?: readonly string[] | undefined;
  now?: () => Date;
}

/**
 * Captures a baseline: for each user table (or the chosen ones) its row count, content checksum and schema
 * fingerprint, all from one read-only snapshot. Tables that cannot be read are listed with their error.
 */
export async function captureBaseline(adapter: TargetAdapter, o: CaptureOptions = {}): Promise<BaselineManifest> {
  const now = o.now ?? (() => new Date());
  const progress = new ProgressTracker(o.onProgress);
  progress.phase('listing');
  const all = await adapter.listTables(o.schemas?.length ? o.schemas : null);
  const chosen = o.tables?.length ? resolveTables(all, o.tables, adapter.display) : all;
  if (chosen.length === 0) {
    throw badInput(
      `${adapter.display} has no user tables${o.schemas?.length ? ` in ${o.schemas.join(', ')}` : ''}: a baseline of no table could not prove a restore.`,
    );
  }
  const definitions = await adapter.describe(chosen);
  // A baseline of chosen tables says nothing of views or routines elsewhere; one of whole schemas records them.
  const objects = o.tables?.length ? null : await captureObjects(adapter, o.schemas?.length ? o.schemas : null);
  progress.plan(chosen.map((t) => t.display));
  const capturedAt = now().toISOString();
  const scanned = await scanTables(adapter, chosen.map((ref) => ({ ref, checksum: true })), progress, o);
  const tables: TableBaseline[] = chosen.map((ref) => {
    const s = scanned.get(ref.display);
    const definition = definitions.get(ref.display) ?? null;
    return {
      table: ref.display,
      schema: ref.schema,
      name: ref.name,
      rows: s?.measure?.rows ?? null,
      checksum: s?.measure?.checksum ?? null,
      schemaFingerprint: definition ? schemaFingerprint(definition) : null,
      definition,
      ...(s?.error ? { error: s.error } : {}),
    };
  });
  progress.phase('finished');
  return {
    format: BASELINE_FORMAT,
    version: 1,
    source: 'capture',
    engine: adapter.engine,
    serverVersion: adapter.serverVersion,
    target: adapter.display,
    database: adapter.database,
    capturedAt,
    checksumAlgorithm: CHECKSUM_ALGORITHM,
    scope: {
      schemas: o.schemas?.length ? [...o.schemas] : null,
      tables: o.tables?.length ? chosen.map((t) => t.display) : null,
    },
    tables,
    ...(objects ? { objects } : {}),
  };
}

/** The manifest as written to disk and to evidence: stable key order from the types, two-space indent, final newline. */
export const serializeManifest = (m: unknown): string => `${JSON.stringify(m, null, 2)}\n`;
