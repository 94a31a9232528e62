import type { LedgerEntry } from '../../shared/domain';
import type { CustodyEvent, CustodyKind } from '../../shared/evidence';
import type { CoreContext } from '../context';
import type { Actor } from '../ledger/ledger';
import { type CustodyLink, evidenceRepository } from './repository';

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
function parseEntry(payload: Record<string, unknown>): ParsedEntry {
  const { results, items, ...shared } = payload;
  if (Array.isArray(results)) {
    const own = new Map<string, Record<string, unknown>>();
    for (const r of results as Array<Record<string, unknown>>) own.set(String(r.item), r);
    return { shared, own };
  }
  if (Array.isArray(items)) return { shared, own: null };
  return { shared: payload, own: null };
}

/** The custody events the links cite, read from the ledger: each shared entry is read and parsed once. */
function toEvents(ctx: CoreContext, links: readonly CustodyLink[]): CustodyEvent[] {
  const entries = new Map<string, LedgerEntry>();
  for (const scope of new Set(links.map((l) => l.scope))) {
    const seqs = [...new Set(links.filter((l) => l.scope === scope).map((l) => l.seq))];
    for (const e of ctx.ledger.entriesAt(scope, seqs)) entries.set(`${scope} ${e.seq}`, e);
  }
  const parsed = new Map<LedgerEntry, ParsedEntry>();
  return links.flatMap((l) => {
    const e = entries.get(`${l.scope} ${l.seq}`);
    if (!e) return [];
    let entry = parsed.get(e);
    if (!entry) {
      entry = parseEntry(e.payload as Record<string, unknown>);
      parsed.set(e, entry);
    }
    const details = entry.own ? { ...entry.shared, ...(entry.own.get(l.item_id) ?? {}) } : entry.shared;
    return [
      {
        itemId: l.item_id,
        kind: l.kind,
        action: e.action,
        seq: e.seq,
        hash: e.hash,
        at: e.at,
        actor: { name: e.actor, role: e.actorRole, initiator: e.initiator },
        summary: summarize(e.action, details),
        details,
      },
    ];
  });
}

export function custodyOf(ctx: CoreContext, itemId: string): CustodyEvent[] {
  return toEvents(ctx, evidenceRepository(ctx.db).custodyLinks({ itemId }));
}

/** Every item's custody for an incident, parsing each shared entry once. */
export function custodyOfIncident(ctx: CoreContext, incidentId: string): Map<string, CustodyEvent[]> {
  const out = new Map<string, CustodyEvent[]>();
  for (const e of toEvents(ctx, evidenceRepository(ctx.db).custodyLinks({ scope: incidentId }))) {
    const list = out.get(e.itemId) ?? [];
    list.push(e);
    out.set(e.itemId, list);
  }
  return out;
}
