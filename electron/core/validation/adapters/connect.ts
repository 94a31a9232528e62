import type { TargetAdapter } from './adapter';
import { openDynamo } from './dynamodb-adapter';
import { openMysql } from './mysql-adapter';
import { openPostgres } from './postgres-adapter';
import { openSqlite } from './sqlite-adapter';
import { type ParseOptions, type TargetSpec, parseTargetUrl } from './target-url';

export interface OpenTargetOptions extends ParseOptions {
  /** better-sqlite3 binding built for this runtime (Electron keeps its own). */
  nativeBinding?: string | undefined;
  /** Overrides the connect timeout (tests use a short one). */
  connectTimeoutMs?: number;
}

/** Opens a validation target read-only: one connection, one read-only snapshot, closed by the caller. */
export async function openTarget(target: string | TargetSpec, o: OpenTargetOptions = {}): Promise<TargetAdapter> {
  const spec = typeof target === 'string' ? parseTargetUrl(target, o) : target;
  if (spec.engine === 'sqlite') return openSqlite(spec, { nativeBinding: o.nativeBinding });
  if (spec.engine === 'dynamodb') return openDynamo(spec);
  const server = o.connectTimeoutMs ? { ...spec, connectTimeoutMs: o.connectTimeoutMs } : spec;
  return server.engine === 'postgresql' ? openPostgres(server) : openMysql(server);
}

/** Runs fn with an open target and always closes it. */
export async function withTarget<T>(target: string | TargetSpec, o: OpenTargetOptions, fn: (a: TargetAdapter) => Promise<T>): Promise<T> {
  const adapter = await openTarget(target, o);
  try {
    return await fn(adapter);
  } finally {
    await adapter.close();
  }
}
