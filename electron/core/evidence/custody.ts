import type { Initiator, LedgerEntry } from '../../shared/domain';
import type { CustodyEvent, CustodyKind } from '../../shared/evidence';
import type { CoreContext } from '../context';
import type { Actor } from '../ledger/ledger';
import { evidenceRepository } from './repository';

/**
 * Custody events are ledger entries of the incident's chain; evidence_custody only says which items each one concerns.
 * Work on many items at once (a verification run, a manifest export) is one entry listing them all.
 */
export const CUSTODY_ACTIONS = {
  acquired: 'evidence.acquired',
  reacquired: 'evidence.reacquired',
  verified: 'evidence.verified',
  missing: 'evidence.missing',
  linked: 'evidence.linked',
  unlinked: 'evidence.unlinked',
  exported: 'evidence.exported',
  noted: 'evidence.noted',
} as const;

/**
 * Records a custody event of one item: its ledger entry, the custody row that cites it, and `apply` (the change the
 * event records, given the entry), in one transaction.
 */
export function recordCustody(
  ctx: CoreContext,
  actor: Actor,
  item: { id: string; incidentId: string },
  kind: CustodyKind,
  action: string,
  payload: Record<string, unknown>,
  apply?: (entry: LedgerEntry) => void,
): LedgerEntry {
  return ctx.change(actor, { scope: item.incidentId, action, subject: item.id, payload }, (entry) => {
    evidenceRepository(ctx.db).addCustody(item.id, item.incidentId, entry.seq, kind);
    apply?.(entry);
    return entry;
  });
}

/** One ledger entry for many items; each item's own part of the payload is in `perItem[].item`. */
export function recordBatchCustody(
  ctx: CoreContext,
  actor: Actor,
  incidentId: string,
  itemIds: readonly string[],
  kind: CustodyKind,
  action: string,
  payload: Record<string, unknown>,
  apply?: (entry: LedgerEntry) => void,
): LedgerEntry {
  return ctx.change(actor, { scope: incidentId, action, subject: incidentId, payload }, (entry) => {
    const repo = evidenceRepository(ctx.db);
    for (const id of itemIds) repo.addCustody(id, incidentId, entry.seq, kind);
    apply?.(entry);
    return entry;
  });
}

interface JoinedRow {
  item_id: string;
  kind: CustodyKind;
  seq: number;
  at: string;
  actor: string;
  actor_role: string;
  initiator: Initiator;
  action: string;
  payload: string;
  hash: string;
}

const JOINED = `SELECT c.item_id, c.kind, e.seq, e.at, e.actor, e.actor_role, e.initiator, e.action, e.payload, e.hash
  FROM evidence_custody c JOIN ledger_entries e ON e.scope = c.scope AND e.seq = c.seq`;

const short = (s: unknown) => (typeof s === 'string' ? s.slice(0, 12) : '');

function clip(text: unknown, max = 120): string {
  const s = String(text ?? '');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function summarize(action: string, d: Record<string, unknown>): string {
  switch (action) {
    case CUSTODY_ACTIONS.acquired: {
      const secrets = Array.isArray(d.findings) && d.findings.length ? `; ${d.findings.length} secret finding(s) flagged` : '';
      return `acquired "${String(d.name)}" (${String(d.size)} bytes, sha256 ${short(d.sha256)}${secrets})`;
    }
    case CUSTODY_ACTIONS.reacquired:
      return `acquired again as "${String(d.name)}": identical content, not stored twice`;
    case CUSTODY_ACTIONS.verified:
      return `verified: ${String(d.status)}${d.detail ? ` (${String(d.detail)})` : ''}`;
    case CUSTODY_ACTIONS.missing:
      return 'start-up check: the stored copy is missing';
    case CUSTODY_ACTIONS.linked:
      return `linked to step ${String(d.stepId)}`;
    case CUSTODY_ACTIONS.unlinked:
      return `unlinked from step ${String(d.stepId)}`;
    case CUSTODY_ACTIONS.exported:
      return `listed in a ${String(d.format)} manifest (sha256 ${short(d.manifestSha256)})`;
    case CUSTODY_ACTIONS.noted:
      return `note: ${clip(d.text)}`;
    default:
      return action;
  }
}

interface ParsedEntry {
  shared: Record<string, unknown>;
  /** A batch entry's per-item results, by item id. */
  own: Map<string, Record<string, unknown>> | null;
}

/** A batch entry keeps its per-item results in `results` (one per item) or just lists the items in `items`. */
function parseEntry(raw: string): ParsedEntry {
  const payload = JSON.parse(raw) as Record<string, unknown>;
  const { results, items, ...shared } = payload;
  if (Array.isArray(results)) {
    const own = new Map<string, Record<string, unknown>>();
    for (const r of results as Array<Record<string, unknown>>) own.set(String(r.item), r);
    return { shared, own };
  }
  if (Array.isArray(items)) return { shared, own: null };
  return { shared: payload, own: null };
}

function toEvents(rows: readonly JoinedRow[]): CustodyEvent[] {
  const parsed = new Map<number, ParsedEntry>();
  return rows.map((r) => {
    let entry = parsed.get(r.seq);
    if (!entry) {
      entry = parseEntry(r.payload);
      parsed.set(r.seq, entry);
    }
    const details = entry.own ? { ...entry.shared, ...(entry.own.get(r.item_id) ?? {}) } : entry.shared;
    return {
      itemId: r.item_id,
      kind: r.kind,
      action: r.action,
      seq: r.seq,
      hash: r.hash,
      at: r.at,
      actor: { name: r.actor, role: r.actor_role, initiator: r.initiator },
      summary: summarize(r.action, details),
      details,
    };
  });
}

export function custodyOf(ctx: CoreContext, itemId: string): CustodyEvent[] {
  return toEvents(ctx.db.prepare(`${JOINED} WHERE c.item_id = ? ORDER BY c.seq`).all(itemId) as JoinedRow[]);
}

/** Every item's custody for an incident, parsing each shared entry once. */
export function custodyOfIncident(ctx: CoreContext, incidentId: string): Map<string, CustodyEvent[]> {
  const rows = ctx.db
    .prepare(`${JOINED} WHERE c.scope = ? ORDER BY c.seq, c.item_id`)
    .all(incidentId) as JoinedRow[];
  const out = new Map<string, CustodyEvent[]>();
  for (const e of toEvents(rows)) {
    const list = out.get(e.itemId) ?? [];
    list.push(e);
    out.set(e.itemId, list);
  }
  return out;
}
