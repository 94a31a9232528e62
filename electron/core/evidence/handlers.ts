import { Readable } from 'node:stream';
import type { ApiHandlers, StreamBody } from '../../shared/contract/index';
import type { CoreContext } from '../context';
import { SYSTEM_SCOPE } from '../ledger/ledger';
import { intakeFiles, intakeStream, legacyHashesEnabled, setLegacyHashes } from './intake';
import { addNote, getItem, linkStep, listItems } from './items';
import { exportManifest } from './manifest';
import { verifyEvidence } from './verify';

type EvidenceMethod = Extract<keyof ApiHandlers, `evidence.${string}`>;

/** A path given as bytes (a name that is not UTF-8) is opened as a Buffer, as Node's fs requires. */
const asPath = (p: string | Uint8Array): string | Buffer => (typeof p === 'string' ? p : Buffer.from(p.buffer, p.byteOffset, p.byteLength));

/** A Node stream as the intake reads it; an adapter's own stream is taken as it is, so the adapter keeps control of it. */
const sourceOf = (body: StreamBody): NodeJS.ReadableStream =>
  body.stream instanceof Readable ? body.stream : Readable.from(body.stream);

export function evidenceHandlers(ctx: CoreContext): Pick<ApiHandlers, EvidenceMethod> {
  return {
    'evidence.list': ({ incidentId, withCustody }) => listItems(ctx, incidentId, withCustody),
    'evidence.get': ({ incidentId, itemId }) => getItem(ctx, incidentId, itemId),
    'evidence.custody': ({ incidentId, itemId }) => getItem(ctx, incidentId, itemId).custody ?? [],
    'evidence.addFromPaths': ({ incidentId, paths, sourceKind, description, linkedSteps, legacyHashes }, { signal, progress }) => {
      let bytes: { bytesDone: number; bytesTotal: number | null } = { bytesDone: 0, bytesTotal: null };
      return intakeFiles(ctx, ctx.human(), paths.map(asPath), {
        incidentId,
        sourceKind,
        ...(description !== undefined ? { description } : {}),
        ...(linkedSteps ? { linkedSteps } : {}),
        ...(legacyHashes !== undefined ? { legacyHashes } : {}),
        signal,
        onProgress: (bytesDone, bytesTotal) => {
          bytes = { bytesDone, bytesTotal };
          progress(bytes);
        },
        onItem: (item, index) => progress({ ...bytes, committed: { index, id: item.id, sha256: item.sha256 } }),
      });
    },
    'evidence.upload': ({ incidentId, name, description, sourceKind, linkedSteps }, { signal, progress, body }) => {
      const actor = ctx.human();
      const stream = body as StreamBody;
      // Browsers send a bare file name; anything before a separator is not part of it.
      const bare = name.split(/[\\/]/).filter(Boolean).at(-1) ?? name;
      return intakeStream(ctx, actor, sourceOf(stream), {
        incidentId,
        name: bare,
        sourceKind,
        linkedSteps,
        ...(description ? { description } : {}),
        ...(stream.length !== undefined ? { size: stream.length, expectedSize: stream.length } : {}),
        signal,
        onProgress: (bytesDone, bytesTotal) => progress({ bytesDone, bytesTotal }),
      });
    },
    'evidence.verify': ({ incidentId }, { signal, progress }) =>
      verifyEvidence(ctx, ctx.human(), incidentId, { signal, onProgress: (bytesDone, bytesTotal) => progress({ bytesDone, bytesTotal }) }),
    'evidence.manifest': ({ incidentId, format, paths }) => exportManifest(ctx, ctx.human(), incidentId, format, { paths }),
    'evidence.addNote': ({ incidentId, itemId, text }) => addNote(ctx, ctx.human(), incidentId, itemId, text),
    'evidence.linkStep': ({ incidentId, itemId, stepId, unlink }) => linkStep(ctx, ctx.human(), incidentId, itemId, stepId, unlink),
    'evidence.settings': () => ({ legacyHashes: legacyHashesEnabled(ctx) }),
    'evidence.setSettings': ({ legacyHashes }) => {
      const actor = ctx.human();
      ctx.change(
        actor,
        (before) =>
          before === legacyHashes
            ? null
            : { scope: SYSTEM_SCOPE, action: 'evidence.settings-changed', subject: 'legacyHashes', payload: { legacyHashes, previous: before } },
        () => {
          const before = legacyHashesEnabled(ctx);
          // The same value again changes nothing, so it writes nothing and records nothing.
          if (before !== legacyHashes) setLegacyHashes(ctx, legacyHashes);
          return before;
        },
      );
      return { legacyHashes };
    },
  };
}
