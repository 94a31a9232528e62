import type { CustodyEvent, EvidenceItem } from '../../shared/evidence';
import type { CoreContext } from '../context';
import { badInput, notFound } from '../errors';
import { IncidentRepository } from '../incidents/repository';
import type { Actor } from '../ledger/ledger';
import { inTransaction } from '../store/transactions';
import { CUSTODY_ACTIONS, custodyOf, custodyOfIncident, recordCustody } from './custody';
import { checkSteps } from './links';
import { type ItemRow, evidenceRepository, toItem } from './repository';

/**
 * Finds an item of an incident by its id (EV-000012, or just 12) or by a prefix of its SHA-256 (at least 8 hex digits),
 * as a responder would type it.
 */
export function resolveItem(ctx: CoreContext, incidentId: string, ref: string): ItemRow {
  const repo = evidenceRepository(ctx.db);
  if (!new IncidentRepository(ctx.db).exists(incidentId)) throw notFound(`There is no incident ${incidentId}.`);
  const r = ref.trim();
  const asNumber = /^(?:EV-)?(\d{1,12})$/i.exec(r);
  if (asNumber) {
    const row = repo.itemRow(`EV-${String(Number(asNumber[1])).padStart(6, '0')}`);
    if (row && row.incident_id === incidentId) return row;
  }
  if (/^[0-9a-fA-F]{8,64}$/.test(r)) {
    const rows = repo.itemsByHashPrefix(incidentId, r.toLowerCase());
    if (rows.length === 1) return rows[0] as ItemRow;
    if (rows.length > 1) throw badInput(`${r} matches ${rows.length} items of ${incidentId}; give more of the hash or the item id.`);
  }
  throw notFound(`${incidentId} has no evidence item ${r}.`);
}

export function getItem(ctx: CoreContext, incidentId: string, ref: string, withCustody = true): EvidenceItem {
  const row = resolveItem(ctx, incidentId, ref);
  const item = toItem(row, evidenceRepository(ctx.db).linksOf(row.id));
  if (withCustody) item.custody = custodyOf(ctx, row.id);
  return item;
}

export function listItems(ctx: CoreContext, incidentId: string, withCustody = false): EvidenceItem[] {
  const repo = evidenceRepository(ctx.db);
  if (!new IncidentRepository(ctx.db).exists(incidentId)) throw notFound(`There is no incident ${incidentId}.`);
  const links = repo.linksOfIncident(incidentId);
  const custody = withCustody ? custodyOfIncident(ctx, incidentId) : null;
  return repo.itemRows(incidentId).map((r) => {
    const item = toItem(r, links.get(r.id) ?? []);
    if (custody) item.custody = custody.get(r.id) ?? [];
    return item;
  });
}

export function addNote(ctx: CoreContext, actor: Actor, incidentId: string, ref: string, text: string): CustodyEvent {
  const note = text.trim();
  if (!note) throw badInput('A note needs some text.');
  return inTransaction(ctx.db, () => {
    const row = resolveItem(ctx, incidentId, ref);
    const entry = recordCustody(ctx, actor, { id: row.id, incidentId }, 'note', CUSTODY_ACTIONS.noted, { item: row.id, text: note });
    return custodyOf(ctx, row.id).find((e) => e.seq === entry.seq) as CustodyEvent;
  });
}

/** Links an item to a playbook step (or unlinks it); a no-op change records nothing. */
export function linkStep(ctx: CoreContext, actor: Actor, incidentId: string, ref: string, stepId: string, unlink = false): EvidenceItem {
  const repo = evidenceRepository(ctx.db);
  // One transaction: the check that the link would change and the change itself.
  return inTransaction(ctx.db, () => {
    const row = resolveItem(ctx, incidentId, ref);
    const [step] = (unlink ? [stepId.trim()] : checkSteps(new IncidentRepository(ctx.db), incidentId, [stepId])) as [string];
    if (repo.linksOf(row.id).includes(step) === unlink) {
      recordCustody(ctx, actor, { id: row.id, incidentId }, 'link', unlink ? CUSTODY_ACTIONS.unlinked : CUSTODY_ACTIONS.linked, { item: row.id, stepId: step }, () =>
        unlink ? repo.unlink(row.id, step) : repo.link(row.id, step),
      );
    }
    return toItem(row, repo.linksOf(row.id));
  });
}
