import * as z from 'zod';
import {
  type ByteProgress,
  type CustodyEvent,
  EVIDENCE_SOURCE_KINDS,
  type EvidenceItem,
  type EvidenceManifest,
  type EvidenceSettings,
  type EvidenceVerification,
  type IntakeProgress,
} from '../evidence';
import { incidentId, method, noInput, operationId, text } from './define';

/** An item as a responder types it: EV-000012, 12, or a SHA-256 prefix of 8+ hex digits. */
const itemRef = text('Item', 80);
const stepId = text('Step', 120);
/** A path as text, or as the exact bytes of a file name that is not UTF-8 (the CLI takes them from the raw command line). */
const pathRef = z.union([
  text('Path', 4096),
  z
    .custom<Uint8Array>((v) => v instanceof Uint8Array, { error: 'a path is text' })
    .refine((b) => b.length > 0 && b.length <= 4096, 'a path is 1 to 4096 bytes')
    .refine((b) => !b.includes(0), 'a path has no NUL byte'),
]);

export const addFromPathsInput = z
  .object({
    incidentId,
    paths: z.array(pathRef).min(1, 'give at least one path').max(100_000, 'at most 100,000 paths at once'),
    sourceKind: z.enum(EVIDENCE_SOURCE_KINDS).default('file'),
    description: z.string().trim().max(4000, 'Description is longer than 4000 characters').optional(),
    linkedSteps: z.array(stepId).max(100).optional(),
    legacyHashes: z.boolean().optional(),
    operationId: operationId.optional(),
  })
  .strict();

/** An upload's metadata; its bytes are the call's streamed body. */
export const uploadInput = z
  .object({
    incidentId,
    /** The file name; anything before a / or \\ is dropped (browsers send a bare name). */
    name: z.string().trim().min(1, 'name (the file name) is required').max(1024, 'name is too long'),
    description: z.string().trim().max(4000, 'Description is longer than 4000 characters').optional(),
    sourceKind: z.enum(EVIDENCE_SOURCE_KINDS).default('file'),
    linkedSteps: z.array(stepId).max(100).default([]),
    operationId: operationId.optional(),
  })
  .strict();

export const evidenceContract = {
  /** Items of an incident in acquisition order, with linked steps; with `withCustody`, each item's custody too. */
  'evidence.list': method<EvidenceItem[]>().query(
    () => z.object({ incidentId, withCustody: z.boolean().default(false) }).strict(),
  ),
  /** One item with its custody. */
  'evidence.get': method<EvidenceItem>().query(() => z.object({ incidentId, itemId: itemRef }).strict()),
  'evidence.custody': method<CustodyEvent[]>().query(() => z.object({ incidentId, itemId: itemRef }).strict()),
  /**
   * Electron (paths from webUtils.getPathForFile) and the CLI: files on this machine, hashed while copied. A cancel
   * keeps the items already committed and leaves nothing of the rest.
   */
  'evidence.addFromPaths': method<EvidenceItem[], IntakeProgress>().mutation(() => addFromPathsInput, { long: true }),
  /** Browser mode: one file streamed from the page, hashed as it arrives; a cancelled or short upload leaves nothing. */
  'evidence.upload': method<EvidenceItem, ByteProgress>().mutation(() => uploadInput, { long: true, body: 'stream' }),
  /** Re-hashes every item, records the result; `ok` is false when any item is modified or missing. */
  'evidence.verify': method<EvidenceVerification, ByteProgress>().mutation(
    () => z.object({ incidentId, operationId: operationId.optional() }).strict(),
    { long: true },
  ),
  /** Renders a manifest and records the export in each item's custody. */
  'evidence.manifest': method<EvidenceManifest>().mutation(
    () => z
      .object({
        incidentId,
        format: z.enum(['json', 'csv', 'sha256sums']),
        paths: z.enum(['names', 'store']).default('names'),
      })
      .strict(),
  ),
  'evidence.addNote': method<CustodyEvent>().mutation(
    () => z.object({ incidentId, itemId: itemRef, text: text('Note', 10_000) }).strict(),
  ),
  'evidence.linkStep': method<EvidenceItem>().mutation(
    () => z.object({ incidentId, itemId: itemRef, stepId, unlink: z.boolean().default(false) }).strict(),
  ),
  'evidence.settings': method<EvidenceSettings>().query(() => noInput),
  'evidence.setSettings': method<EvidenceSettings>().mutation(() => z.object({ legacyHashes: z.boolean() }).strict()),
};
