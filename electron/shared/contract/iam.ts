import * as z from 'zod';
import type { GapFactOffer, IamAnalysis, IamCaptureResult, IamImportResult, IamIncidentAnalysis, IamSource, LeastPrivilegeDraft, Revocation, RevokePlan } from '../iam';
import { awsEndpoint, incidentId, method, operationId, text } from './define';

const path = text('Path', 4096);
const identity = z.string().trim().min(1, 'an identity is a role or user ARN or name').max(2048);
const policyArn = z.string().trim().regex(/^arn:[^:]+:iam::(\d{12}|aws):policy\/.+$/, 'a policy ARN looks like arn:aws:iam::123456789012:policy/Name');

const agentName = z.string().trim().min(1).max(128);
const aws = {
  profile: z.string().trim().min(1).max(128).optional(),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'a region looks like us-east-1').optional(),
  endpoint: awsEndpoint.optional(),
};
const target = { incidentId, role: agentName.optional(), user: agentName.optional() };
const oneTarget = (x: { role?: string | undefined; user?: string | undefined }) => Boolean(x.role) !== Boolean(x.user);

export const iamContract = {
  /**
   * Files the responder has (authorization details, get-role and friends, the credential report) become evidence and
   * the incident's IAM snapshot. `identity` and `policyArn` bind pieces that do not name their owner.
   */
  'iam.import': method<IamImportResult>().mutation(
    () => z.object({ incidentId, paths: z.array(path).min(1, 'give at least one file').max(1000), identity: identity.optional(), policyArn: policyArn.optional() }).strict(),
  ),
  /** Reads the role or user, its policies, boundary, groups, keys, the credential report and last-accessed data from IAM, each response kept as evidence. */
  'iam.capture': method<IamCaptureResult, string>().mutation(
    () => z
      .object({
        ...target,
        ...aws,
        operationId: operationId.optional(),
      })
      .strict()
      .refine(oneTarget, 'name either a role or a user to capture'),
    { long: true },
  ),
  'iam.sources': method<IamSource[]>().query(() => z.object({ incidentId }).strict()),
  /** Could versus did for the incident's agent identities (or the one named), from its snapshot and its cloud events. */
  'iam.analyze': method<IamIncidentAnalysis>().query(() => z.object({ incidentId, identity: identity.optional() }).strict()),
  /** Stateless: authorization files and CloudTrail exports on this machine, nothing recorded. */
  'iam.analyzeFiles': method<IamAnalysis>().query(
    () => z.object({ authz: z.array(path).min(1, 'give the authorization details file').max(100), logs: z.array(path).max(10_000).default([]), identity }).strict(),
  ),
  /** Drafts a scoped policy and a boundary from the identity's successful non-destructive calls; the draft is kept as evidence. */
  'iam.leastPrivilege': method<LeastPrivilegeDraft>().mutation(() => z.object({ incidentId, identity }).strict()),
  /** The dry run: the exact IAM calls and policy JSON a revocation would send, and why it would be refused. Sends nothing. */
  'iam.revokePlan': method<RevokePlan>().query(() => z.object(target).strict().refine(oneTarget, 'name either a role or a user to revoke')),
  /** Sends the plan: deny-all and revoke older sessions (role), or deny-all and deactivate its access keys (user). */
  'iam.revoke': method<Revocation>().mutation(
    () => z
      .object({ ...target, ...aws, confirm: z.literal(true, 'a revocation must be confirmed'), override: text('Override reason', 2000).optional() })
      .strict()
      .refine(oneTarget, 'name either a role or a user to revoke'),
  ),
  'iam.undoRevocation': method<Revocation>().mutation(() => z.object({ incidentId, revocation: z.number().int().min(1), ...aws }).strict()),
  /** Revocations with the time from awareness and, once logs after them are collected, the time to halt. */
  /** AC-6 and AC-2 facts from the analysis, offered to the gap assessment; nothing is recorded. */
  'iam.gapFacts': method<GapFactOffer[]>().query(() => z.object({ incidentId }).strict()),
  'iam.revocations': method<Revocation[]>().query(() => z.object({ incidentId }).strict()),
};
