import type { ApiHandlers } from '../../shared/contract/index';
import type { CoreContext } from '../context';
import { SYSTEM_SCOPE } from '../ledger/ledger';
import { intakeFiles, legacyHashesEnabled, setLegacyHashes } from './intake';
import { addNote, getItem, linkStep, listItems } from './items';
import { exportManifest } from './manifest';
import { cancelOperation, listOperations, track } from './operations';
import { type RecoveryReport, recoverStore } from './recovery';
import { verifyEvidence } from './verify';

type EvidenceMethod = Extract<keyof ApiHandlers, `evidence.${string}`>;

const lastRecovery = new WeakMap<CoreContext, RecoveryReport | Error>();

/** What start-up cleanup found (or why it could not run), for diagnostics and tests. */
export const recoveryOf = (ctx: CoreContext): RecoveryReport | Error | undefined => lastRecovery.get(ctx);

export function evidenceHandlers(ctx: CoreContext): Pick<ApiHandlers, EvidenceMethod> {
  // Start-up cleanup after a crash. It must never keep the app from opening: a failure is remembered, not thrown.
  try {
    lastRecovery.set(ctx, recoverStore(ctx));
  } catch (e) {
    lastRecovery.set(ctx, e as Error);
  }
  return {
    'evidence.list': ({ incidentId, withCustody }) => listItems(ctx, incidentId, withCustody),
    'evidence.get': ({ incidentId, itemId }) => getItem(ctx, incidentId, itemId),
    'evidence.custody': ({ incidentId, itemId }) => getItem(ctx, incidentId, itemId).custody ?? [],
    'evidence.addFromPaths': ({ incidentId, paths, sourceKind, description, linkedSteps, legacyHashes, operationId }) => {
      const actor = ctx.human();
      const name = paths.length === 1 ? (paths[0] as string) : `${paths.length} files`;
      return track(ctx, operationId, { incidentId, name }, (t) =>
        intakeFiles(ctx, actor, paths, {
          incidentId,
          sourceKind,
          ...(description !== undefined ? { description } : {}),
          ...(linkedSteps ? { linkedSteps } : {}),
          ...(legacyHashes !== undefined ? { legacyHashes } : {}),
          signal: t.signal,
          onProgress: t.onProgress,
        }),
      );
    },
    'evidence.verify': ({ incidentId, operationId }) => {
      const actor = ctx.human();
      return track(ctx, operationId, { incidentId, name: 'verification' }, (t) => verifyEvidence(ctx, actor, incidentId, t));
    },
    'evidence.manifest': ({ incidentId, format, paths }) => exportManifest(ctx, ctx.human(), incidentId, format, { paths }),
    'evidence.addNote': ({ incidentId, itemId, text }) => addNote(ctx, ctx.human(), incidentId, itemId, text),
    'evidence.linkStep': ({ incidentId, itemId, stepId, unlink }) => linkStep(ctx, ctx.human(), incidentId, itemId, stepId, unlink),
    'evidence.operations': ({ incidentId }) => listOperations(ctx, incidentId),
    'evidence.cancel': ({ operationId }) => ({ cancelled: cancelOperation(ctx, operationId) }),
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
          setLegacyHashes(ctx, legacyHashes);
          return before;
        },
      );
      return { legacyHashes };
    },
  };
}
