import * as z from 'zod';
import type { AthenaPlan, AthenaRunResult } from '../athena';
import { incidentId, method, operationId } from './define';
import { urlSecretProblem } from '../url-secrets';

/** Athena (Glue catalog) names: lower case letters, digits and underscores. */
const name = (what: string) => z.string().regex(/^[a-z0-9_]{1,255}$/, `${what} is lower-case letters, digits and underscores (an Athena name)`);
const s3 = (what: string) =>
  z
    .string()
    .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\s']*)?$/, `${what} is an S3 URI: s3://BUCKET[/PREFIX]`)
    .max(1024);
const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'a region looks like us-east-1');

const planFields = {
  incidentId,
  database: name('--database'),
  table: name('--table'),
  createTable: z.boolean().default(false),
  bucket: s3('--bucket').optional(),
  organizationId: z.string().regex(/^o-[a-z0-9]{10,32}$/, 'an organisation id looks like o-a1b2c3d4e5').optional(),
  accounts: z.array(z.string().regex(/^\d{12}$/, 'an AWS account id is 12 digits')).max(1000).optional(),
  regions: z.array(region).min(1, 'give at least one --region to query').max(40),
  start: z.string().trim().max(40).optional(),
  end: z.string().trim().max(40).optional(),
  partitionMb: z.number().positive().max(1_000_000).default(100),
  workgroup: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'a workgroup name is letters, digits, . _ and -').optional(),
  output: s3('--output').optional(),
};

export const athenaContract = {
  /** The DDL and every query, limited to the incident's window, accounts and Regions, with the scan estimate. Runs nothing. */
  'athena.plan': method<AthenaPlan>().query(() => z.object(planFields).strict()),
  /** Runs the plan in Athena (only with confirm), keeps SQL, execution ids, bytes scanned and results as evidence. */
  'athena.run': method<AthenaRunResult, string>().mutation(
    () => z
      .object({
        ...planFields,
        /** The Region Athena runs in; default: the first Region queried. */
        athenaRegion: region.optional(),
        profile: z.string().trim().min(1).max(128).optional(),
        endpoint: z
          .url({ protocol: /^https?$/, error: 'endpoint must be an http(s) URL' })
          .refine((u) => !/^[a-z]+:\/\/[^/]*@/i.test(u) && urlSecretProblem(u) === undefined, 'endpoint must not carry credentials (they would be recorded)')
          .refine(
            (u) => u.startsWith('https://') || /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/.test(u),
            'endpoint must be https (plain http is accepted only on this machine, for tests)',
          )
          .optional(),
        /** The responder saw the estimate and said yes: nothing is sent to Athena without it. */
        confirm: z.literal(true, 'nothing runs in Athena without confirm: true (--yes), after the estimate'),
        operationId: operationId.optional(),
      })
      .strict(),
    { long: true },
  ),
};
