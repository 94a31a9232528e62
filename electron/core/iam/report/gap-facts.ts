/**
 * What the agent's identity tells the AC-6 (least privilege) and AC-2 (account management) assessments, as offers: a
 * proposed gap text with the evidence behind it. The assessor accepts or rewrites it; nothing here writes an assessment.
 */
import { duration } from '../../../shared/duration';
import type { GapFactOffer } from '../../../shared/iam';
import { plural } from '../../../shared/plural';
import type { CoreContext } from '../../context';
import { requireIncident } from '../snapshot-store';
import { reportIam } from './report-section';

const n = (x: number) => x.toLocaleString('en');

export async function gapFacts(ctx: CoreContext, incidentId: string): Promise<GapFactOffer[]> {
  requireIncident(ctx, incidentId);
  const s = await reportIam(ctx, incidentId);
  if (!s || s.identities.length + s.credentials.length + s.revocations.length === 0) return [];
  const offers: GapFactOffer[] = [];
  if (s.identities.length) {
    const facts = s.identities.map(
      (i) =>
        `${i.identity} was granted ${n(i.granted.all)} actions, ${n(i.granted.destructive.length)} destructive, with ${i.boundary ? `the permissions boundary ${i.boundary}` : 'no permissions boundary'}; the logs show ${plural(i.used.all, 'distinct action')} used${i.used.destructive.length ? `, destructive: ${i.used.destructive.join(', ')}` : ''}, and ${n(i.unused.count)} granted actions never used.`,
    );
    const drafts = s.identities.flatMap((i) => (i.leastPrivilegeEvidence ? [i.leastPrivilegeEvidence] : []));
    offers.push({
      control: 'AC-6',
      facts,
      gap: `The agent identity held standing privileges far beyond its task. ${facts.join(' ')}${drafts.length ? ` A least-privilege policy and boundary drafted from its calls: ${drafts.join(', ')}.` : ''}`,
      evidence: [...s.sources, ...drafts],
    });
  }
  const credentialFacts = s.credentials.flatMap((c) => c.findings.map((f) => `${c.arn}: ${f}`));
  const revocationFacts = s.revocations.map(
    (r) => `${r.identity} revoked ${duration(r.secondsFromAwareness)} after awareness${r.secondsToHalt !== null ? `, halted ${duration(r.secondsToHalt)} later (first AccessDenied)` : ''}${r.undoneAt ? `; undone ${r.undoneAt}` : ''}.`,
  );
  if (credentialFacts.length + revocationFacts.length) {
    const facts = [...credentialFacts, ...revocationFacts];
    offers.push({ control: 'AC-2', facts, gap: `Agent account management: ${facts.join(' ')}`, evidence: s.sources });
  }
  return offers;
}
