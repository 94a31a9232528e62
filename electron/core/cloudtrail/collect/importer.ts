import { hostname } from 'node:os';
import type { CloudName } from '../../../shared/cloudlogs';
import type { ImportResult, ScanFileResult } from '../../../shared/cloudtrail';
import { plural } from '../../../shared/plural';
import type { CoreContext } from '../../context';
import { FirebreakError } from '../../errors';
import { intakeFile } from '../../evidence/intake';
import { objectPath } from '../../evidence/store';
import type { Actor } from '../../ledger/ledger';
import type { HighRiskTable } from '../analyse/high-risk';
import { loadIncidentRiskTable } from '../analyse/incident-risk-table';
import { agentMatcher } from '../import/agents';
import { collectExportFiles } from '../import/export-files';
import { isCancelled, readExportFile } from '../import/export-reader';
import { ViewNormalizer } from '../import/normalize-view';
import type { RecordView } from '../import/record-view';
import { CollectionsRepository } from '../store/collections-repository';
import { EventsRepository, type EventRow, eventRow } from '../store/events-repository';
import { FindingsRepository } from '../store/findings-repository';
import { type IncidentCloudTrail, incidentCloudTrail } from '../store/incident-context';
import { fileLookBackImport } from '../../workflow/look-back';
import { analyseIncident } from './incident-analysis';

/** Events are committed in groups, each with its ledger entry, so a crash keeps what was already imported. */
const GROUP = 5000;

export interface CollectOptions {
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
}

/**
 * Writes events in groups. Every group is one transaction with its ledger entry; duplicates (by eventID, within the
 * incident) are counted and dropped.
 */
export class EventSink {
  private rows: EventRow[] = [];
  private readonly store: EventsRepository;
  private readonly collections: CollectionsRepository;
  readonly normalizer: ViewNormalizer;
  added = 0;
  seen = 0;
  bad = 0;
  firstBad: string | null = null;

  constructor(
    private readonly ctx: CoreContext,
    private readonly actor: Actor,
    private readonly info: IncidentCloudTrail,
    private readonly collectionId: string,
    readonly table: HighRiskTable,
  ) {
    this.store = new EventsRepository(ctx.db);
    this.collections = new CollectionsRepository(ctx.db);
    this.normalizer = new ViewNormalizer(agentMatcher(info.identities));
  }

  add(view: RecordView, evidenceId: string | null): void {
    try {
      this.rows.push(eventRow(view, { incidentId: this.info.incident.id, collectionId: this.collectionId, evidenceId, normalizer: this.normalizer, table: this.table }));
    } catch (e) {
      this.bad++;
      this.firstBad ??= `a record is not valid JSON (${(e as Error).message})`;
      return;
    }
    if (this.rows.length >= GROUP) this.commit(evidenceId, {});
  }

  /** A row already built (an Azure or GCP call from the one event model). */
  addRow(row: EventRow, evidenceId: string | null): void {
    this.rows.push(row);
    if (this.rows.length >= GROUP) this.commit(evidenceId, {});
  }

  /** Counts a record that could not be kept, with the first reason. */
  refuse(reason: string): void {
    this.bad++;
    this.firstBad ??= reason;
  }

  /** The incident's agent identities, as the import started. */
  get identities(): readonly string[] {
    return this.info.identities;
  }

  get incidentId(): string {
    return this.info.incident.id;
  }

  get collection(): string {
    return this.collectionId;
  }

  /** Commits pending rows with one ledger entry; `also` runs in the same transaction (cursor moves, counters). */
  commit(evidenceId: string | null, payload: Record<string, unknown>, also?: () => void, action = 'cloudtrail.events-recorded'): { added: number; count: number } {
    const rows = this.rows;
    this.rows = [];
    const { added } = this.ctx.change(
      this.actor,
      (n) => ({
        scope: this.info.incident.id,
        action,
        subject: this.collectionId,
        payload: {
          collection: this.collectionId,
          evidence: evidenceId,
          records: rows.length,
          new: n.added,
          duplicates: rows.length - n.added - n.paired,
          // Azure outcomes and GCP last entries folded into their operation's stored call: neither new nor repeats.
          ...(n.paired ? { paired: n.paired } : {}),
          firstEventId: rows[0]?.event_id ?? null,
          lastEventId: rows[rows.length - 1]?.event_id ?? null,
          ...payload,
        },
      }),
      () => {
        const n = this.store.insert(rows);
        this.collections.count(this.collectionId, { records: rows.length, newRecords: n.added, duplicates: rows.length - n.added - n.paired });
        also?.();
        return n;
      },
    );
    this.added += added;
    this.seen += rows.length;
    return { added, count: rows.length };
  }
}

export function startCollection(ctx: CoreContext, actor: Actor, incidentId: string, kind: 'pull' | 'import', purpose: 'collect' | 'monitoring', params: unknown): string {
  return ctx.change(
    actor,
    (id) => ({ scope: incidentId, action: 'cloudtrail.collection-started', subject: id, payload: { kind, purpose, params } }),
    () => new CollectionsRepository(ctx.db).create(incidentId, kind, purpose, params, ctx.now().toISOString(), `${hostname()}:${process.pid}`),
  );
}

export function finishCollection(ctx: CoreContext, actor: Actor, incidentId: string, id: string, status: 'done' | 'failed' | 'interrupted'): void {
  ctx.change(
    actor,
    (s) => ({
      scope: incidentId,
      action: 'cloudtrail.collection-finished',
      subject: id,
      payload: { status, pages: s.pages, records: s.records, new: s.newRecords, duplicates: s.duplicates, evidence: s.evidenceIds, errors: s.errors },
    }),
    () => {
      const c = new CollectionsRepository(ctx.db);
      c.finish(id, status, status === 'interrupted' ? null : ctx.now().toISOString());
      return c.get(id);
    },
  );
}

/** How one kind of import reads a file kept as evidence: what it records, and the result for the file. */
export interface FileImporter {
  /** The automated actor the ledger names, e.g. "CloudTrail import". */
  actorName: string;
  /** What the files are, for messages: "CloudTrail log files", "audit-log files". */
  what: string;
  /** The evidence item's description. */
  describe(collectionId: string): string;
  /** Reads the locker's copy of a file into the sink; `path` is where the user's file was. */
  read(lockerPath: string, path: string, evidenceId: string, sink: EventSink, signal?: AbortSignal): Promise<ScanFileResult & { cloud?: CloudName | null }>;
}

/**
 * Every file becomes an evidence item (hashed as it is copied into the locker), its records are read back from the
 * locker's copy, so what is analysed is exactly what is kept, and the incident is analysed again once all are in.
 */
export async function importIntoIncident(ctx: CoreContext, incidentId: string, paths: readonly string[], how: FileImporter, o: CollectOptions = {}): Promise<ImportResult> {
  const info = incidentCloudTrail(ctx, incidentId);
  const actor = ctx.automated(how.actorName);
  const table = loadIncidentRiskTable(ctx.resourcesDir);
  const { files, others } = await collectExportFiles(paths);
  if (files.length === 0) {
    throw new FirebreakError('bad-input', `No ${how.what} to import in ${paths.join(', ')}.`, others.map((f) => `${f.path}: ${f.reason}`));
  }
  const collectionId = startCollection(ctx, actor, incidentId, 'import', 'collect', { paths: [...paths], identities: info.identities });
  const collections = new CollectionsRepository(ctx.db);
  const sink = new EventSink(ctx, actor, info, collectionId, table);
  const results: ImportResult['files'] = others.map((f) => ({ ...f, evidenceId: null, sha256: null, newRecords: 0 }));
  let cancelled = false;
  for (const [i, f] of files.entries()) {
    if (o.signal?.aborted) {
      cancelled = true;
      break;
    }
    o.onProgress?.(`[${i + 1}/${files.length}] ${f.path}`);
    let item;
    try {
      item = await intakeFile(ctx, actor, f.path, { incidentId, sourceKind: 'cloudtrail-export', description: how.describe(collectionId), ...(o.signal ? { signal: o.signal } : {}) });
    } catch (e) {
      if (o.signal?.aborted) {
        cancelled = true;
        break;
      }
      results.push({ path: f.path, status: 'failed', records: 0, reason: `not taken as evidence: ${(e as Error).message}`, evidenceId: null, sha256: null, newRecords: 0 });
      continue;
    }
    const before = { added: sink.added, bad: sink.bad };
    let result: ScanFileResult & { cloud?: CloudName | null };
    try {
      result = await how.read(objectPath(ctx.dataDir, item.sha256), f.path, item.id, sink, o.signal);
    } catch (e) {
      if (!isCancelled(e) && !o.signal?.aborted) throw e;
      cancelled = true;
      result = { path: f.path, status: 'partial', records: 0, reason: 'cancelled' };
    }
    const bad = sink.bad - before.bad;
    if (bad && result.status === 'ok') result = { ...result, status: 'partial', reason: `${plural(bad, 'record')} skipped: ${sink.firstBad}` };
    const itemId = item.id;
    sink.commit(
      itemId,
      { path: f.path, sha256: item.sha256, status: result.status, reason: result.reason, ...(result.cloud !== undefined ? { cloud: result.cloud } : {}) },
      () => collections.linkEvidence(collectionId, itemId, 'export', f.path),
      'cloudtrail.file-imported',
    );
    results.push({ ...result, evidenceId: item.id, sha256: item.sha256, newRecords: sink.added - before.added });
    if (cancelled) break;
  }
  if (cancelled) {
    finishCollection(ctx, actor, incidentId, collectionId, 'interrupted');
    throw new FirebreakError('cancelled', `The import was cancelled; ${sink.added} new events already recorded stay in ${incidentId}.`);
  }
  const analysis = analyseIncident(ctx, info, table, actor, collectionId);
  const failed = results.some((r) => r.status === 'failed' || r.status === 'partial');
  finishCollection(ctx, actor, incidentId, collectionId, failed && sink.seen === 0 ? 'failed' : 'done');
  // The files of every finished import, since together they may be what spans the 30 days.
  fileLookBackImport(ctx, actor, incidentId, collections.list(incidentId).filter((c) => c.kind === 'import' && c.status === 'done').flatMap((c) => c.evidenceIds), new EventsRepository(ctx.db).stats(incidentId));
  return {
    collection: collections.get(collectionId),
    files: results.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    findings: new FindingsRepository(ctx.db).list(incidentId, analysis.update.added.map((a) => a.id)),
    newFindings: analysis.update.added.length,
  };
}

/** `cloudtrail import`: CloudTrail exports only, through the fast CloudTrail reader. */
export const importExports = (ctx: CoreContext, incidentId: string, paths: readonly string[], o: CollectOptions = {}): Promise<ImportResult> =>
  importIntoIncident(
    ctx,
    incidentId,
    paths,
    {
      actorName: 'CloudTrail import',
      what: 'CloudTrail log files',
      describe: (collectionId) => `CloudTrail export (${collectionId})`,
      read: async (lockerPath, path, evidenceId, sink, signal) => {
        const r = await readExportFile(lockerPath, (v) => sink.add(v, evidenceId), signal ? { signal } : {});
        return { path, status: r.status, records: r.records, reason: r.reason, ...(r.refusedNoTime.count ? { refusedNoTime: r.refusedNoTime } : {}) };
      },
    },
    o,
  );
