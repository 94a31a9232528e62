import type { Statement } from 'better-sqlite3';
import type { Initiator } from '../../shared/domain';
import type {
  CustodyKind,
  EvidenceItem,
  EvidenceSourceKind,
  EvidenceStatus,
  SecretFinding,
} from '../../shared/evidence';
import type { Db } from '../store/database';

export interface BlobRow {
  sha256: string;
  size: number;
  sha1: string | null;
  md5: string | null;
  findings: string;
}

export interface ItemRow {
  num: number;
  id: string;
  incident_id: string;
  sha256: string;
  name: string;
  name_bytes: Buffer | null;
  original_path: string | null;
  original_path_bytes: Buffer | null;
  modified_at: string | null;
  source_kind: EvidenceSourceKind;
  description: string | null;
  acquired_at: string;
  acquired_by: string;
  acquired_by_role: string;
  initiator: Initiator;
  status: EvidenceStatus;
  verified_at: string | null;
  acquisitions: number;
  size: number;
  sha1: string | null;
  md5: string | null;
  findings: string;
}

export interface NewItem {
  id: string;
  num: number;
  incidentId: string;
  sha256: string;
  name: string;
  nameBytes: Buffer | null;
  originalPath: string | null;
  originalPathBytes: Buffer | null;
  modifiedAt: string | null;
  sourceKind: EvidenceSourceKind;
  description: string | null;
  acquiredAt: string;
  actor: { name: string; role: string; initiator: Initiator };
}

export interface CustodyLink {
  item_id: string;
  kind: CustodyKind;
  scope: string;
  seq: number;
}

const ITEM_SELECT = `SELECT i.*, b.size, b.sha1, b.md5, b.findings FROM evidence_items i JOIN evidence_blobs b ON b.sha256 = i.sha256`;

export const itemId = (num: number): string => `EV-${String(num).padStart(6, '0')}`;

/** The evidence tables. Statements are prepared once per connection. */
export class EvidenceRepository {
  private readonly s: Record<string, Statement>;

  constructor(readonly db: Db) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      blob: p('SELECT sha256, size, sha1, md5, findings FROM evidence_blobs WHERE sha256 = ?'),
      insertBlob: p(
        'INSERT INTO evidence_blobs (sha256, size, sha1, md5, findings, stored_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      fillLegacy: p('UPDATE evidence_blobs SET sha1 = coalesce(sha1, ?), md5 = coalesce(md5, ?) WHERE sha256 = ?'),
      nextNum: p('SELECT coalesce(max(num), 0) + 1 AS n FROM evidence_items'),
      insertItem: p(
        `INSERT INTO evidence_items (num, id, incident_id, sha256, name, name_bytes, original_path, original_path_bytes,
           modified_at, source_kind, description, acquired_at, acquired_by, acquired_by_role, initiator, status)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'intact')`,
      ),
      byHash: p(`${ITEM_SELECT} WHERE i.incident_id = ? AND i.sha256 = ?`),
      byId: p(`${ITEM_SELECT} WHERE i.id = ?`),
      byIncident: p(`${ITEM_SELECT} WHERE i.incident_id = ? ORDER BY i.num`),
      bySha256Prefix: p(`${ITEM_SELECT} WHERE i.incident_id = ? AND i.sha256 >= ? AND i.sha256 < ? ORDER BY i.num`),
      bumpAcquisitions: p('UPDATE evidence_items SET acquisitions = acquisitions + 1 WHERE id = ?'),
      setStatus: p('UPDATE evidence_items SET status = ?, verified_at = coalesce(?, verified_at) WHERE id = ?'),
      link: p('INSERT OR IGNORE INTO evidence_step_links (item_id, step_id) VALUES (?, ?)'),
      unlink: p('DELETE FROM evidence_step_links WHERE item_id = ? AND step_id = ?'),
      linksOf: p('SELECT step_id FROM evidence_step_links WHERE item_id = ? ORDER BY step_id'),
      linksOfIncident: p(
        `SELECT l.item_id, l.step_id FROM evidence_step_links l JOIN evidence_items i ON i.id = l.item_id
         WHERE i.incident_id = ? ORDER BY l.step_id`,
      ),
      custody: p('INSERT INTO evidence_custody (item_id, scope, seq, kind) VALUES (?, ?, ?, ?)'),
      allBlobHashes: p('SELECT sha256 FROM evidence_blobs'),
      itemsOfBlob: p('SELECT id, incident_id, status FROM evidence_items WHERE sha256 = ?'),
      attached: p(
        `SELECT l.step_id AS target, i.id, i.name, i.sha256 FROM evidence_step_links l
         JOIN evidence_items i ON i.id = l.item_id WHERE i.incident_id = ? ORDER BY i.acquired_at, i.id`,
      ),
      custodyOfItem: p('SELECT item_id, kind, scope, seq FROM evidence_custody WHERE item_id = ? ORDER BY seq'),
      custodyOfScope: p('SELECT item_id, kind, scope, seq FROM evidence_custody WHERE scope = ? ORDER BY seq, item_id'),
    };
  }

  private st(name: string): Statement {
    return this.s[name] as Statement;
  }

  blob(sha256: string): BlobRow | undefined {
    return this.st('blob').get(sha256) as BlobRow | undefined;
  }

  insertBlob(b: { sha256: string; size: number; sha1?: string; md5?: string; findings: SecretFinding[] }, at: string): void {
    this.st('insertBlob').run(b.sha256, b.size, b.sha1 ?? null, b.md5 ?? null, JSON.stringify(b.findings), at);
  }

  fillLegacyHashes(sha256: string, sha1: string, md5: string): void {
    this.st('fillLegacy').run(sha1, md5, sha256);
  }

  nextNum(): number {
    return (this.st('nextNum').get() as { n: number }).n;
  }

  insertItem(n: NewItem): void {
    this.st('insertItem').run(
      n.num,
      n.id,
      n.incidentId,
      n.sha256,
      n.name,
      n.nameBytes,
      n.originalPath,
      n.originalPathBytes,
      n.modifiedAt,
      n.sourceKind,
      n.description,
      n.acquiredAt,
      n.actor.name,
      n.actor.role,
      n.actor.initiator,
    );
  }

  itemByHash(incidentId: string, sha256: string): ItemRow | undefined {
    return this.st('byHash').get(incidentId, sha256) as ItemRow | undefined;
  }

  itemRow(id: string): ItemRow | undefined {
    return this.st('byId').get(id) as ItemRow | undefined;
  }

  itemRows(incidentId: string): ItemRow[] {
    return this.st('byIncident').all(incidentId) as ItemRow[];
  }

  /** Items of an incident whose SHA-256 starts with `prefix` (lower-case hex). */
  itemsByHashPrefix(incidentId: string, prefix: string): ItemRow[] {
    return this.st('bySha256Prefix').all(incidentId, prefix, `${prefix}g`) as ItemRow[];
  }

  bumpAcquisitions(id: string): void {
    this.st('bumpAcquisitions').run(id);
  }

  setStatus(id: string, status: EvidenceStatus, verifiedAt: string | null): void {
    this.st('setStatus').run(status, verifiedAt, id);
  }

  /** True when the link is new. */
  link(itemId: string, stepId: string): boolean {
    return this.st('link').run(itemId, stepId).changes > 0;
  }

  unlink(itemId: string, stepId: string): boolean {
    return this.st('unlink').run(itemId, stepId).changes > 0;
  }

  linksOf(itemId: string): string[] {
    return (this.st('linksOf').all(itemId) as Array<{ step_id: string }>).map((r) => r.step_id);
  }

  linksOfIncident(incidentId: string): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const r of this.st('linksOfIncident').all(incidentId) as Array<{ item_id: string; step_id: string }>) {
      const list = out.get(r.item_id) ?? [];
      list.push(r.step_id);
      out.set(r.item_id, list);
    }
    return out;
  }

  addCustody(itemId: string, scope: string, seq: number, kind: string): void {
    this.st('custody').run(itemId, scope, seq, kind);
  }

  blobHashes(): Set<string> {
    return new Set((this.st('allBlobHashes').all() as Array<{ sha256: string }>).map((r) => r.sha256));
  }

  itemsOfBlob(sha256: string): Array<{ id: string; incident_id: string; status: EvidenceStatus }> {
    return this.st('itemsOfBlob').all(sha256) as Array<{ id: string; incident_id: string; status: EvidenceStatus }>;
  }

  /** Evidence linked to each step id or evidence artifact id of the incident, in acquisition order. */
  attachedToSteps(incidentId: string): Map<string, Array<{ id: string; name: string; sha256: string }>> {
    const out = new Map<string, Array<{ id: string; name: string; sha256: string }>>();
    for (const r of this.st('attached').all(incidentId) as Array<{ target: string; id: string; name: string; sha256: string }>) {
      out.set(r.target, [...(out.get(r.target) ?? []), { id: r.id, name: r.name, sha256: r.sha256 }]);
    }
    return out;
  }

  /** Which ledger entries are custody events of an item (or of every item of an incident's chain). */
  custodyLinks(of: { itemId: string } | { scope: string }): CustodyLink[] {
    return ('itemId' in of ? this.st('custodyOfItem').all(of.itemId) : this.st('custodyOfScope').all(of.scope)) as CustodyLink[];
  }
}

const repos = new WeakMap<Db, EvidenceRepository>();

export function evidenceRepository(db: Db): EvidenceRepository {
  let r = repos.get(db);
  if (!r) {
    r = new EvidenceRepository(db);
    repos.set(db, r);
  }
  return r;
}

export function toItem(r: ItemRow, linkedSteps: string[]): EvidenceItem {
  const item: EvidenceItem = {
    id: r.id,
    incidentId: r.incident_id,
    name: r.name,
    sha256: r.sha256,
    size: r.size,
    sourceKind: r.source_kind,
    acquiredAt: r.acquired_at,
    acquiredBy: { name: r.acquired_by, role: r.acquired_by_role, initiator: r.initiator },
    description: r.description,
    originalPath: r.original_path,
    modifiedAt: r.modified_at,
    linkedSteps,
    findings: JSON.parse(r.findings) as SecretFinding[],
    status: r.status,
    lastVerifiedAt: r.verified_at,
    acquisitions: r.acquisitions,
  };
  if (r.name_bytes) item.nameBytes = Buffer.from(r.name_bytes).toString('base64');
  if (r.original_path_bytes) item.originalPathBytes = Buffer.from(r.original_path_bytes).toString('base64');
  if (r.sha1) item.sha1 = r.sha1;
  if (r.md5) item.md5 = r.md5;
  return item;
}
