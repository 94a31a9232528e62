import { z } from 'zod';
import {
  type CustodyEvent,
  EVIDENCE_SOURCE_KINDS,
  type EvidenceItem,
  type EvidenceManifest,
  type EvidenceOperation,
  type EvidenceSettings,
  type EvidenceVerification,
} from '../evidence';
import { incidentId, method, noInput, text } from './define';

/** An item as a responder types it: EV-000012, 12, or a SHA-256 prefix of 8+ hex digits. */
const itemRef = text('Item', 80);
const stepId = text('Step', 120);
/** Chosen by the caller so it can watch progress (evidence.operations) and cancel (evidence.cancel). */
const operationId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'an operation id is 8-64 letters, digits, - or _').optional();

export const addFromPathsInput = z
  .object({
    incidentId,
    paths: z.array(text('Path', 4096)).min(1, 'give at least one path').max(100_000, 'at most 100,000 paths at once'),
    sourceKind: z.enum(EVIDENCE_SOURCE_KINDS).default('file'),
    description: z.string().trim().max(4000, 'Description is longer than 4000 characters').optional(),
    linkedSteps: z.array(stepId).max(100).optional(),
    legacyHashes: z.boolean().optional(),
    operationId,
  })
  .strict();

export const evidenceContract = {
  /** Items of an incident in acquisition order, with linked steps; with `withCustody`, each item's custody too. */
  'evidence.list': method<EvidenceItem[]>().query(
    z.object({ incidentId, withCustody: z.boolean().default(false) }).strict(),
  ),
  /** One item with its custody. */
  'evidence.get': method<EvidenceItem>().query(z.object({ incidentId, itemId: itemRef }).strict()),
  'evidence.custody': method<CustodyEvent[]>().query(z.object({ incidentId, itemId: itemRef }).strict()),
  /** Electron (paths from webUtils.getPathForFile) and the CLI: files on this machine. */
  'evidence.addFromPaths': method<EvidenceItem[]>().mutation(addFromPathsInput),
  /** Re-hashes every item, records the result; `ok` is false when any item is modified or missing. */
  'evidence.verify': method<EvidenceVerification>().mutation(z.object({ incidentId, operationId }).strict()),
  /** Renders a manifest and records the export in each item's custody. */
  'evidence.manifest': method<EvidenceManifest>().mutation(
    z
      .object({
        incidentId,
        format: z.enum(['json', 'csv', 'sha256sums']),
        paths: z.enum(['names', 'store']).default('names'),
      })
      .strict(),
  ),
  'evidence.addNote': method<CustodyEvent>().mutation(
    z.object({ incidentId, itemId: itemRef, text: text('Note', 10_000) }).strict(),
  ),
  'evidence.linkStep': method<EvidenceItem>().mutation(
    z.object({ incidentId, itemId: itemRef, stepId, unlink: z.boolean().default(false) }).strict(),
  ),
  /** Intakes and verifications running now, with bytes done; poll for progress. */
  'evidence.operations': method<EvidenceOperation[]>().query(z.object({ incidentId: incidentId.optional() }).strict()),
  'evidence.cancel': method<{ cancelled: boolean }>().mutation(
    z.object({ operationId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'not an operation id') }).strict(),
  ),
  'evidence.settings': method<EvidenceSettings>().query(noInput),
  'evidence.setSettings': method<EvidenceSettings>().mutation(z.object({ legacyHashes: z.boolean() }).strict()),
};
