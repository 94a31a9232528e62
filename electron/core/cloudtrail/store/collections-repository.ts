import type { CollectionSummary } from '../../../shared/cloudtrail';
import type { Db } from '../../store/database';
import { inTransaction } from '../../store/transactions';

export type CollectionKind = 'pull' | 'import';
export type CollectionPurpose = 'collect' | 'monitoring';
export type CollectionStatus = CollectionSummary['status'];

interface CollectionRow {
  id: string;
  incident_id: string;
  kind: CollectionKind;
  purpose: CollectionPurpose;
  status: CollectionStatus;
  params: string;
  owner: string | null;
  started_at: string;
  finished_at: string | null;
  pages: number;
  records: number;
  new_records: number;
  duplicates: number;
  errors: string;
}

export interface PullParams {
  regions: string[];
  start: string;
  end: string;
  identities: string[];
  profile: string | null;
  endpoint: string | null;
}

/** What an Azure or GCP pull was asked for: running the same command again resumes it. */
export interface CloudPullParams {
  cloud: 'azure' | 'gcp';
  /** The subscription id (Azure) or project id (GCP). */
  scope: string;
  start: string;
  end: string;
  resourceGroup: string | null;
  caller: string | null;
  endpoint: string | null;
  identities: string[];
}

export interface Cursor {
  region: string;
  attrKey: string;
  attrValue: string;
  nextToken: string | null;
  pages: number;
  events: number;
  done: boolean;
}

/** Collections (each pull or import), their evidence, LookupEvents cursors, and the incident's agent identities. */
export class CollectionsRepository {
  constructor(private readonly db: Db) {}

  create(incidentId: string, kind: CollectionKind, purpose: CollectionPurpose, params: unknown, at: string, owner: string): string {
    const num = ((this.db.prepare('SELECT max(num) AS n FROM cloudtrail_collections').get() as { n: number | null }).n ?? 0) + 1;
    const id = `CTC-${String(num).padStart(6, '0')}`;
    this.db
      .prepare(`INSERT INTO cloudtrail_collections (num, id, incident_id, kind, purpose, status, params, owner, started_at) VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?)`)
      .run(num, id, incidentId, kind, purpose, JSON.stringify(params), owner, at);
    return id;
  }

  /** The newest CloudTrail pull of this incident and purpose that did not finish (a process that died leaves it 'running'). */
  unfinishedPull(incidentId: string, purpose: CollectionPurpose): { id: string; params: PullParams; owner: string | null } | undefined {
    const r = this.db
      .prepare(
        `SELECT id, params, owner FROM cloudtrail_collections WHERE incident_id = ? AND kind = 'pull' AND purpose = ? AND status IN ('running', 'interrupted') AND json_extract(params, '$.cloud') IS NULL ORDER BY num DESC LIMIT 1`,
      )
      .get(incidentId, purpose) as { id: string; params: string; owner: string | null } | undefined;
    return r && { id: r.id, params: JSON.parse(r.params) as PullParams, owner: r.owner };
  }

  /** The newest Azure or GCP pull (`logs pull`) of this incident and cloud that did not read every page (stopped or failed). */
  unfinishedCloudPull(incidentId: string, cloud: CloudPullParams['cloud']): { id: string; params: CloudPullParams; owner: string | null } | undefined {
    const r = this.db
      .prepare(
        `SELECT c.id, c.params, c.owner FROM cloudtrail_collections c
          WHERE c.incident_id = ? AND c.kind = 'pull' AND json_extract(c.params, '$.cloud') = ?
            AND (c.status IN ('running', 'interrupted') OR (c.status = 'failed' AND EXISTS (SELECT 1 FROM cloudtrail_cursors k WHERE k.collection_id = c.id AND k.done = 0)))
          ORDER BY c.num DESC LIMIT 1`,
      )
      .get(incidentId, cloud) as { id: string; params: string; owner: string | null } | undefined;
    return r && { id: r.id, params: JSON.parse(r.params) as CloudPullParams, owner: r.owner };
  }

  /** Every collection still marked running, with the process (`host:pid`) that runs it. */
  running(): Array<{ id: string; incidentId: string; owner: string | null }> {
    return this.db
      .prepare(`SELECT id, incident_id AS incidentId, owner FROM cloudtrail_collections WHERE status = 'running' ORDER BY num`)
      .all() as Array<{ id: string; incidentId: string; owner: string | null }>;
  }

  setOwner(id: string, owner: string): void {
    this.db.prepare(`UPDATE cloudtrail_collections SET owner = ?, status = 'running' WHERE id = ?`).run(owner, id);
  }

  count(id: string, delta: { pages?: number; records?: number; newRecords?: number; duplicates?: number }): void {
    this.db
      .prepare('UPDATE cloudtrail_collections SET pages = pages + ?, records = records + ?, new_records = new_records + ?, duplicates = duplicates + ? WHERE id = ?')
      .run(delta.pages ?? 0, delta.records ?? 0, delta.newRecords ?? 0, delta.duplicates ?? 0, id);
  }

  addError(id: string, message: string): void {
    inTransaction(this.db, () => {
      const r = this.db.prepare('SELECT errors FROM cloudtrail_collections WHERE id = ?').get(id) as { errors: string };
      this.db.prepare('UPDATE cloudtrail_collections SET errors = ? WHERE id = ?').run(JSON.stringify([...(JSON.parse(r.errors) as string[]), message]), id);
    });
  }

  finish(id: string, status: CollectionStatus, at: string | null): void {
    this.db.prepare('UPDATE cloudtrail_collections SET status = ?, finished_at = ?, owner = NULL WHERE id = ?').run(status, at, id);
  }

  linkEvidence(id: string, evidenceId: string, role: 'export' | 'page' | 'public-keys', label: string): void {
    this.db.prepare('INSERT OR IGNORE INTO cloudtrail_collection_evidence (collection_id, evidence_id, role, label) VALUES (?, ?, ?, ?)').run(id, evidenceId, role, label);
  }

  evidenceOf(id: string, role?: string): string[] {
    const rows = (
      role
        ? this.db.prepare('SELECT DISTINCT evidence_id FROM cloudtrail_collection_evidence WHERE collection_id = ? AND role = ? ORDER BY evidence_id').all(id, role)
        : this.db.prepare('SELECT DISTINCT evidence_id FROM cloudtrail_collection_evidence WHERE collection_id = ? ORDER BY evidence_id').all(id)
    ) as Array<{ evidence_id: string }>;
    return rows.map((r) => r.evidence_id);
  }

  get(id: string): CollectionSummary {
    const r = this.db.prepare('SELECT * FROM cloudtrail_collections WHERE id = ?').get(id) as CollectionRow;
    return this.summary(r);
  }

  list(incidentId: string): CollectionSummary[] {
    return (this.db.prepare('SELECT * FROM cloudtrail_collections WHERE incident_id = ? ORDER BY num').all(incidentId) as CollectionRow[]).map((r) => this.summary(r));
  }

  private summary(r: CollectionRow): CollectionSummary {
    const p = JSON.parse(r.params) as Partial<PullParams> & Partial<CloudPullParams>;
    return {
      id: r.id,
      kind: r.kind,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      status: r.status,
      regions: p.regions ?? [],
      windowStart: p.start ?? null,
      windowEnd: p.end ?? null,
      pages: r.pages,
      records: r.records,
      newRecords: r.new_records,
      duplicates: r.duplicates,
      evidenceIds: this.evidenceOf(r.id),
      errors: JSON.parse(r.errors) as string[],
      ...(p.cloud && p.scope ? { source: { cloud: p.cloud, scope: p.scope } } : {}),
    };
  }

  cursors(id: string): Cursor[] {
    return (
      this.db.prepare('SELECT * FROM cloudtrail_cursors WHERE collection_id = ? ORDER BY region, attr_key, attr_value').all(id) as Array<{
        region: string;
        attr_key: string;
        attr_value: string;
        next_token: string | null;
        pages: number;
        events: number;
        done: number;
      }>
    ).map((c) => ({ region: c.region, attrKey: c.attr_key, attrValue: c.attr_value, nextToken: c.next_token, pages: c.pages, events: c.events, done: c.done === 1 }));
  }

  /** Adds the lookups not planned yet, all or none. */
  ensureCursors(id: string, lookups: ReadonlyArray<readonly [region: string, attrKey: string, attrValue: string]>): void {
    const ins = this.db.prepare('INSERT OR IGNORE INTO cloudtrail_cursors (collection_id, region, attr_key, attr_value) VALUES (?, ?, ?, ?)');
    inTransaction(this.db, () => {
      for (const [region, attrKey, attrValue] of lookups) ins.run(id, region, attrKey, attrValue);
    });
  }

  advance(id: string, c: Pick<Cursor, 'region' | 'attrKey' | 'attrValue'>, nextToken: string | null, events: number): void {
    this.db
      .prepare('UPDATE cloudtrail_cursors SET next_token = ?, pages = pages + 1, events = events + ?, done = ? WHERE collection_id = ? AND region = ? AND attr_key = ? AND attr_value = ?')
      .run(nextToken, events, nextToken ? 0 : 1, id, c.region, c.attrKey, c.attrValue);
  }

  /** Starts a walk over (an expired NextToken): the events already kept are deduplicated. */
  restart(id: string, c: Pick<Cursor, 'region' | 'attrKey' | 'attrValue'>): void {
    this.db.prepare('UPDATE cloudtrail_cursors SET next_token = NULL WHERE collection_id = ? AND region = ? AND attr_key = ? AND attr_value = ?').run(id, c.region, c.attrKey, c.attrValue);
  }

  identities(incidentId: string): string[] {
    return (this.db.prepare('SELECT identity FROM cloudtrail_agent_identities WHERE incident_id = ? ORDER BY added_at, identity').all(incidentId) as Array<{ identity: string }>).map((r) => r.identity);
  }

  setIdentities(incidentId: string, identities: readonly string[], at: string): { added: string[]; removed: string[] } {
    const before = new Set(this.identities(incidentId));
    const after = new Set(identities);
    const added = [...after].filter((i) => !before.has(i));
    const removed = [...before].filter((i) => !after.has(i));
    const del = this.db.prepare('DELETE FROM cloudtrail_agent_identities WHERE incident_id = ? AND identity = ?');
    const ins = this.db.prepare('INSERT INTO cloudtrail_agent_identities (incident_id, identity, added_at) VALUES (?, ?, ?)');
    for (const r of removed) del.run(incidentId, r);
    for (const a of added) ins.run(incidentId, a, at);
    return { added, removed };
  }
}
