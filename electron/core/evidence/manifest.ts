import { createHash } from 'node:crypto';
import type { EvidenceItem, EvidenceManifest, ManifestFormat } from '../../shared/evidence';
import type { CoreContext } from '../context';
import { notFound } from '../errors';
import { IncidentRepository } from '../incidents/repository';
import type { Actor } from '../ledger/ledger';
import { inTransaction } from '../store/transactions';
import { CUSTODY_ACTIONS, recordBatchCustody } from './custody';
import { evidenceRepository, toItem } from './repository';
import { objectPath } from './store';

/** What a SHA256SUMS line names: the original file names (check a folder of the originals) or the stored copies. */
export type ManifestPaths = 'names' | 'store';

export interface ManifestOptions {
  paths?: ManifestPaths;
}

const MEDIA: Record<ManifestFormat, string> = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  sha256sums: 'text/plain; charset=utf-8',
};

const fileNameOf = (incidentId: string, format: ManifestFormat) =>
  format === 'sha256sums' ? `${incidentId}-SHA256SUMS` : `${incidentId}-evidence-manifest.${format}`;

const nameBytes = (i: EvidenceItem): Buffer => (i.nameBytes ? Buffer.from(i.nameBytes, 'base64') : Buffer.from(i.name, 'utf8'));

/**
 * One line as GNU sha256sum writes it: `<hash>  <name>`; a name holding a backslash, newline or carriage return is
 * escaped and the line starts with a backslash, which `sha256sum -c` undoes.
 */
export function sha256sumLine(sha256: string, name: Buffer): Buffer {
  const needs = name.includes(0x5c) || name.includes(0x0a) || name.includes(0x0d);
  if (!needs) return Buffer.concat([Buffer.from(`${sha256}  `, 'latin1'), name, Buffer.from('\n')]);
  const escaped: number[] = [];
  for (const b of name) {
    if (b === 0x5c) escaped.push(0x5c, 0x5c);
    else if (b === 0x0a) escaped.push(0x5c, 0x6e);
    else if (b === 0x0d) escaped.push(0x5c, 0x72);
    else escaped.push(b);
  }
  return Buffer.concat([Buffer.from(`\\${sha256}  `, 'latin1'), Buffer.from(escaped), Buffer.from('\n')]);
}

/** RFC 4180 cell; a cell a spreadsheet would run as a formula gets a leading apostrophe (the JSON keeps the exact text). */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const CSV_COLUMNS = [
  'id', 'name', 'sha256', 'sha1', 'md5', 'size', 'source_kind', 'acquired_at', 'acquired_by', 'acquired_by_role',
  'initiator', 'original_path', 'modified_at', 'description', 'linked_steps', 'status', 'last_verified_at', 'acquisitions',
  'secret_findings',
] as const;

function csvRow(i: EvidenceItem): string {
  const findings = i.findings.map((f) => `${f.kind} ${f.redacted}`).join('; ');
  return [
    i.id, i.name, i.sha256, i.sha1 ?? '', i.md5 ?? '', i.size, i.sourceKind, i.acquiredAt, i.acquiredBy.name,
    i.acquiredBy.role, i.acquiredBy.initiator, i.originalPath ?? '', i.modifiedAt ?? '', i.description ?? '',
    i.linkedSteps.join(' '), i.status, i.lastVerifiedAt ?? '', i.acquisitions, findings,
  ]
    .map(csvCell)
    .join(',');
}

/** The manifest's bytes. Items in acquisition order. */
export function renderManifest(
  ctx: CoreContext,
  actor: Actor,
  incidentId: string,
  format: ManifestFormat,
  o: ManifestOptions = {},
): Buffer {
  const repo = evidenceRepository(ctx.db);
  const incident = new IncidentRepository(ctx.db).get(incidentId);
  if (!incident) throw notFound(`There is no incident ${incidentId}.`);
  const links = repo.linksOfIncident(incidentId);
  const items = repo.itemRows(incidentId).map((r) => toItem(r, links.get(r.id) ?? []));
  if (format === 'sha256sums') {
    const name = (i: EvidenceItem) => (o.paths === 'store' ? Buffer.from(objectPath(ctx.dataDir, i.sha256), 'utf8') : nameBytes(i));
    return Buffer.concat(items.map((i) => sha256sumLine(i.sha256, name(i))));
  }
  if (format === 'csv') {
    return Buffer.from([CSV_COLUMNS.join(','), ...items.map(csvRow)].map((l) => `${l}\r\n`).join(''), 'utf8');
  }
  const head = ctx.ledger.verify(incidentId);
  const doc = {
    manifest: 'firebreak-evidence',
    version: 1,
    incident: { id: incident.id, title: incident.title },
    generatedAt: ctx.now().toISOString(),
    generatedBy: { name: actor.name, role: actor.role, initiator: actor.initiator },
    // The chain as it stood when the manifest was made; the export entry that records this manifest follows it.
    ledger: { entries: head.entries, headHash: head.headHash, intact: head.ok },
    items: items.map((i) => ({ ...i, storedAs: `evidence/objects/${i.sha256}` })),
  };
  return Buffer.from(`${JSON.stringify(doc, null, 2)}\n`, 'utf8');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Renders a manifest and records its export (with the manifest's own SHA-256) in each listed item's custody. */
export function exportManifest(
  ctx: CoreContext,
  actor: Actor,
  incidentId: string,
  format: ManifestFormat,
  o: ManifestOptions = {},
): EvidenceManifest {
  const fileName = fileNameOf(incidentId, format);
  // Rendered inside the transaction that records it, so the export event lists exactly the items in the manifest.
  const { bytes, sha256, ids } = inTransaction(ctx.db, () => {
    const rendered = renderManifest(ctx, actor, incidentId, format, o);
    const digest = createHash('sha256').update(rendered).digest('hex');
    const listed = evidenceRepository(ctx.db).itemRows(incidentId).map((r) => r.id);
    recordBatchCustody(ctx, actor, incidentId, listed, 'export', CUSTODY_ACTIONS.exported, {
      format,
      fileName,
      manifestSha256: digest,
      ...(format === 'sha256sums' ? { paths: o.paths ?? 'names' } : {}),
      items: listed,
    });
    return { bytes: rendered, sha256: digest, ids: listed };
  });
  let content: string;
  let encoding: EvidenceManifest['encoding'] = 'utf8';
  try {
    content = utf8.decode(bytes);
  } catch {
    content = bytes.toString('base64');
    encoding = 'base64';
  }
  return { format, fileName, mediaType: MEDIA[format], encoding, content, sha256, items: ids.length };
}
