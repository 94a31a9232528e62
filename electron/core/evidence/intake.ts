import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { EVIDENCE_SOURCE_KINDS, type EvidenceItem, type EvidenceSourceKind } from '../../shared/evidence';
import type { CoreContext } from '../context';
import { FirebreakError, badInput } from '../errors';
import { IncidentRepository } from '../incidents/repository';
import type { Actor } from '../ledger/ledger';
import { SettingsRepository } from '../store/settings-repository';
import { type ItemMeta, type PreparedContent, commitIntakes } from './commit';
import { cancelled, pumpStream } from './copy-hash';
import { checkEvidencePath } from './input-file';
import { checkSteps } from './links';
import { type KeptName, baseNameOf, keepName } from './names';
import { prepareFd, prepareFile } from './prepare';
import { discardTemp } from './store';
import { adoptWarmIntake, dropWarmIntake } from './warm-intake';

export type { EvidenceSourceKind };

export interface IntakeOptions {
  incidentId: string;
  /** Original file name. */
  name: string;
  sourceKind: EvidenceSourceKind;
  description?: string;
  originalPath?: string;
  linkedSteps?: string[];
  /** Cancel: nothing is left behind. */
  signal?: AbortSignal;
  onProgress?: (bytesDone: number, bytesTotal: number | null) => void;
  /** Compute SHA-1 and MD5 too; default: the evidence.legacyHashes setting. */
  legacyHashes?: boolean;
  /** The source's modification time (UTC ISO), when it is not a file read here. */
  modifiedAt?: string;
}

export type FileIntakeOptions = Omit<IntakeOptions, 'name'> & { name?: string };

export interface StreamIntakeOptions extends IntakeOptions {
  /** Expected byte count, for progress. */
  size?: number;
  /** When set, a stream that ends with any other byte count is refused and nothing is kept (an interrupted upload). */
  expectedSize?: number;
}

export interface BatchIntakeOptions extends Omit<IntakeOptions, 'name' | 'onProgress'> {
  /** Bytes done and total over all files. */
  onProgress?: (bytesDone: number, bytesTotal: number | null) => void;
  /** Called as items are committed, in the order of the paths. */
  onItem?: (item: EvidenceItem, index: number) => void;
}

const LEGACY_KEY = 'evidence.legacyHashes';
/** Commit small files in groups: one transaction and one directory fsync per group instead of per file. */
const GROUP_ITEMS = 500;
const GROUP_MS = 250;
const CONCURRENCY = 4;

export function legacyHashesEnabled(ctx: CoreContext): boolean {
  return new SettingsRepository(ctx.db).get(LEGACY_KEY) === 'true';
}

export function setLegacyHashes(ctx: CoreContext, enabled: boolean): void {
  new SettingsRepository(ctx.db).put(LEGACY_KEY, enabled ? 'true' : 'false');
}

function baseMeta(ctx: CoreContext, o: Omit<IntakeOptions, 'name'>, name: KeptName, originalPath: KeptName | null): ItemMeta {
  if (!name.text.trim() || name.text.includes('\u0000')) throw badInput('An evidence item needs a file name.');
  if (!EVIDENCE_SOURCE_KINDS.includes(o.sourceKind)) {
    throw badInput(`"${String(o.sourceKind)}" is not a kind of evidence source.`, [`Kinds: ${EVIDENCE_SOURCE_KINDS.join(', ')}`]);
  }
  const linkedSteps = checkSteps(new IncidentRepository(ctx.db), o.incidentId, o.linkedSteps ?? []);
  return {
    incidentId: o.incidentId,
    name,
    sourceKind: o.sourceKind,
    description: o.description?.trim() || null,
    originalPath,
    modifiedAt: o.modifiedAt ?? null,
    linkedSteps,
  };
}

/** Streams the file once: hashes (SHA-256, plus SHA-1/MD5 when enabled) while copying into the content-addressed store. */
export async function intakeFile(ctx: CoreContext, actor: Actor, path: string | Buffer, o: FileIntakeOptions): Promise<EvidenceItem> {
  const name = o.name !== undefined ? keepName(o.name) : baseNameOf(path);
  const meta = baseMeta(ctx, o, name, o.originalPath !== undefined ? keepName(o.originalPath) : absolutePath(path));
  const { prepared, modifiedAt } = await prepareFile(ctx.dataDir, path, { legacy: o.legacyHashes ?? legacyHashesEnabled(ctx), ...pick(o) });
  stopIfCancelled(prepared, o.signal);
  return (commitIntakes(ctx, actor, [{ prepared, meta: { ...meta, modifiedAt: o.modifiedAt ?? modifiedAt } }]))[0] as EvidenceItem;
}

export async function intakeStream(
  ctx: CoreContext,
  actor: Actor,
  source: NodeJS.ReadableStream,
  o: StreamIntakeOptions,
): Promise<EvidenceItem> {
  const meta = baseMeta(ctx, o, keepName(o.name), o.originalPath !== undefined ? keepName(o.originalPath) : null);
  const prepared = await prepareFd(
    ctx.dataDir,
    (temp) =>
      pumpStream(source, temp.fd, {
        legacyHashes: o.legacyHashes ?? legacyHashesEnabled(ctx),
        total: o.expectedSize ?? o.size ?? null,
        ...pick(o),
      }),
    o.signal,
  );
  if (o.expectedSize !== undefined && prepared.digest.size !== o.expectedSize) {
    discardTemp(prepared.tempPath);
    throw new FirebreakError(
      'cancelled',
      `The upload of ${o.name} ended after ${prepared.digest.size} of ${o.expectedSize} bytes; nothing was added.`,
    );
  }
  stopIfCancelled(prepared, o.signal);
  return (commitIntakes(ctx, actor, [{ prepared, meta }]))[0] as EvidenceItem;
}

export function intakeBytes(ctx: CoreContext, actor: Actor, data: Buffer | string, o: IntakeOptions): Promise<EvidenceItem> {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return intakeStream(ctx, actor, Readable.from([buf]), { ...o, size: buf.length });
}

/** A cancel that arrives after the copy but before the commit still leaves nothing. */
function stopIfCancelled(prepared: PreparedContent, signal?: AbortSignal): void {
  if (!signal?.aborted) return;
  discardTemp(prepared.tempPath);
  throw cancelled();
}

/**
 * The original path as an absolute path with every symbolic link resolved: the record says which file was read, not
 * where the shell happened to be nor the name of a link to it (a link can be pointed elsewhere afterwards).
 */
function absolutePath(path: string | Buffer): KeptName {
  try {
    return keepName(typeof path === 'string' ? realpathSync.native(path) : realpathSync.native(path, { encoding: 'buffer' }));
  } catch {
    // Opening the file reports why it cannot be read; the record then keeps the path as given.
    if (typeof path === 'string') return { text: resolve(path) };
    return keepName(path[0] === 0x2f ? path : Buffer.concat([Buffer.from(`${process.cwd()}/`, 'utf8'), path]));
  }
}

const pick = (o: { signal?: AbortSignal; onProgress?: (done: number, total: number | null) => void }) => ({
  ...(o.signal ? { signal: o.signal } : {}),
  ...(o.onProgress ? { onProgress: o.onProgress } : {}),
});

/**
 * Takes in many files: each is read once, up to CONCURRENCY at a time, and the items are committed in groups of up to
 * GROUP_ITEMS (one transaction each). Every path is checked before anything is copied, so a bad path in the list adds
 * nothing. On a later failure or cancel, groups already committed stay (they are complete items with their custody).
 */
export async function intakeFiles(
  ctx: CoreContext,
  actor: Actor,
  paths: ReadonlyArray<string | Buffer>,
  o: BatchIntakeOptions,
): Promise<EvidenceItem[]> {
  const metaBase = baseMeta(ctx, o, { text: '-' }, null);
  const checks = await Promise.allSettled(paths.map((p) => checkEvidencePath(p)));
  const problems = checks.flatMap((c) => (c.status === 'rejected' ? [(c.reason as Error).message] : []));
  if (problems.length === 1) throw checks.find((c) => c.status === 'rejected')?.reason as Error;
  if (problems.length > 1) throw badInput(`${problems.length} of the files cannot be added as evidence; nothing was added.`, problems);
  const total = checks.reduce((sum, c) => sum + (c.status === 'fulfilled' ? c.value.size : 0), 0);
  const legacy = o.legacyHashes ?? legacyHashesEnabled(ctx);
  // A copy begun ahead computed SHA-256 alone.
  if (legacy) dropWarmIntake(ctx.dataDir);

  const results: EvidenceItem[] = new Array<EvidenceItem>(paths.length);
  const ready: Array<{ prepared: PreparedContent; meta: ItemMeta } | undefined> = new Array(paths.length);
  const doneBytes = new Array<number>(paths.length).fill(0);
  let doneSum = 0;
  let next = 0;
  let committed = 0;
  let lastCommit = Date.now();
  let failure: unknown = null;

  const commitReady = (force: boolean) => {
    let end = committed;
    while (end < paths.length && ready[end]) end += 1;
    if (end === committed || (!force && end - committed < GROUP_ITEMS && Date.now() - lastCommit < GROUP_MS)) return;
    const group = ready.slice(committed, end) as Array<{ prepared: PreparedContent; meta: ItemMeta }>;
    for (let i = committed; i < end; i += 1) ready[i] = undefined;
    const start = committed;
    committed = end;
    lastCommit = Date.now();
    commitIntakes(ctx, actor, group).forEach((item, k) => {
      results[start + k] = item;
      o.onItem?.(item, start + k);
    });
  };

  const worker = async () => {
    while (failure === null && next < paths.length) {
      const index = next;
      next += 1;
      const path = paths[index] as string | Buffer;
      try {
        const onProgress = (done: number) => {
          doneSum += done - (doneBytes[index] ?? 0);
          doneBytes[index] = done;
          o.onProgress?.(doneSum, total);
        };
        const signal = o.signal ? { signal: o.signal } : {};
        // The copy the CLI's warm-up began of this very file, when there is one: the same checks, read and hash.
        const { prepared, modifiedAt } = await (adoptWarmIntake(ctx.dataDir, path, { ...signal, onProgress }) ??
          prepareFile(ctx.dataDir, path, { legacy, ...signal, onProgress }));
        const meta: ItemMeta = { ...metaBase, name: baseNameOf(path), originalPath: absolutePath(path), modifiedAt: o.modifiedAt ?? modifiedAt };
        if (failure !== null || o.signal?.aborted) {
          discardTemp(prepared.tempPath);
          failure ??= cancelled();
          return;
        }
        ready[index] = { prepared, meta };
        commitReady(false);
      } catch (e) {
        failure ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, paths.length) }, worker));
  if (failure === null && o.signal?.aborted) failure = cancelled();
  if (failure === null) {
    try {
      commitReady(true);
    } catch (e) {
      failure = e;
    }
  }
  if (failure !== null) {
    for (const r of ready) if (r) discardTemp(r.prepared.tempPath);
    const err = failure instanceof FirebreakError ? failure : asFirebreakError(failure);
    if (committed > 0) {
      throw new FirebreakError(err.code, err.message, [
        ...(err.details ?? []),
        `${committed} of ${paths.length} files were added before this; they stay in the record.`,
      ]);
    }
    throw err;
  }
  return results;
}

function asFirebreakError(e: unknown): FirebreakError {
  if (e instanceof FirebreakError) return e;
  return new FirebreakError('internal', `Evidence intake failed: ${(e as Error)?.message ?? String(e)}`);
}
