import type { SignOffStatus } from '../../shared/signoff';
import type { CoreContext } from '../context';
import { FirebreakError } from '../errors';
import { resolveItem } from '../evidence/items';
import type { Actor } from '../ledger/ledger';
import { incidentRun } from '../reports/incident-run';
import { SignOffRepository } from './repository';
import { pickSignOffStep, signOffStatus } from './status';

export function linkAttestationEvidence(
  ctx: CoreContext,
  actor: Actor,
  input: { id: string; stepId?: string | undefined; attestationId: string; itemId: string; unlink: boolean },
): SignOffStatus[] {
  ctx.tx(() => {
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
    if (!changed) return;
    ctx.ledger.append(actor, {
      scope: input.id,
      action: input.unlink ? 'signoff.evidence-unlinked' : 'signoff.evidence-linked',
      subject: `${step.id}/${attestation.id}`,
      payload: { attestation: attestation.text, item: item.id, name: item.name, sha256: item.sha256 },
    });
  });
  return signOffStatus(ctx, incidentRun(ctx, input.id));
}
