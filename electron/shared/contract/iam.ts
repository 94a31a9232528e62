import { z } from 'zod';
import type { IamAnalysis, IamImportResult, IamIncidentAnalysis, IamSource } from '../iam';
import { incidentId, method, text } from './define';

const path = text('Path', 4096);
const identity = z.string().trim().min(1, 'an identity is a role or user ARN or name').max(2048);
const policyArn = z.string().trim().regex(/^arn:[^:]+:iam::(\d{12}|aws):policy\/.+$/, 'a policy ARN looks like arn:aws:iam::123456789012:policy/Name');

export const iamContract = {
  /**
   * Files the responder has (authorization details, get-role and friends, the credential report) become evidence and
   * the incident's IAM snapshot. `identity` and `policyArn` bind pieces that do not name their owner.
   */
  'iam.import': method<IamImportResult>().mutation(
    z.object({ incidentId, paths: z.array(path).min(1, 'give at least one file').max(1000), identity: identity.optional(), policyArn: policyArn.optional() }).strict(),
  ),
  'iam.sources': method<IamSource[]>().query(z.object({ incidentId }).strict()),
  /** Could versus did for the incident's agent identities (or the one named), from its snapshot and its cloud events. */
  'iam.analyze': method<IamIncidentAnalysis>().query(z.object({ incidentId, identity: identity.optional() }).strict()),
  /** Stateless: authorization files and CloudTrail exports on this machine, nothing recorded. */
  'iam.analyzeFiles': method<IamAnalysis>().query(
    z.object({ authz: z.array(path).min(1, 'give the authorization details file').max(100), logs: z.array(path).max(10_000).default([]), identity }).strict(),
  ),
};
