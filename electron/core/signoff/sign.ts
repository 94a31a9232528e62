import type { SignOffStatus } from '../../shared/signoff';
import { incidentRun } from '../case/incident-run';
import { pickSignOffStep, signOffStatus } from '../case/signoff-status';
import type { CoreContext } from '../context';
import { FirebreakError } from '../errors';
import { resolveItem } from '../evidence/items';
import type { Actor } from '../ledger/ledger';
import { SignOffRepository } from './repository';

export function linkAttestationEvidence(
  ctx: CoreContext,
  actor: Actor,
  input: { id: string; stepId?: string | undefined; attestationId: string; itemId: string; unlink: boolean },
): SignOffStatus[] {
  ctx.change(
    actor,
    (link) =>
      link && {
        scope: input.id,
        action: input.unlink ? 'signoff.evidence-unlinked' : 'signoff.evidence-linked',
        subject: `${link.step.id}/${link.attestation.id}`,
        payload: { attestation: link.attestation.text, item: link.item.id, name: link.item.name, sha256: link.item.sha256 },
      },
    () => {
      const run = incidentRun(ctx, input.id);
      const { step } = pickSignOffStep(run, input.stepId);
      const attestation = step.attestations.find((a) => a.id === input.attestationId);
      if (!attestation) {
        throw new FirebreakError('bad-input', `"${input.attestationId}" is not an attestation of "${step.title}".`, [
          `Attestations: ${step.attestations.map((a) => a.id).join(', ')}`,
        ]);
      }
      const item = resolveItem(ctx, input.id, input.itemId);
      const repo = new SignOffRepository(ctx.db);
      const changed = input.unlink
        ? repo.unlink(input.id, step.id, attestation.id, item.id)
        : repo.link(input.id, step.id, attestation.id, item.id, ctx.now().toISOString());
      return changed ? { step, attestation, item } : null;
    },
  );
  return signOffStatus(ctx, incidentRun(ctx, input.id));
}
